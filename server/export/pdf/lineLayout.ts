import LineBreaker from "linebreak";
import { bidi, bidiStandIn, embeddingLevels, type Direction } from "../../../common/export/textDirection";

// Lays a paragraph out in lines for the PDF: where lines break, and what is drawn where on each
// line, in the order of the Unicode Bidirectional Algorithm. pdfkit's own wrapping cannot do this:
// it aligns every `continued` fragment on its own (a right-aligned paragraph of several fonts
// printed each fragment against the right margin, on top of one another) and knows no bidi.
//
// A paragraph arrives as spans of one face and style each (fontRuns.ts splits by font). Then:
// 1. bidi-js resolves an embedding level per character, with the paragraph's own direction;
// 2. spans are cut where the level changes, so each piece reads one way in one face;
// 3. lines break at UAX #14 opportunities (the `linebreak` package pdfkit itself uses), measured
//    piece by piece; a word wider than the line breaks between grapheme clusters;
// 4. each line is reordered for display (bidi-js's reordered indices, trailing spaces dropped),
//    and consecutive characters of one piece become one drawn run, left to right.
// fontkit shapes each run, and reverses it when its script is Arabic, Hebrew or another
// right-to-left script. A run that must read the other way than fontkit would lay it (neutrals
// and emoji at a right-to-left level, Arabic-Indic digits at a left-to-right one) is handed over
// in reversed grapheme order instead; characters with a mirror image ("(", "«") are mirrored in
// right-to-left runs. Every run is measured with the options it is drawn with, and drawn at the
// x where the previous one ended, so nothing overprints.

/** A stretch of the paragraph's text, [start, end) in UTF-16 units, drawn in one face and style. */
export type Span<Face, Style> = { face: Face; style: Style; start: number; end: number };

/** Width in points of `text` in `face`, laid out as one run (rtl: as fontkit shapes Arabic). */
export type Measure<Face> = (face: Face, text: string, rightToLeftScript: boolean) => number;

/** One run as drawn: `text` is what to give pdfkit, `rtlScript` whether fontkit lays it out right
 * to left (pdfkit must then be given OpenType features, so it shapes the run as a whole). */
export type DrawnRun<Face, Style> = {
  face: Face;
  style: Style;
  text: string;
  rtlScript: boolean;
  x: number;
  width: number;
  start: number;
};

/** A laid-out line: runs left to right, x from the line's left end. */
export type Line<Face, Style> = { runs: DrawnRun<Face, Style>[]; width: number };

// Scripts fontkit lays out right to left (its Script.direction table), and the scripts it skips
// when it picks a run's script from its first character.
const RTL_SCRIPT =
  /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Cypriot}\p{Script=Kharoshthi}\p{Script=Phoenician}\p{Script=Nko}\p{Script=Lydian}\p{Script=Avestan}\p{Script=Imperial_Aramaic}\p{Script=Inscriptional_Pahlavi}\p{Script=Inscriptional_Parthian}\p{Script=Old_South_Arabian}\p{Script=Old_Turkic}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Meroitic_Cursive}\p{Script=Meroitic_Hieroglyphs}\p{Script=Manichaean}\p{Script=Mende_Kikakui}\p{Script=Nabataean}\p{Script=Old_North_Arabian}\p{Script=Palmyrene}\p{Script=Psalter_Pahlavi}]/u;
const NO_SCRIPT = /[\p{Script=Common}\p{Script=Inherited}\p{Script=Unknown}]/u;

