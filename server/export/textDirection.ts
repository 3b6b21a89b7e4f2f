// Which way a paragraph reads, for the formats that need to be told (PDF alignment, DOCX "bidi").

const RTL_STRONG = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF\u{10800}-\u{10FFF}\u{1E800}-\u{1EFFF}]/u;
const STRONG = /\p{L}/u;

/** Whether text reads right to left: its first letter is Hebrew, Arabic or another RTL script
 * (the paragraph-direction rule of the Unicode bidirectional algorithm, P2–P3). */
export function isRightToLeft(text: string): boolean {
  for (const char of text) if (STRONG.test(char)) return RTL_STRONG.test(char);
  return false;
}
