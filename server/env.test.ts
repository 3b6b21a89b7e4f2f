import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_MEMO_MARKINGS, setEnv } from "./env";

const original = process.env.MEMO_MARKINGS;
afterEach(() => {
  setEnv({ MEMO_MARKINGS: original });
});

describe("MEMO_MARKINGS", () => {
  it("defaults to the three standard markings, UNCLASSIFIED first", () => {
    expect(setEnv({ MEMO_MARKINGS: undefined }).MEMO_MARKINGS).toEqual(DEFAULT_MEMO_MARKINGS);
    expect(DEFAULT_MEMO_MARKINGS[0]).toBe("UNCLASSIFIED");
  });

  it("reads a |-separated list, trimming entries and keeping commas and slashes", () => {
    const env = setEnv({ MEMO_MARKINGS: " OFFICIAL | OFFICIAL-SENSITIVE |SECRET//REL TO USA, GBR| " });
    expect(env.MEMO_MARKINGS).toEqual(["OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET//REL TO USA, GBR"]);
  });

  it("refuses an empty list and duplicates with a readable error", () => {
    expect(() => setEnv({ MEMO_MARKINGS: " | " })).toThrow(/MEMO_MARKINGS: name at least one marking/);
    expect(() => setEnv({ MEMO_MARKINGS: "SECRET|SECRET" })).toThrow(/MEMO_MARKINGS: markings must be unique/);
  });
});