/** Whether fontkit lays `text` out right to left: the script of its first character that has one. */
export function isRightToLeftScript(text: string): boolean {
  for (const char of text) if (!NO_SCRIPT.test(char)) return RTL_SCRIPT.test(char);
  return false;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** `text` with its grapheme clusters in reverse order (an emoji sequence stays whole). */
export function reverseGraphemes(text: string): string {
  return Array.from(graphemes.segment(text), (part) => part.segment)
    .reverse()
    .join("");
}

const TRAILING_SPACE = /[\s\u200B]+$/u;

// Characters that can give any character of a left-to-right paragraph an odd level: right-to-left
// letters (Hebrew, Arabic and the other right-to-left blocks), Arabic numbers, and the explicit
// directional marks, embeddings and isolates. A left-to-right paragraph without them is all level 0
// (European digits take the direction of the strong text before them, which is left to right):
// nothing to reorder and nothing to mirror, so bidi-js is not asked (most memos, most paragraphs).
const MAY_REORDER =
  /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF\u200F\u202A-\u202E\u2066-\u2069\u061C\u{10800}-\u{10FFF}\u{1E800}-\u{1EFFF}]/u;

type Piece<Face, Style> = Span<Face, Style> & { level: number };
type Segment = { start: number; end: number; width: number; trimmedWidth: number; required: boolean };

/**
 * Lays `text` out in lines at most `maxWidth` wide, reading in `direction`. `alwaysBidi` runs the
 * bidi algorithm even where it would change nothing (for the tests that compare the two ways).
 */
export function layoutLines<Face, Style>(
  text: string,
  spans: Span<Face, Style>[],
  direction: Direction,
  maxWidth: number,
  measure: Measure<Face>,
  alwaysBidi = false,
): Line<Face, Style>[] {
  const leftToRightOnly = !alwaysBidi && direction === "ltr" && !MAY_REORDER.test(text);
  const levels = leftToRightOnly ? null : embeddingLevels(text, direction);
  const pieces = levels ? splitByLevel(spans, levels.levels) : spans.map((span) => ({ ...span, level: 0 }));
  const pieceAt = new Int32Array(text.length);
  pieces.forEach((piece, index) => pieceAt.fill(index, piece.start, piece.end));

  // Width of [start, end) as the pieces it crosses would be drawn, each part on its own.
  const widthOf = (start: number, end: number) => {
    let width = 0;
    for (let at = start; at < end;) {
      const piece = pieces[pieceAt[at]];
      const stop = Math.min(end, piece.end);
      const part = text.slice(at, stop).replace(/\n/gu, "");
      if (part) width += measure(piece.face, part, isRightToLeftScript(part));
      at = stop;
    }
    return width;
  };
  const segmentOf = (start: number, end: number, required: boolean): Segment => {
    const trimmedEnd = start + text.slice(start, end).replace(TRAILING_SPACE, "").length;
    const trimmedWidth = widthOf(start, trimmedEnd);
    return { start, end, required, trimmedWidth, width: trimmedWidth + widthOf(trimmedEnd, end) };
  };

  const lines: [number, number][] = [];
  let lineStart = 0;
  let lineEnd = 0;
  let lineWidth = 0;
  const place = (segment: Segment) => {
    if (lineEnd > lineStart && lineWidth + segment.trimmedWidth > maxWidth) {
      lines.push([lineStart, lineEnd]);
      lineStart = segment.start;
      lineWidth = 0;
    }
    lineEnd = segment.end;
    lineWidth += segment.width;
    if (segment.required) {
      lines.push([lineStart, lineEnd]);
      lineStart = lineEnd;
      lineWidth = 0;
    }
  };
  const breaker = new LineBreaker(text);
  let from = 0;
  for (let found = breaker.nextBreak(); found; found = breaker.nextBreak()) {
    const segment = segmentOf(from, found.position, found.required);
    if (segment.trimmedWidth <= maxWidth) place(segment);
    else {
      // A word wider than the line: break it between grapheme clusters.
      const clusters = Array.from(graphemes.segment(text.slice(from, found.position)), ({ index, segment: part }) => [
        from + index,
        from + index + part.length,
      ]);
      clusters.forEach(([start, end], index) =>
        place(segmentOf(start, end, found.required && index === clusters.length - 1)),
      );
    }
    from = found.position;
  }
  if (lineEnd > lineStart) lines.push([lineStart, lineEnd]);

  if (!levels) return lines.map(([start, end]) => leftToRightLine(text, pieces, pieceAt, start, end, measure));
  const standIn = bidiStandIn(text);
  return lines.map(([start, end]) => drawnLine(text, standIn, levels, pieces, pieceAt, start, end, measure));
}

