import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { memoNodeFromJson, type JSONContent } from "../../common/editor/memoDocument";
import { importSourceText, looksLikeHeading, memoFromSource, suggestTitle } from "./importSourceText";

const SAMPLE = readFileSync(path.join(__dirname, "samples", "pakistan-us-realignment-2025.txt"), "utf8");

const textOf = (node: JSONContent): string => node.text ?? (node.content ?? []).map(textOf).join("");
const blocks = (doc: JSONContent) => doc.content ?? [];

describe("importSourceText on the sample op-ed", () => {
  const doc = importSourceText(SAMPLE);

  it("finds exactly the four section headings, in order", () => {
    const headings = blocks(doc)
      .filter((block) => block.type === "heading")
      .map(textOf);
    expect(headings).toEqual([
      "From the Shadows of Conflict to Diplomatic Engagement",
      "Recalibrating Pakistan–U.S. Relations: Beyond Old Paradigms",
      "Strategic Implications of Pakistan–U.S. Realignment Post-2025",
      "Realignment as a Strategic Opportunity",
    ]);
  });

  it("keeps the 11 paragraphs word for word, typography included, in source order", () => {
    const paragraphs = blocks(doc)
      .filter((block) => block.type === "paragraph")
      .map(textOf);
    const sourceLines = SAMPLE.split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
    const expected = sourceLines.filter((line) => !looksLikeHeading(line));
    expect(paragraphs).toHaveLength(11);
    expect(paragraphs).toEqual(expected);
    expect(paragraphs.join(" ")).toContain("Pakistan’s renewed quest");
    expect(paragraphs.join(" ")).toContain("Pakistan – US relations");
  });

  it("interleaves headings and paragraphs exactly as the source does", () => {
    const sourceLines = SAMPLE.split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
    expect(blocks(doc).map(textOf)).toEqual(sourceLines);
  });

  it("produces a document the memo schema accepts", () => {
    expect(() => memoNodeFromJson(doc)).not.toThrow();
  });

  it("suggests the first heading as a title", () => {
    expect(suggestTitle(doc)).toBe("From the Shadows of Conflict to Diplomatic Engagement");
  });
});

describe("importSourceText rules", () => {
  it("ignores blank lines and trims whitespace, including Windows line ends", () => {
    const doc = importSourceText("\r\n  Summary  \r\n\r\n\r\nThe talks went well.\r\n");
    expect(blocks(doc).map((block) => [block.type, textOf(block)])).toEqual([
      ["heading", "Summary"],
      ["paragraph", "The talks went well."],
    ]);
  });

  it("keeps typographic quotes, apostrophes and dashes exactly", () => {
    const line = "“Islamabad’s view” – a long–standing position — was restated.";
    expect(textOf(blocks(importSourceText(line))[0])).toBe(line);
  });

  it("turns '- ' lines into one bullet list and '1. ' lines into one numbered list", () => {
    const doc = importSourceText(
      "Key points\n- first point.\n- second point.\nNext steps\n3. call the embassy.\n4. brief the minister.",
    );
    const types = blocks(doc).map((block) => block.type);
    expect(types).toEqual(["heading", "bulletList", "heading", "orderedList"]);
    const bullets = blocks(doc)[1];
    expect(bullets.content?.map(textOf)).toEqual(["first point.", "second point."]);
    const numbered = blocks(doc)[3];
    expect(numbered.attrs).toEqual({ start: 3 });
    expect(numbered.content?.map(textOf)).toEqual(["call the embassy.", "brief the minister."]);
    expect(() => memoNodeFromJson(doc)).not.toThrow();
  });

  it("does not treat sentences, lead-ins or long lines as headings", () => {
    expect(looksLikeHeading("The talks went well.")).toBe(false);
    expect(looksLikeHeading("The ambassador said:")).toBe(false);
    expect(looksLikeHeading("He asked, “what next?”")).toBe(false);
    expect(looksLikeHeading("word ".repeat(30).trim())).toBe(false);
    expect(looksLikeHeading("2025")).toBe(false);
    expect(looksLikeHeading("Background")).toBe(true);
  });

  it("gives an empty source one empty paragraph", () => {
    expect(importSourceText(" \n\n ")).toEqual({ type: "doc", content: [{ type: "paragraph" }] });
  });

  it("shortens a long first line into a title", () => {
    const title = suggestTitle(importSourceText(`${"A very long opening sentence ".repeat(6)}ends here.`));
    expect(title.length).toBeLessThanOrEqual(81);
    expect(title.endsWith("…")).toBe(true);
  });

  describe("memoFromSource", () => {
    const headings = (body: ReturnType<typeof importSourceText>) =>
      (body.content ?? []).map((block) => `${block.type}:${textOf(block)}`);

    it("makes a first line that reads as a heading the title, and not also the first heading", () => {
      const { title, body } = memoFromSource("Field report\nThe delegation arrived on time.\nNext steps\nCall them.");
      expect(title).toBe("Field report");
      expect(headings(body)).toEqual([
        "paragraph:The delegation arrived on time.",
        "heading:Next steps",
        "paragraph:Call them.",
      ]);
    });

    it("drops the first line when the given title repeats it, and keeps it when the title differs", () => {
      expect(headings(memoFromSource("Field  Report\nText.", " field report ").body)).toEqual(["paragraph:Text."]);
      const kept = memoFromSource("From the Shadows of Conflict\nText.", "Pakistan–U.S. Relations in 2025");
      expect(kept.title).toBe("Pakistan–U.S. Relations in 2025");
      expect(headings(kept.body)).toEqual(["heading:From the Shadows of Conflict", "paragraph:Text."]);
    });

    it("keeps a prose first line in the body, and leaves one empty paragraph when the title was all there was", () => {
      const prose = memoFromSource("The talks went well.\nBackground\nFacts.");
      expect(prose.title).toBe("Background");
      expect(headings(prose.body)).toEqual([
        "paragraph:The talks went well.",
        "heading:Background",
        "paragraph:Facts.",
      ]);
      expect(memoFromSource("Only a title").body).toEqual({ type: "doc", content: [{ type: "paragraph" }] });
    });
  });
});
