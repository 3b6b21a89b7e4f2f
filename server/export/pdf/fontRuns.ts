// Splits text into runs that one font can draw, trying a chain of fonts in order. pdfkit draws a
// string in a single font, and no one font covers Latin, Arabic, Hebrew and emoji; without this,
// every character the text font lacks would print as an empty box.
//
// Rules, per code point:
// - marks, joiners and variation selectors stay with the run before them (they shape with it);
// - spaces and punctuation stay with the run before them when its font has them, so an Arabic
//   phrase stays one run, shaped and drawn as a whole;
// - anything else takes the first font in the chain that has it;
// - an invisible formatting character no font has is dropped; any other character no font has is
//   drawn by the first font (its "missing glyph" box): a fallback, never an error.
// Which way each run reads, and where it goes on its line, is lineLayout.ts's business.

/** Whether a font has a glyph for a code point. */
export type Coverage<Face> = (face: Face, codePoint: number) => boolean;

/** A piece of text drawn in one face. */
export type FaceRun<Face> = { face: Face; text: string };

const COMBINING = /^[\p{M}\p{Sk}\u200C\u200D\uFE00-\uFE0F\u{E0020}-\u{E007F}\u{E0100}-\u{E01EF}]$/u;
const NEUTRAL = /^[\p{Z}\p{P}\s\u200B]$/u;
const INVISIBLE = /^[\p{Cf}\uFE00-\uFE0F\u{E0100}-\u{E01EF}]$/u;

/** Splits `text` into runs, each in the first face of `chain` that can draw it. */
export function splitByFont<Face>(text: string, chain: readonly Face[], covers: Coverage<Face>): FaceRun<Face>[] {
  const runs: FaceRun<Face>[] = [];
  let current: FaceRun<Face> | undefined;
  const append = (face: Face, char: string) => {
    if (current?.face === face) current.text += char;
    else runs.push((current = { face, text: char }));
  };
  for (const char of text) {
    const codePoint = char.codePointAt(0)!;
    if (char === "\n") {
      append(current?.face ?? chain[0], char);
      continue;
    }
    const sticky = COMBINING.test(char) || NEUTRAL.test(char);
    if (current && sticky && covers(current.face, codePoint)) {
      append(current.face, char);
      continue;
    }
    if (current && COMBINING.test(char) && !INVISIBLE.test(char)) {
      // A combining mark the run's font lacks still belongs to its base character.
      append(current.face, char);
      continue;
    }
    const face = chain.find((candidate) => covers(candidate, codePoint));
    if (face !== undefined) append(face, char);
    else if (!INVISIBLE.test(char)) append(chain[0], char);
  }
  return runs;
}

/** Longest stretch without a break opportunity before one is inserted. */
export const LONGEST_UNBROKEN = 40;

/** Inserts zero-width spaces into very long words, so they wrap instead of overflowing the line.
 * pdfkit can break an over-long word itself, but it re-measures the rest of the word for every
 * line, which takes seconds for a 20,000-character word. */
export function breakLongWords(text: string, every = LONGEST_UNBROKEN): string {
  return text.replace(new RegExp(`[^\\s\\u200B]{${every + 1},}`, "gu"), (word) => {
    const chars = Array.from(word);
    const pieces: string[] = [];
    for (let index = 0; index < chars.length; index += every) pieces.push(chars.slice(index, index + every).join(""));
    return pieces.join("\u200B");
  });
}
