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

describe("TRUST_PROXY and COLLAB_BYTES_PER_SECOND", () => {
  afterEach(() => {
    setEnv({ TRUST_PROXY: undefined, COLLAB_BYTES_PER_SECOND: undefined });
  });

  it("default to no proxy (the socket's peer is the client) and 512 KiB a second", () => {
    const env = setEnv({ TRUST_PROXY: undefined, COLLAB_BYTES_PER_SECOND: undefined });
    expect(env.TRUST_PROXY).toBe(0);
    expect(env.COLLAB_BYTES_PER_SECOND).toBe(512 * 1024);
  });

  it("take a hop count from 0 to 10, and refuse anything else", () => {
    expect(setEnv({ TRUST_PROXY: "2" }).TRUST_PROXY).toBe(2);
    for (const value of ["11", "-1", "1.5", "yes"]) expect(() => setEnv({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
    expect(() => setEnv({ TRUST_PROXY: undefined, COLLAB_BYTES_PER_SECOND: "100" })).toThrow(/COLLAB_BYTES_PER_SECOND/);
  });
});
