import { describe, expect, it } from "vitest";
import { breakLongWords, splitByFont } from "./fontRuns";

// Three toy fonts: Latin letters and punctuation; Arabic with space, digits and ZWSP; emoji with
// space, ZWJ and VS16, but no ZWSP.
const coverage: Record<string, (codePoint: number) => boolean> = {
  latin: (cp) => cp < 0x250 || cp === 0x2019 || cp === 0x200b,
  arabic: (cp) => (cp >= 0x600 && cp <= 0x6ff) || cp === 0x20 || (cp >= 0x30 && cp <= 0x39) || cp === 0x200b,
  emoji: (cp) => cp >= 0x1f300 || (cp >= 0x2600 && cp <= 0x27bf) || cp === 0x200d || cp === 0xfe0f || cp === 0x20,
};
const chain = ["latin", "arabic", "emoji"];
const split = (text: string) =>
  splitByFont(text, chain, (face, cp) => coverage[face](cp)).map((run) => [run.face, run.text]);

describe("splitByFont", () => {
  it("keeps text one font covers in one run", () => {
    expect(split("Islamabad’s view, in brief.")).toEqual([["latin", "Islamabad’s view, in brief."]]);
  });

  it("moves to a fallback font for another script and keeps spaces inside that script's run", () => {
    expect(split("He said مرحبا بالعالم today")).toEqual([
      ["latin", "He said "],
      ["arabic", "مرحبا بالعالم "],
      ["latin", "today"],
    ]);
  });

  it("keeps emoji sequences with joiners and selectors together in the emoji font", () => {
    expect(split("Team 👨‍👩‍👧 ❤️!")).toEqual([
      ["latin", "Team "],
      ["emoji", "👨‍👩‍👧 ❤️"],
      ["latin", "!"],
    ]);
  });

  it("keeps a space in the run before it when that font has it, and gives punctuation it lacks to the next font that has it", () => {
    expect(split("مرحبا x")).toEqual([
      ["arabic", "مرحبا "],
      ["latin", "x"],
    ]);
    expect(split("مرحبا, x")).toEqual([
      ["arabic", "مرحبا"],
      ["latin", ", x"],
    ]);
    expect(split("😀 a")).toEqual([
      ["emoji", "😀 "],
      ["latin", "a"],
    ]);
  });

  it("prefers the first font again for letters after a fallback run", () => {
    expect(split("😀 ab")).toEqual([
      ["emoji", "😀 "],
      ["latin", "ab"],
    ]);
  });

  it("drops invisible characters no font has, and draws other missing ones with the first font", () => {
    expect(split("a\u2060b")).toEqual([["latin", "ab"]]);
    expect(split("漢字")).toEqual([["latin", "漢字"]]);
    expect(split("")).toEqual([]);
  });

  it("finds a font for a zero-width space after an emoji", () => {
    expect(split("😀\u200B😀")).toEqual([
      ["emoji", "😀"],
      ["latin", "\u200B"],
      ["emoji", "😀"],
    ]);
  });
});

describe("breakLongWords", () => {
  it("leaves ordinary words alone", () => {
    expect(breakLongWords("Strategic realignment, post-2025.")).toBe("Strategic realignment, post-2025.");
  });

  it("inserts a break opportunity every 40 characters of a long word, never inside a surrogate pair", () => {
    const broken = breakLongWords("x".repeat(20_000));
    expect(broken.replaceAll("\u200B", "")).toBe("x".repeat(20_000));
    expect(broken.split("\u200B").every((piece) => piece.length === 40)).toBe(true);
    const emoji = breakLongWords("😀".repeat(50));
    expect(Array.from(emoji.split("\u200B")[0])).toHaveLength(40);
    expect(emoji).not.toMatch(/[\uD800-\uDBFF]\u200B/u);
  });
});
