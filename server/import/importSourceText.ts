import type { JSONContent } from "@tiptap/core";

// Turns a plain source text (an op-ed, a cable, notes) into a structured memo body.
// Pure: no I/O, no schema lookups; the result is checked against the memo schema by the caller.
//
// Rules, one line at a time (lines are trimmed at both ends, typography is never changed):
// - blank lines are ignored;
// - "- ", "* " or "• " lines become bullet-list items, "1. " or "1) " lines numbered-list items,
//   consecutive items forming one list;
// - a short line (at most HEADING_MAX_CHARS characters and HEADING_MAX_WORDS words) that does not
//   end in terminal punctuation becomes a heading;
// - every other line becomes a paragraph.

const HEADING_MAX_CHARS = 100;
const HEADING_MAX_WORDS = 16;
/** Punctuation that ends a sentence or a lead-in, so the line reads as prose, not a title. */
const TERMINAL_PUNCTUATION = /[.!?:;,…]$/u;
/** Closing quotes and brackets that may follow terminal punctuation: `…,” he said.”` */
const TRAILING_CLOSERS = /["'”’»)\]]+$/u;
const BULLET_ITEM = /^[-*•]\s+(.*)$/u;
const NUMBERED_ITEM = /^(\d{1,9})[.)]\s+(.*)$/u;

type ListKind = "bulletList" | "orderedList";

/** Whether a (trimmed, non-empty) line reads as a section heading. */
export function looksLikeHeading(line: string): boolean {
  if (line.length > HEADING_MAX_CHARS) return false;
  if (line.split(/\s+/u).length > HEADING_MAX_WORDS) return false;
  if (!/\p{L}/u.test(line)) return false;
  return !TERMINAL_PUNCTUATION.test(line.replace(TRAILING_CLOSERS, ""));
}

function textContent(text: string): JSONContent[] {
  return [{ type: "text", text }];
}

function listItem(text: string): JSONContent {
  return { type: "listItem", content: [{ type: "paragraph", content: textContent(text) }] };
}

/** Converts source text to Tiptap JSON (a `doc` node). An empty source gives one empty paragraph. */
export function importSourceText(source: string): JSONContent {
  const blocks: JSONContent[] = [];
  let openList: { kind: ListKind; node: JSONContent } | undefined;

  const appendListItem = (kind: ListKind, text: string, start?: number) => {
    if (openList?.kind !== kind) {
      const node: JSONContent = { type: kind, content: [] };
      if (kind === "orderedList") node.attrs = { start: start ?? 1 };
      openList = { kind, node };
      blocks.push(node);
    }
    openList.node.content!.push(listItem(text));
  };

  for (const rawLine of source.split(/\r\n|\r|\n/u)) {
    const line = rawLine.trim();
    if (line === "") continue;
    const bullet = BULLET_ITEM.exec(line);
    const numbered = NUMBERED_ITEM.exec(line);
    if (bullet) {
      appendListItem("bulletList", bullet[1]);
      continue;
    }
    if (numbered) {
      appendListItem("orderedList", numbered[2], Number(numbered[1]));
      continue;
    }
    openList = undefined;
    blocks.push(
      looksLikeHeading(line)
        ? { type: "heading", attrs: { level: 2 }, content: textContent(line) }
        : { type: "paragraph", content: textContent(line) },
    );
  }

  return { type: "doc", content: blocks.length > 0 ? blocks : [{ type: "paragraph" }] };
}

/** A title for a memo created from a source: its first heading, else the start of its first line. */
export function suggestTitle(doc: JSONContent, fallback = "Untitled memo"): string {
  const first = doc.content?.find((block) => block.type === "heading") ?? doc.content?.[0];
  const text = (first?.content ?? [])
    .map((inline) => inline.text ?? "")
    .join("")
    .trim();
  if (!text) return fallback;
  if (text.length <= 80) return text;
  const cut = text.slice(0, 80);
  return `${cut.slice(0, cut.lastIndexOf(" ") > 40 ? cut.lastIndexOf(" ") : 80)}…`;
}

function plainTextOf(block: JSONContent | undefined): string {
  return (block?.content ?? [])
    .map((inline) => inline.text ?? "")
    .join("")
    .trim();
}

/** Compared as a reader would: case, spacing and Unicode forms aside. */
function sameWords(a: string, b: string): boolean {
  const normal = (text: string) => text.normalize("NFKC").replace(/\s+/gu, " ").trim().toLocaleLowerCase();
  return normal(a) === normal(b);
}

/**
 * The title and body of a memo made from a source. A source whose first line reads as a heading
 * gives the memo its title, and that line then leaves the body: shown once on the sheet's title and
 * again as its first heading, in the editor and in every export, it is the first thing a reader
 * notices. A title given with the source that repeats the first line drops it too; a different one
 * keeps it (the source has a title line of its own). Otherwise the title is `suggestTitle`'s.
 */
export function memoFromSource(source: string, givenTitle?: string): { title: string; body: JSONContent } {
  const body = importSourceText(source);
  const blocks = body.content ?? [];
  const first = blocks[0];
  const firstLine = first?.type === "heading" ? plainTextOf(first) : "";
  const given = givenTitle?.trim() ? givenTitle : undefined;
  const dropFirst = firstLine !== "" && (given === undefined || sameWords(given, firstLine));
  if (!dropFirst) return { title: given ?? suggestTitle(body), body };
  const rest = blocks.slice(1);
  return { title: given ?? firstLine, body: { ...body, content: rest.length > 0 ? rest : [{ type: "paragraph" }] } };
}
