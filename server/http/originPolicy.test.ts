import { describe, expect, it } from "vitest";
import { originAllowed, originPolicy } from "./originPolicy";

const byDefault = originPolicy("http://localhost:3000", false);
const configured = originPolicy("https://memos.example.org/", true);

describe("originAllowed", () => {
  it("accepts the configured origin, and with the default any address the request was sent to", () => {
    expect(originAllowed("http://localhost:3000", "localhost:3000", byDefault)).toBe(true);
    expect(originAllowed("http://127.0.0.1:3000", "127.0.0.1:3000", byDefault)).toBe(true);
    expect(originAllowed("http://192.168.1.20:3000", "192.168.1.20:3000", byDefault)).toBe(true);
    expect(originAllowed("http://analysts-box:3000", "ANALYSTS-BOX:3000", byDefault)).toBe(true);
    expect(originAllowed("http://[::1]:3000", "[::1]:3000", byDefault)).toBe(true);
    expect(originAllowed("http://memos.lan", "memos.lan:80", byDefault)).toBe(true);
    expect(originAllowed("https://memos.example.org", "10.0.0.5:3000", configured)).toBe(true);
  });

  it("refuses another site's page, whatever Host it sends to", () => {
    expect(originAllowed("http://evil.example", "localhost:3000", byDefault)).toBe(false);
    expect(originAllowed("http://localhost:3001", "localhost:3000", byDefault)).toBe(false);
    expect(originAllowed("http://127.0.0.1:3000", "localhost:3000", byDefault)).toBe(false);
    expect(originAllowed("http://127.0.0.1:3000", undefined, byDefault)).toBe(false);
    expect(originAllowed("null", "localhost:3000", byDefault)).toBe(false);
    expect(originAllowed("file://", "localhost:3000", byDefault)).toBe(false);
    expect(originAllowed("chrome-extension://abc", "abc", byDefault)).toBe(false);
    expect(originAllowed("http://a@localhost:3000", "localhost:3000", byDefault)).toBe(false);
    expect(originAllowed("http://localhost:3000/path", "localhost:3000", byDefault)).toBe(false);
    expect(originAllowed("http://127.0.0.1:3000", "127.0.0.1:3000/x", byDefault)).toBe(false);
    expect(originAllowed("http://127.0.0.1:3000", "user@127.0.0.1:3000", byDefault)).toBe(false);
    expect(originAllowed("http://127.0.0.1:3000", "", byDefault)).toBe(false);
    expect(originAllowed("http://127.0.0.1:3000", "%%%", byDefault)).toBe(false);
  });

  it("with APP_URL set, refuses every other origin, even one the request was sent to", () => {
    expect(originAllowed("http://127.0.0.1:3000", "127.0.0.1:3000", configured)).toBe(false);
    expect(originAllowed("http://memos.example.org", "memos.example.org", configured)).toBe(false);
  });
});
