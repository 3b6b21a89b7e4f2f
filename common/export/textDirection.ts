import bidiFactory, { type EmbeddingLevels } from "bidi-js";

// Which way text reads, for the formats that need to be told (PDF layout, DOCX "bidi" and "rtl"),
// and for the editor's lists and quotes (components/editor/containerDirection.ts).
// The Unicode Bidirectional Algorithm itself is bidi-js (MIT, conformant with UAX #9's test suite,
// no dependencies, what troika-three-text lays out with); this module fixes the one way it reads
// text wrong: it classifies UTF-16 code units, so both halves of an emoji (class ON) count as
// strong left-to-right letters, and an emoji between Arabic words would break the Arabic run.

const bidi = bidiFactory();

/** Unicode's bidi algorithm, for callers that reorder lines (getReorderedIndices, mirroring). */
export { bidi };

/** Which way a paragraph reads. */
export type Direction = "ltr" | "rtl";

/** Whether text reads right to left: its first strong character (bidi class L, R or AL) is R or
 * AL. The paragraph-direction rule of the Unicode bidirectional algorithm (P2–P3), and what a
 * browser does for `dir="auto"`, so the editor and every export agree on a paragraph's direction. */
export function isRightToLeft(text: string): boolean {
  for (const char of text) {
    const type = bidi.getBidiCharTypeName(char);
    if (type === "L") return false;
    if (type === "R" || type === "AL") return true;
  }
  return false;
}

/** The direction of a paragraph of `text` (left to right when it has no strong character). */
export function directionOf(text: string): Direction {
  return isRightToLeft(text) ? "rtl" : "ltr";
}

// A BMP character of each bidi class, to stand in for both halves of an astral character.
const STAND_INS: Partial<Record<ReturnType<typeof bidi.getBidiCharTypeName>, string>> = {
  R: "\u05D0",
  AL: "\u0627",
  EN: "0",
  AN: "\u0660",
  NSM: "\u0300",
  BN: "\u200B",
  ON: "!",
  ET: "#",
  ES: "+",
  CS: ",",
  WS: " ",
};

/** `text` with every astral character replaced by two code units of its own bidi class, so
 * bidi-js sees classes per character and indices still match `text`. */
export function bidiStandIn(text: string): string {
  return text.replace(/[\u{10000}-\u{10FFFF}]/gu, (pair) => {
    const standIn = STAND_INS[bidi.getBidiCharTypeName(pair)];
    return standIn ? standIn + standIn : pair;
  });
}

/** Resolved bidi levels of `text` (one per UTF-16 code unit) in a paragraph of `direction`. A
 * "\n" (a hard line break) separates bidi paragraphs, each with the same base direction. */
export function embeddingLevels(text: string, direction: Direction): EmbeddingLevels {
  return bidi.getEmbeddingLevels(bidiStandIn(text), direction);
}
