import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import { MarkdownSerializer, MarkdownSerializerState } from "prosemirror-markdown";
import { memoNodeFromJson, type JSONContent } from "../../../common/editor/memoDocument";
import { SUGGESTED_DELETION, SUGGESTED_INSERTION } from "../../../common/suggestions/suggestionMarks";
import { exportableHref, exportBodyOf, printableText, titleBlockOf, type MemoExportSource } from "../exportModel";

// A memo as CommonMark, with the same content in the same order as the PDF: marking, title block,
// body, endnotes, distribution, marking. prosemirror-markdown (the ProseMirror author's serializer)
// writes the memo schema's nodes and escapes text; we add what it leaves alone, so no text typed in
// a memo can become markup: "<" and "&" (raw HTML, entities), "|" (tables), "=" at a line start
// (a setext heading underline) and "1)" at a line start (an ordered list).
// Markdown has no way to say which way a paragraph reads, and nothing is added for it (a <p dir>
// would be raw HTML, which we escape): text keeps its logical order, and a viewer that sets
// paragraphs with dir="auto" (GitHub does) shows Arabic and Hebrew right to left.

const ESCAPE_EXTRA = /[<&|]|^=|(?<=^\d{1,9})\)/gu;

/** A link target as Markdown needs it: no spaces or angle brackets, parentheses escaped. */
function markdownHref(href: string): string {
  return href.replace(/[\s<>]/gu, (char) => encodeURIComponent(char)).replace(/[()"]/gu, "\\$&");
}

function orderedList(state: MarkdownSerializerState, node: ProseMirrorNode): void {
  const start = Number(node.attrs.start) || 1;
  const width = String(start + node.childCount - 1).length;
  state.renderList(node, " ".repeat(width + 2), (index) => `${String(start + index).padStart(width, " ")}. `);
}

const serializer = new MarkdownSerializer(
  {
    blockquote: (state, node) => state.wrapBlock("> ", null, node, () => state.renderContent(node)),
    heading: (state, node) => {
      state.write(`${"#".repeat(Number(node.attrs.level) || 1)} `);
      state.renderInline(node, false);
      state.closeBlock(node);
    },
    bulletList: (state, node) => state.renderList(node, "  ", () => "- "),
    orderedList,
    listItem: (state, node) => state.renderContent(node),
    paragraph: (state, node) => {
      state.renderInline(node);
      state.closeBlock(node);
    },
    hardBreak: (state, node, parent, index) => {
      for (let next = index + 1; next < parent.childCount; next++) {
        if (parent.child(next).type !== node.type) {
          state.write("\\\n");
          return;
        }
      }
    },
    text: (state, node, parent, index) => {
      const value = printableText(node.text ?? "");
      // Text after a hard break starts a line, where "# ", "- ", "> " or "---" would turn into a
      // heading, list, quote or setext underline; the serializer only escapes those at a block start.
      const afterBreak = index > 0 && parent.child(index - 1).type.name === "hardBreak";
      state.text(afterBreak ? state.esc(value, true) : value, !afterBreak);
    },
  },
  {
    italic: { open: "*", close: "*", mixable: true, expelEnclosingWhitespace: true },
    bold: { open: "**", close: "**", mixable: true, expelEnclosingWhitespace: true },
    // Markdown has no underline; HTML's <u> is what GitHub and most renderers accept.
    underline: { open: "<u>", close: "</u>", mixable: true, expelEnclosingWhitespace: true },
    // A review copy's suggestions, in CriticMarkup (criticmarkup.com), which several Markdown
    // editors show as tracked changes; a clean copy has none left.
    [SUGGESTED_INSERTION]: { open: "{++", close: "++}", mixable: true },
    [SUGGESTED_DELETION]: { open: "{--", close: "--}", mixable: true },
    link: {
      open: "[",
      close: (_state, mark) => {
        const href = exportableHref(mark.attrs.href);
        return href ? `](${markdownHref(href)})` : "]()";
      },
      mixable: true,
    },
  },
  { escapeExtraCharacters: ESCAPE_EXTRA, strict: true },
);

/** Output moved aside once it is this long (characters). */
const SPILL_CHARS = 4096;

type StateConstructor = new (
  nodes: MarkdownSerializer["nodes"],
  marks: MarkdownSerializer["marks"],
  options: MarkdownSerializerState["options"],
) => MarkdownSerializerState;

/**
 * prosemirror-markdown keeps its output in one string and reads its last character before nearly
 * every write (atBlank, flushClose); V8 flattens a string built with += whenever it is read, so
 * each read copied the whole output: a 10,000-item list took 2 s, 20,000 items 8 s. This state
 * moves finished output aside every few KB and keeps the last two characters, all the serializer
 * ever looks back at (the start of output is "empty", which two kept characters never are once
 * anything was written), so every read flattens a short string and the cost grows linearly.
 */
class SpillingState extends (MarkdownSerializerState as unknown as StateConstructor) {
  declare out: string;
  private readonly spilled: string[] = [];
  spillChars = SPILL_CHARS;

  override render(node: ProseMirrorNode, parent: ProseMirrorNode, index: number): void {
    super.render(node, parent, index);
    this.spill();
  }

  override text(text: string, escape?: boolean): void {
    super.text(text, escape);
    this.spill();
  }

  private spill(): void {
    if (this.out.length <= this.spillChars) return;
    this.spilled.push(this.out.slice(0, -2));
    this.out = this.out.slice(-2);
  }

  /** Everything written. */
  result(): string {
    return this.spilled.join("") + this.out;
  }
}

const text = (value: string, bold = false): JSONContent => ({
  type: "text",
  text: value,
  ...(bold ? { marks: [{ type: "bold" }] } : {}),
});
const paragraph = (...content: JSONContent[]): JSONContent => ({ type: "paragraph", content });

/** Serializes memo-schema JSON (blocks built here or a memo body) as Markdown; `spillChars` is for tests. */
export function markdownOf(content: JSONContent[], spillChars = SPILL_CHARS): string {
  const state = new SpillingState(serializer.nodes, serializer.marks, { ...serializer.options, tightLists: true });
  state.spillChars = spillChars;
  state.renderContent(memoNodeFromJson({ type: "doc", content }));
  return state.result();
}

/** Renders a memo (its current state or any version) as Markdown. */
export function renderMemoMarkdown(source: MemoExportSource): string {
  const facts = titleBlockOf(source);
  const marking = markdownOf([paragraph(text(facts.marking, true))]);
  const rows = (
    [
      ["To", facts.to],
      ["From", facts.from],
      ["Date", facts.date],
      ["Subject", facts.subject],
    ] as const
  ).filter(([, value]) => value);
  const titleBlock = markdownOf([
    paragraph(text("MEMORANDUM", true)),
    paragraph(
      ...rows.flatMap(([name, value], index) => [
        ...(index ? [{ type: "hardBreak" }] : []),
        text(`${name}:`, true),
        text(` ${value}`),
      ]),
    ),
  ]);
  const parts = [marking, titleBlock];
  const body = markdownOf(exportBodyOf(source).toJSON().content ?? []).trim();
  if (body) parts.push(body);
  const after: JSONContent[] = [];
  if (source.endnotes?.length) {
    after.push(paragraph(text("Notes", true)), {
      type: "orderedList",
      attrs: { start: 1 },
      content: source.endnotes.map((note) => ({
        type: "listItem",
        content: [
          paragraph(
            text(`${printableText(note.author)}:`, true),
            text(` ${note.quote ? `“${note.quote}” ` : ""}${note.text}`),
          ),
        ],
      })),
    });
  }
  if (facts.distribution.length) {
    after.push(paragraph(text("Distribution:", true)), {
      type: "bulletList",
      content: facts.distribution.map((entry) => ({ type: "listItem", content: [paragraph(text(entry))] })),
    });
  }
  if (after.length) parts.push(markdownOf(after));
  parts.push(marking);
  return `${parts.map((part) => part.trim()).join("\n\n---\n\n")}\n`;
}
