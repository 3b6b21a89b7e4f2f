import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isRightToLeftScript, layoutLines, reverseGraphemes, type Span } from "./lineLayout";

// A monospaced toy font: every grapheme cluster is 1 wide. One span per test text, in one face.
const measure = (_face: string, text: string) =>
  Array.from(new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text)).length;
const whole = (text: string): Span<string, null>[] => [{ face: "f", style: null, start: 0, end: text.length }];
const lay = (text: string, direction: "ltr" | "rtl", width = 1000) =>
  layoutLines(text, whole(text), direction, width, measure);
/** What a reader sees, left to right: fontkit reverses runs of a right-to-left script. */
const seen = (text: string, direction: "ltr" | "rtl", width?: number) =>
  lay(text, direction, width).map((line) =>
    line.runs.map((run) => (run.rtlScript ? reverseGraphemes(run.text) : run.text)).join(""),
  );

describe("layoutLines", () => {
  it("orders an English phrase and an emoji inside an Arabic paragraph as the bidi algorithm does", () => {
    // Logical: Arabic, English, Arabic, emoji, English. The emoji sits between Arabic and English
    // in a right-to-left paragraph, so it reads right to left, after the Arabic.
    expect(seen("قالت The ministry said مرحبا 🎉 today", "rtl")).toEqual(["today 🎉 ابحرم The ministry said تلاق"]);
  });

  it("keeps an English paragraph left to right with the Arabic phrase reversed in place", () => {
    expect(seen("The ministry said مرحبا بالعالم 🎉 today", "ltr")).toEqual([
      "The ministry said ملاعلاب ابحرم 🎉 today",
    ]);
  });

  it("puts runs side by side: each starts where the one to its left ends", () => {
    for (const direction of ["ltr", "rtl"] as const) {
      const [line] = lay("قالت The ministry said مرحبا 🎉 today", direction);
      line.runs.forEach((run, index) =>
        expect(run.x).toBe(index === 0 ? 0 : line.runs[index - 1].x + line.runs[index - 1].width),
      );
      expect(line.width).toBe(line.runs.reduce((sum, run) => sum + run.width, 0));
    }
  });

  it("reverses neutrals and emoji at a right-to-left level itself, and mirrors brackets there", () => {
    // Brackets and emoji in a face of their own: fontkit would lay that run out left to right.
    const text = "مرحبا (🎉 👍) عالم";
    const middle = [text.indexOf("("), text.indexOf(")") + 1];
    const spans: Span<string, null>[] = [
      { face: "arabic", style: null, start: 0, end: middle[0] },
      { face: "symbols", style: null, start: middle[0], end: middle[1] },
      { face: "arabic", style: null, start: middle[1], end: text.length },
    ];
    const [line] = layoutLines(text, spans, "rtl", 100, measure);
    expect(line.runs.map((run) => [run.face, run.text, run.rtlScript])).toEqual([
      ["arabic", " عالم", true],
      ["symbols", "(👍 🎉)", false],
      ["arabic", "مرحبا ", true],
    ]);
  });

  it("breaks lines at spaces, fits each in the width, and reorders each line on its own", () => {
    const lines = seen("אחת שתיים three four חמש", "rtl", 12);
    expect(lines).toEqual(["םייתש תחא", "three four", "שמח"]);
    for (const line of lay("אחת שתיים three four חמש", "rtl", 12)) expect(line.width).toBeLessThanOrEqual(12);
  });

  it("breaks at a hard line break, and a word wider than the line between clusters", () => {
    expect(seen("ab\ncd", "ltr")).toEqual(["ab", "cd"]);
    expect(seen("abcdefgh", "ltr", 3)).toEqual(["abc", "def", "gh"]);
  });
});

describe("layoutLines without right-to-left text", () => {
  it("lays a left-to-right paragraph out as the bidi algorithm would, without running it", () => {
    const pieces = [
      "The",
      "minister",
      " ",
      "  ",
      "3.5",
      "%",
      "(",
      ")",
      "«",
      "»",
      "🎉",
      "👍🏽",
      "\n",
      "e\u0301",
      "Ça",
      "—",
      "-",
      "12,000",
      "x",
    ];
    const paragraph = fc.array(
      fc.record({
        text: fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 6 }).map((parts) => parts.join("")),
        face: fc.constantFrom("a", "b"),
      }),
      {
        minLength: 1,
        maxLength: 8,
      },
    );
    fc.assert(
      fc.property(paragraph, fc.integer({ min: 2, max: 30 }), (parts, width) => {
        let text = "";
        const spans: Span<string, null>[] = parts.map((part) => {
          const span = { face: part.face, style: null, start: text.length, end: text.length + part.text.length };
          text += part.text;
          return span;
        });
        expect(layoutLines(text, spans, "ltr", width, measure)).toEqual(
          layoutLines(text, spans, "ltr", width, measure, true),
        );
      }),
      { numRuns: 500 },
    );
  });
});

describe("isRightToLeftScript", () => {
  it("follows the first character with a script, as fontkit picks a run's direction", () => {
    expect(isRightToLeftScript("مرحبا")).toBe(true);
    expect(isRightToLeftScript(" (שלום")).toBe(true);
    expect(isRightToLeftScript("١٢")).toBe(true);
    expect(isRightToLeftScript("🎉 !")).toBe(false);
    expect(isRightToLeftScript("today")).toBe(false);
  });
});
