import { describe, expect, it } from "vitest";
import { isStorableText, storableText, toStorableJson, toStorableText, unstorableTextMessage } from "./storableText";

const HIGH = "\uD83D";
const LOW = "\uDE00";
const PAIR = `${HIGH}${LOW}`; // 😀

describe("storable text", () => {
  it("accepts any text PostgreSQL can store, astral characters and other controls included", () => {
    for (const text of [
      "",
      "Plain",
      "Pakistan’s “new” era — 2025",
      `smile ${PAIR}`,
      "tab\tbell\u0007",
      "\uFFFD",
      "\uFEFF",
    ]) {
      expect(isStorableText(text), JSON.stringify(text)).toBe(true);
      expect(unstorableTextMessage(text, "the title")).toBeNull();
    }
  });

  it("refuses NUL and unpaired surrogates, wherever they are", () => {
    for (const text of [
      "\u0000",
      "a\u0000b",
      HIGH,
      LOW,
      `a${HIGH}`,
      `${LOW}a`,
      `${LOW}${HIGH}`,
      `${PAIR}${HIGH}`,
      `${HIGH}${HIGH}${LOW}`,
    ]) {
      expect(isStorableText(text), JSON.stringify(text)).toBe(false);
    }
  });

  it("says what to fix and where", () => {
    expect(unstorableTextMessage("a\u0000b", "the title")).toBe(
      "Remove the invisible control character (NUL) from the title.",
    );
    expect(unstorableTextMessage(`a${HIGH}`, "the comment")).toBe(
      "The comment contains a broken character (an unpaired surrogate): retype or paste it again.",
    );
  });

  it("as a zod string: refuses first, with its message only, and lets the rest of the chain work", () => {
    const schema = storableText("your name").trim().min(1, "Enter your name.").max(3, "Too long.");
    expect(schema.parse("  Ann ")).toBe("Ann");
    const nul = schema.safeParse("  \u0000 long name ");
    expect(nul.error?.issues.map((issue) => issue.message)).toEqual([
      "Remove the invisible control character (NUL) from your name.",
    ]);
    const surrogate = schema.safeParse(LOW);
    expect(surrogate.error?.issues.map((issue) => issue.message)).toEqual([
      "Your name contains a broken character (an unpaired surrogate): retype or paste it again.",
    ]);
    expect(storableText("x", { message: "Write something." }).safeParse(42).error?.issues[0].message).toBe(
      "Write something.",
    );
    // Before a transform: the transform does not run on refused text.
    const stripped = storableText("the comment").transform((text) => text.replace(/\u0007/gu, ""));
    expect(stripped.parse("bell\u0007")).toBe("bell");
    expect(stripped.safeParse("nul\u0000").success).toBe(false);
  });

  it("makes derived text storable: NUL dropped, lone surrogates replaced, pairs kept", () => {
    expect(toStorableText(`a\u0000b${HIGH}c${PAIR}${LOW}`)).toBe(`ab\uFFFDc${PAIR}\uFFFD`);
    const clean = { type: "doc", content: [{ type: "text", text: "fine" }] };
    expect(toStorableJson(clean)).toBe(clean);
    const dirty = {
      type: "doc",
      content: [
        { type: "text", text: "a\u0000b", marks: [{ type: "link", attrs: { href: `x${HIGH}`, n: 1, ok: null } }] },
      ],
      [`k\u0000`]: true,
    };
    expect(toStorableJson(dirty)).toEqual({
      type: "doc",
      content: [{ type: "text", text: "ab", marks: [{ type: "link", attrs: { href: "x\uFFFD", n: 1, ok: null } }] }],
      k: true,
    });
    expect(dirty.content[0].text).toBe("a\u0000b");
  });
});