/** A line of a paragraph that is all level 0: each piece it crosses, in text order. */
function leftToRightLine<Face, Style>(
  text: string,
  pieces: Piece<Face, Style>[],
  pieceAt: Int32Array,
  start: number,
  end: number,
  measure: Measure<Face>,
): Line<Face, Style> {
  const visibleEnd = start + text.slice(start, end).replace(TRAILING_SPACE, "").length;
  const runs: DrawnRun<Face, Style>[] = [];
  let x = 0;
  for (let at = start; at < visibleEnd;) {
    const piece = pieces[pieceAt[at]];
    const stop = Math.min(visibleEnd, piece.end);
    const drawn = text.slice(at, stop);
    // fontkit lays a run out right to left when its first script is (a left-to-right paragraph
    // has none of those scripts, but a run of only neutrals has no script and reads as Latin).
    const rtlScript = isRightToLeftScript(drawn);
    const width = measure(piece.face, drawn, rtlScript);
    runs.push({ face: piece.face, style: piece.style, text: drawn, rtlScript, x, width, start: at });
    x += width;
    at = stop;
  }
  return { runs, width: x };
}

function splitByLevel<Face, Style>(spans: Span<Face, Style>[], levels: Uint8Array): Piece<Face, Style>[] {
  const pieces: Piece<Face, Style>[] = [];
  for (const span of spans) {
    for (let start = span.start; start < span.end;) {
      let end = start + 1;
      while (end < span.end && levels[end] === levels[start]) end++;
      pieces.push({ ...span, start, end, level: levels[start] });
      start = end;
    }
  }
  return pieces;
}

function drawnLine<Face, Style>(
  text: string,
  standIn: string,
  levels: ReturnType<typeof embeddingLevels>,
  pieces: Piece<Face, Style>[],
  pieceAt: Int32Array,
  start: number,
  end: number,
  measure: Measure<Face>,
): Line<Face, Style> {
  const visibleEnd = start + text.slice(start, end).replace(TRAILING_SPACE, "").length;
  if (visibleEnd <= start) return { runs: [], width: 0 };
  // bidi-js returns the whole paragraph's indices, with this line's reordered in place.
  const order = bidi.getReorderedIndices(standIn, levels, start, visibleEnd - 1).slice(start, visibleEnd);
  const mirrored = bidi.getMirroredCharactersMap(text, levels.levels, start, visibleEnd - 1);
  const runs: DrawnRun<Face, Style>[] = [];
  let x = 0;
  for (let at = 0; at < order.length;) {
    // One run: visually consecutive characters of one piece, consecutive in the text too.
    const piece = pieceAt[order[at]];
    const step = order.length > at + 1 && pieceAt[order[at + 1]] === piece ? order[at + 1] - order[at] : 0;
    let next = at + 1;
    while (
      next < order.length &&
      pieceAt[order[next]] === piece &&
      (step === 1 || step === -1) &&
      order[next] - order[next - 1] === step
    )
      next++;
    const indices = order.slice(at, next);
    const first = Math.min(...indices);
    const last = Math.max(...indices);
    const logical = Array.from(
      { length: last - first + 1 },
      (_, offset) => mirrored.get(first + offset) ?? text[first + offset],
    ).join("");
    const rightToLeft = step === -1 || (step === 0 && (levels.levels[first] & 1) === 1);
    const rtlScript = isRightToLeftScript(logical);
    const drawn = rightToLeft === rtlScript ? logical : reverseGraphemes(logical);
    const { face, style } = pieces[piece];
    const width = measure(face, drawn, rtlScript);
    runs.push({ face, style, text: drawn, rtlScript, x, width, start: first });
    x += width;
    at = next;
  }
  return { runs, width: x };
}
