import { describe, expect, it } from "vitest";
import { safeHref, tokenizeComment } from "./commentTokens";

const ann = { id: "u-ann", name: "Ann Lee" };

describe("tokenizeComment", () => {
  it("keeps markup as plain text", () => {
    expect(tokenizeComment("<img src=x onerror=alert(1)>", [])).toEqual([
      { kind: "text", text: "<img src=x onerror=alert(1)>" },
    ]);
    expect(tokenizeComment('<a href="javascript:alert(1)">click</a>', [])).toEqual([
      { kind: "text", text: '<a href="javascript:alert(1)">click</a>' },
    ]);
  });

  it("never links a javascript:, data: or vbscript: URL", () => {
    for (const body of [
      "javascript:alert(1)",
      "javascript://example.org/%0aalert(1)",
      "JaVaScRiPt://x.org/%0Aalert(1)",
      "data:text/html,<script>alert(1)</script>",
      "vbscript://x.org/msgbox",
    ]) {
      expect(tokenizeComment(body, []).every((token) => token.kind === "text")).toBe(true);
    }
  });

  it("links http(s), bare domains and email addresses", () => {
    expect(
      tokenizeComment("See https://example.org/a?b=1 and www.state.gov, or write to desk@example.org.", []),
    ).toEqual([
      { kind: "text", text: "See " },
      { kind: "link", text: "https://example.org/a?b=1", href: "https://example.org/a?b=1" },
      { kind: "text", text: " and " },
      { kind: "link", text: "www.state.gov", href: "http://www.state.gov/" },
      { kind: "text", text: ", or write to " },
      { kind: "link", text: "desk@example.org", href: "mailto:desk@example.org" },
      { kind: "text", text: "." },
    ]);
  });

  it("links a full URL written right after a colon", () => {
    expect(tokenizeComment("Source:https://example.org", [])).toEqual([
      { kind: "text", text: "Source:" },
      { kind: "link", text: "https://example.org", href: "https://example.org/" },
    ]);
  });

  it("marks mentions of the comment's people only, longest name first", () => {
    const annOnly = { id: "u-a", name: "Ann" };
    expect(tokenizeComment("@Ann Lee and @Bob, cc @Ann", [annOnly, ann])).toEqual([
      { kind: "mention", text: "@Ann Lee", userId: "u-ann" },
      { kind: "text", text: " and @Bob, cc " },
      { kind: "mention", text: "@Ann", userId: "u-a" },
    ]);
  });

  it("finds links next to mentions", () => {
    expect(tokenizeComment("@Ann Lee https://example.org", [ann])).toEqual([
      { kind: "mention", text: "@Ann Lee", userId: "u-ann" },
      { kind: "text", text: " " },
      { kind: "link", text: "https://example.org", href: "https://example.org/" },
    ]);
  });
});

describe("safeHref", () => {
  it("accepts only http, https and mailto", () => {
    expect(safeHref("https://example.org")).toBe("https://example.org/");
    expect(safeHref("mailto:a@example.org")).toBe("mailto:a@example.org");
    expect(safeHref("javascript:alert(1)")).toBeNull();
    expect(safeHref(" javascript:alert(1)")).toBeNull();
    expect(safeHref("not a url")).toBeNull();
  });
});
