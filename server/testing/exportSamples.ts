import type { JSONContent } from "../../common/editor/memoDocument";
import type { MemoMetadata } from "../memos/memoMetadata";
import type { MemoExportSource } from "../export/exportModel";

// Memo bodies and metadata that exercise every export format: shared by the tests of the PDF, DOCX
// and Markdown renderers, so all three are held to the same content.

/** Metadata with every field filled in. */
export const FULL_METADATA: MemoMetadata = {
  to: "The Ambassador",
  from: "Amina Qureshi, Political Section",
  date: "2025-11-26",
  subject: "Pakistan–U.S. realignment after May 2025",
  distribution: ["Deputy Chief of Mission", "Desk Officer, South Asia"],
  marking: "UNCLASSIFIED // FOR OFFICIAL USE ONLY",
  language: null,
};

/** An export source for `body` with full metadata. */
export function sourceOf(body: JSONContent, overrides: Partial<MemoExportSource> = {}): MemoExportSource {
  return {
    title: "Test memo",
    metadata: FULL_METADATA,
    body,
    exportedAt: new Date("2025-11-27T09:00:00Z"),
    ...overrides,
  };
}

const text = (value: string, ...marks: string[]): JSONContent => ({
  type: "text",
  text: value,
  ...(marks.length ? { marks: marks.map((type) => ({ type })) } : {}),
});
const paragraph = (...content: JSONContent[]): JSONContent => ({ type: "paragraph", content });

/** A body with every kind of block and mark the memo schema allows. */
export const FORMATTED_BODY: JSONContent = {
  type: "doc",
  content: [
    { type: "heading", attrs: { level: 1 }, content: [text("Key judgements")] },
    paragraph(
      text("Plain, "),
      text("bold", "bold"),
      text(", "),
      text("italic", "italic"),
      text(" and "),
      text("underlined", "underline"),
      text(" words."),
    ),
    {
      type: "bulletList",
      content: [
        { type: "listItem", content: [paragraph(text("First bullet"))] },
        { type: "listItem", content: [paragraph(text("Second bullet"))] },
      ],
    },
    {
      type: "orderedList",
      attrs: { start: 3 },
      content: [
        {
          type: "listItem",
          content: [
            paragraph(text("Third step")),
            { type: "bulletList", content: [{ type: "listItem", content: [paragraph(text("Nested point"))] }] },
          ],
        },
        { type: "listItem", content: [paragraph(text("Fourth step"))] },
      ],
    },
    { type: "heading", attrs: { level: 2 }, content: [text("Sources")] },
    { type: "blockquote", content: [paragraph(text("A quoted assessment."))] },
    paragraph(
      text("See the "),
      {
        type: "text",
        text: "embassy statement",
        marks: [{ type: "link", attrs: { href: "https://example.org/statement?a=1&b=2" } }],
      },
      text("."),
      { type: "hardBreak" },
      text("After a line break."),
    ),
    { type: "heading", attrs: { level: 3 }, content: [text("Outlook")] },
    paragraph(text("Last paragraph.")),
  ],
};

/** Text that must come out as literal text in every format. */
export const HOSTILE_TEXTS = {
  html: `<script>alert("x")</script> <b>not bold</b> <img src=x onerror=alert(1)> &amp; &lt;`,
  markdown:
    "# not a heading *not italic* [not a link](javascript:alert(1)) `code` | table | 1. not a list > not a quote",
  longWord: "x".repeat(20_000),
  emoji: "Talks went well 👍🏽 🇵🇰🤝🇺🇸 👨‍👩‍👧 ❤️",
  arabic:
    "هذا نص عربي طويل في فقرة واحدة، يكفي لملء سطرين على الأقل في الصفحة حتى نرى كيف يلتف النص من اليمين إلى اليسار.",
  hebrew: "וגם משפט בעברית.",
  mixed: "The minister said «مرحبا بالعالم» on arrival.",
};

/** A body holding every hostile text, each in its own paragraph, plus a heading made of markup. */
export const HOSTILE_BODY: JSONContent = {
  type: "doc",
  content: [
    { type: "heading", attrs: { level: 2 }, content: [text("<h1>Heading</h1> ## and *stars*")] },
    ...Object.values(HOSTILE_TEXTS).map((value) => paragraph(text(value))),
    paragraph(text("control\u0000chars\u0007and a lone \uD800 surrogate")),
  ],
};

/** One line mixing Arabic, English and an emoji, in a paragraph of each direction: the first
 * strong letter (Arabic in `rtl`, English in `ltr`) sets which way the paragraph reads. */
export const BIDI_TEXTS = {
  rtl: "قالت الوزارة The ministry said مرحبا بالعالم 🎉 today",
  ltr: "The ministry said مرحبا بالعالم 🎉 today",
};

/** The two mixed lines, each its own paragraph, right-to-left first. */
export const BIDI_BODY: JSONContent = {
  type: "doc",
  content: [paragraph(text(BIDI_TEXTS.rtl)), paragraph(text(BIDI_TEXTS.ltr))],
};
