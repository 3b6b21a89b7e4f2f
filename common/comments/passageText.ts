import type { Node as ProseMirrorNode } from "@tiptap/pm/model";

// The memo's text as comments quote it: the text of each textblock, blocks separated by "\n", a
// hard break as "\n". Every character carries its ProseMirror position, so a quote can be cut from
// a selection and a quote can be found again in the text.

/** Longest quoted passage, in characters: the server refuses longer, the sidebar says so first. */
export const MAX_QUOTE_CHARS = 5_000;

/** The memo's text with the document position of every character (UTF-16 units, as ProseMirror counts). */
export type TextIndex = { text: string; positions: number[] };

/** A passage: its document range and its text. */
export type Passage = { from: number; to: number; quote: string };

/** Builds the text index of a document. */
export function textIndex(doc: ProseMirrorNode): TextIndex {
  let text = "";
  const positions: number[] = [];
  let previousBlockEnd: number | null = null;
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true;
    // The separator sits at the end of the previous block's content: a selection ending there
    // leaves it out, one running into the next block takes it in.
    if (previousBlockEnd !== null) {
      text += "\n";
      positions.push(previousBlockEnd);
    }
    node.forEach((child, offset) => {
      const start = pos + 1 + offset;
      if (child.isText) {
        const value = child.text ?? "";
        text += value;
        for (let i = 0; i < value.length; i += 1) positions.push(start + i);
      } else {
        text += "\n";
        positions.push(start);
      }
    });
    previousBlockEnd = pos + node.nodeSize - 1;
    return false;
  });
  return { text, positions };
}

/** Index of the first character at or after document position `pos`. */
function indexAt(index: TextIndex, pos: number): number {
  let low = 0;
  let high = index.positions.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (index.positions[middle] < pos) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The passage a selection covers, without leading or trailing white space (so the highlight and
 * the quote hold only words). Null when the selection holds no text.
 */
export function passageOfSelection(doc: ProseMirrorNode, from: number, to: number): Passage | null {
  const index = textIndex(doc);
  let start = indexAt(index, from);
  let end = indexAt(index, to);
  while (start < end && /\s/u.test(index.text[start])) start += 1;
  while (end > start && /\s/u.test(index.text[end - 1])) end -= 1;
  if (start === end) return null;
  return { from: index.positions[start], to: index.positions[end - 1] + 1, quote: index.text.slice(start, end) };
}

/** The text between two document positions, as comments quote it. */
export function passageText(doc: ProseMirrorNode, from: number, to: number): string {
  const index = textIndex(doc);
  return index.text.slice(indexAt(index, from), indexAt(index, to));
}

/** Where `quote` occurs in the document, when it occurs exactly once; otherwise null. */
export function findUniquePassage(doc: ProseMirrorNode, quote: string): Passage | null {
  if (quote === "") return null;
  const index = textIndex(doc);
  const at = index.text.indexOf(quote);
  if (at === -1 || index.text.indexOf(quote, at + 1) !== -1) return null;
  return { from: index.positions[at], to: index.positions[at + quote.length - 1] + 1, quote };
}
