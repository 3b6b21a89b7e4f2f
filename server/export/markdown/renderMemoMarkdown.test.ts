import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { importSourceText } from "../../import/importSourceText";
import { readSampleSource } from "../../import/sampleSource";
import { FORMATTED_BODY, FULL_METADATA, HOSTILE_BODY, HOSTILE_TEXTS, sourceOf } from "../../testing/exportSamples";
import { exportBlocksFromJson, textOfRuns } from "../exportModel";
import { markdownOf, renderMemoMarkdown } from "./renderMemoMarkdown";

// The Markdown is checked by rendering it as a reader's tool would: markdown-it, CommonMark with
// raw HTML allowed (the most permissive setting), plus GFM tables.
const markdownIt = new MarkdownIt({ html: true, linkify: false });
const toHtml = (markdown: string) => markdownIt.render(markdown);
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/gu, "\n")
    .replace(/&lt;/gu, "<")
    .replace(/&gt;/gu, ">")
    .replace(/&quot;/gu, '"')
    .replace(/&amp;/gu, "&")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);

describe("renderMemoMarkdown", () => {
  it("writes the marking, the title block, every heading and paragraph of the sample in order, the distribution and the marking", async () => {
    const sample = importSourceText(await readSampleSource());
    const markdown = renderMemoMarkdown(sourceOf(sample));
    const body = exportBlocksFromJson(sample).map((block) =>
      block.kind === "heading" || block.kind === "paragraph" ? textOfRuns(block.runs) : "",
    );
    expect(textOf(toHtml(markdown))).toEqual([
      FULL_METADATA.marking,
      "MEMORANDUM",
      "To:",
      "The Ambassador",
      "From:",
      "Amina Qureshi, Political Section",
      "Date:",
      "26 November 2025",
      "Subject:",
      "Pakistan–U.S. realignment after May 2025",
      ...body,
      "Distribution:",
      "Deputy Chief of Mission",
      "Desk Officer, South Asia",
      FULL_METADATA.marking,
    ]);
    expect(markdown).toContain("\n## From the Shadows of Conflict to Diplomatic Engagement\n");
  });

  it("keeps headings, marks, lists with their start numbers, quotes, links and line breaks", () => {
    const html = toHtml(
      renderMemoMarkdown(
        sourceOf(FORMATTED_BODY, { endnotes: [{ author: "Daniel Okafor", text: "Check the date." }] }),
      ),
    );
    expect(html).toContain("<h1>Key judgements</h1>");
    expect(html).toContain("<p>Plain, <strong>bold</strong>, <em>italic</em> and <u>underlined</u> words.</p>");
    expect(html).toContain("<ul>\n<li>First bullet</li>\n<li>Second bullet</li>\n</ul>");
    expect(html).toContain(
      '<ol start="3">\n<li>Third step\n<ul>\n<li>Nested point</li>\n</ul>\n</li>\n<li>Fourth step</li>\n</ol>',
    );
    expect(html).toContain("<blockquote>\n<p>A quoted assessment.</p>\n</blockquote>");
    expect(html).toContain(
      '<a href="https://example.org/statement?a=1&amp;b=2">embassy statement</a>.<br>\nAfter a line break.',
    );
    expect(html).toContain("<h3>Outlook</h3>");
    expect(html).toContain("<ol>\n<li><strong>Daniel Okafor:</strong> Check the date.</li>\n</ol>");
  });

  it("escapes text so that HTML and Markdown in a memo stay literal text", () => {
    const html = toHtml(renderMemoMarkdown(sourceOf(HOSTILE_BODY)));
    // The only elements are the ones the memo's structure asks for.
    const tags = new Set([...html.matchAll(/<\/?([a-z0-9]+)/gu)].map((match) => match[1]));
    expect([...tags].sort()).toEqual(["br", "h2", "hr", "li", "p", "strong", "ul"]);
    const texts = textOf(html);
    for (const value of [
      HOSTILE_TEXTS.html,
      HOSTILE_TEXTS.markdown,
      HOSTILE_TEXTS.longWord,
      HOSTILE_TEXTS.emoji,
      HOSTILE_TEXTS.arabic,
      HOSTILE_TEXTS.mixed,
    ]) {
      expect(texts.includes(value), value.slice(0, 40)).toBe(true);
    }
    expect(texts).toContain("<h1>Heading</h1> ## and *stars*");
    expect(texts).toContain("controlcharsand a lone  surrogate");
  });

  it("keeps line-start syntax literal: headings, lists, quotes, setext underlines, tables", () => {
    const lines = [
      "# one",
      "- two",
      "+ three",
      "> four",
      "1. five",
      "1) six",
      "===",
      "---",
      "| a | b |",
      "|---|---|",
      "    seven",
    ];
    const body = {
      type: "doc",
      content: lines.map((line) => ({
        type: "paragraph",
        content: [
          { type: "text", text: `x`, marks: [{ type: "bold" }] },
          { type: "hardBreak" },
          { type: "text", text: line },
        ],
      })),
    };
    const html = toHtml(
      renderMemoMarkdown(
        sourceOf(body, {
          metadata: {
            ...FULL_METADATA,
            to: "<b>Boss</b>",
            subject: "*Sub* [x](y)",
            distribution: ["- dash", "1. one"],
          },
        }),
      ),
    );
    const tags = new Set([...html.matchAll(/<\/?([a-z0-9]+)/gu)].map((match) => match[1]));
    expect([...tags].sort()).toEqual(["br", "hr", "li", "p", "strong", "ul"]);
    const texts = textOf(html);
    for (const line of lines) expect(texts, line).toContain(line.trim());
    expect(texts).toContain("<b>Boss</b>");
    expect(texts).toContain("*Sub* [x](y)");
    expect(texts).toContain("- dash");
  });

  it("exports an empty memo as the marking and the title block", () => {
    const markdown = renderMemoMarkdown(
      sourceOf({ type: "doc", content: [{ type: "paragraph" }] }, { metadata: { ...FULL_METADATA, distribution: [] } }),
    );
    expect(textOf(toHtml(markdown))).toEqual([
      FULL_METADATA.marking,
      "MEMORANDUM",
      "To:",
      "The Ambassador",
      "From:",
      "Amina Qureshi, Political Section",
      "Date:",
      "26 November 2025",
      "Subject:",
      "Pakistan–U.S. realignment after May 2025",
      FULL_METADATA.marking,
    ]);
  });
});

describe("markdownOf", () => {
  it("writes the same Markdown whether or not it moves finished output aside, so a long memo costs linear time", () => {
    // Every escape that looks back at the output (after a hard break, "!" before a link, list
    // delimiters, quotes) lands on a spill boundary somewhere when output is spilled every 16 characters.
    const content = [...(FORMATTED_BODY.content ?? []), ...(HOSTILE_BODY.content ?? [])];
    const many = Array.from({ length: 20 }, () => content).flat();
    const reference = markdownOf(many, Number.POSITIVE_INFINITY);
    for (const spillChars of [16, 17, 64, 1000]) expect(markdownOf(many, spillChars)).toBe(reference);
  });

  it("writes every item of a 10,000-item list", () => {
    const item = (index: number) => ({
      type: "listItem",
      content: [{ type: "paragraph", content: [{ type: "text", text: `Item ${index}` }] }],
    });
    const markdown = markdownOf([
      { type: "bulletList", content: Array.from({ length: 10_000 }, (_, index) => item(index)) },
    ]);
    expect(markdown.trim().split("\n")).toEqual(Array.from({ length: 10_000 }, (_, index) => `- Item ${index}`));
  });
});
