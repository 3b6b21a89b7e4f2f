import type { JSONContent } from "../../common/editor/memoDocument";

// A memo's body as search indexes it: sections that start at each top-level heading, so a result
// names the passage it found and the memo opens scrolled to it. A long stretch without headings is
// cut into parts at block boundaries, so a snippet and a link stay close to the words they show,
// and no one section's text-search vector nears PostgreSQL's limits (1 MB, 16,383 positions).

/** One searchable passage of a memo's body. */
export type MemoSection = {
  /** Position among the memo's sections, from 0. */
  ordinal: number;
  /** Index of the section's first top-level block in the memo (what the memo page scrolls to). */
  blockIndex: number;
  /** The heading the section falls under ("" before the first one). */
  heading: string;
  /** The section's text, blocks separated by newlines (its heading excluded). */
  text: string;
};

/** A section's text is at most this long: it is cut before the block (or piece of one) that would pass it. */
export const SECTION_CHARS = 2_000;

/** The text of a node, inline text run together and blocks one per line. */
function textOf(node: JSONContent, out: string[]): void {
  if (typeof node.text === "string") {
    out.push(node.text);
    return;
  }
  if (node.type === "hardBreak") {
    out.push("\n");
    return;
  }
  const children = node.content ?? [];
  const inline =
    children.length > 0 && children.every((child) => typeof child.text === "string" || child.type === "hardBreak");
  for (const [index, child] of children.entries()) {
    if (!inline && index > 0) out.push("\n");
    textOf(child, out);
  }
}

const blockText = (node: JSONContent): string => {
  const out: string[] = [];
  textOf(node, out);
  return out.join("").trim();
};

/** `text` in pieces of at most SECTION_CHARS characters, cut at the last space before the limit if any. */
function pieces(text: string): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > SECTION_CHARS) {
    const space = rest.lastIndexOf(" ", SECTION_CHARS);
    const cut = space > SECTION_CHARS / 2 ? space : SECTION_CHARS;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut).trimStart();
  }
  if (rest) out.push(rest);
  return out;
}

/** The memo's sections, in document order; empty sections are left out. */
export function memoSections(json: JSONContent): MemoSection[] {
  const sections: MemoSection[] = [];
  let current: { blockIndex: number; heading: string; parts: string[]; chars: number } | undefined;
  const close = () => {
    if (current && (current.heading || current.chars > 0)) {
      sections.push({
        ordinal: sections.length,
        blockIndex: current.blockIndex,
        heading: current.heading,
        text: current.parts.join("\n"),
      });
    }
    current = undefined;
  };
  for (const [blockIndex, block] of (json.content ?? []).entries()) {
    const text = blockText(block);
    if (block.type === "heading") {
      close();
      current = { blockIndex, heading: text, parts: [], chars: 0 };
      continue;
    }
    // One long block (a pasted chapter, a long list) is cut too, at spaces where it has them.
    for (const piece of pieces(text)) {
      if (current && current.chars > 0 && current.chars + piece.length > SECTION_CHARS) {
        const heading = current.heading;
        close();
        current = { blockIndex, heading, parts: [], chars: 0 };
      }
      current ??= { blockIndex, heading: "", parts: [], chars: 0 };
      current.parts.push(piece);
      current.chars += piece.length + 1;
    }
  }
  close();
  return sections;
}
