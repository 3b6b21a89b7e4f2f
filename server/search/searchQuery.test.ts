import { describe, expect, it } from "vitest";
import { MAX_QUERY_CHARS, parseSearchQuery } from "./searchQuery";

describe("parseSearchQuery", () => {
  it("reads words, the last one a prefix while it is being typed", () => {
    expect(parseSearchQuery("Sanctions reli")).toMatchObject({
      tsquery: "'sanctions' & 'reli':*",
      substrings: ["sanctions", "reli"],
    });
    // A space after the last word: it is finished.
    expect(parseSearchQuery("sanctions relief ")?.tsquery).toBe("'sanctions' & 'relief'");
  });

  it("reads quoted phrases as adjacent words, and an unclosed quote as a phrase to the end", () => {
    expect(parseSearchQuery('"grain corridor" exports')?.tsquery).toBe("('grain' <-> 'corridor') & 'exports':*");
    expect(parseSearchQuery('exports "grain corr')?.tsquery).toBe("'exports' & ('grain' <-> 'corr')");
    expect(parseSearchQuery('"Odesa"')?.tsquery).toBe("'odesa'");
  });

  it("never lets tsquery syntax through: operators, quotes and backslashes are not words", () => {
    for (const hostile of ["a & !b", "a' | 'b", "\\' & x:*", "(a <-> b) | c", "a:*B", "x'):*|('y"]) {
      const parsed = parseSearchQuery(hostile);
      expect(parsed).not.toBeNull();
      // Only quoted lexemes of letters and digits, joined by our own operators.
      expect(parsed!.tsquery).toMatch(
        /^(\(?'[\p{L}\p{N}\p{M}]+'(:\*)?( <-> '[\p{L}\p{N}\p{M}]+')*\)?)( & \(?'[\p{L}\p{N}\p{M}]+'(:\*)?( <-> '[\p{L}\p{N}\p{M}]+')*\)?)*$/u,
      );
    }
    expect(parseSearchQuery("a & !b")?.tsquery).toBe("'a' & 'b'");
  });

  it("keeps every script's words, lower-cased and composed", () => {
    expect(parseSearchQuery("العقوبات على")?.tsquery).toBe("'العقوبات' & 'على':*");
    expect(parseSearchQuery("Cafe\u0301 ÉTÉ ")?.tsquery).toBe("'café' & 'été'");
  });

  it("answers null when nothing is left to search for, and refuses what is not a query", () => {
    expect(parseSearchQuery("  & | ! ")).toBeNull();
    expect(parseSearchQuery('""')).toBeNull();
    expect(() => parseSearchQuery(42)).toThrow(/Type something/);
    expect(() => parseSearchQuery("x".repeat(MAX_QUERY_CHARS + 1))).toThrow(/at most/);
  });

  it("bounds the work: no one-letter prefix, at most 16 words in a phrase or in all", () => {
    expect(parseSearchQuery("a")?.tsquery).toBe("'a'");
    expect(parseSearchQuery("ab")?.tsquery).toBe("'ab':*");
    const phrase = parseSearchQuery(
      `"${Array.from({ length: 60 }, (_, i) => String.fromCharCode(97 + (i % 26))).join(" ")}"`,
    )!;
    expect(phrase.terms[0].words).toHaveLength(16);
    const many = parseSearchQuery(`"a b c d e f g h" "i j k l m n o p" q r s`)!;
    expect(many.terms.flatMap((term) => term.words)).toHaveLength(16);
    expect(many.terms.at(-1)?.prefix).toBe(false);
  });

  it("bounds the work: at most 12 terms, words of at most 60 characters, no short substrings", () => {
    const parsed = parseSearchQuery(Array.from({ length: 40 }, (_, i) => `w${i}`).join(" "))!;
    expect(parsed.terms).toHaveLength(12);
    expect(parsed.terms.every((term) => !term.prefix)).toBe(true);
    expect(parseSearchQuery("y".repeat(150))!.terms[0].words[0]).toHaveLength(60);
    expect(parseSearchQuery("an eu sanctions")!.substrings).toEqual(["sanctions"]);
  });
});
