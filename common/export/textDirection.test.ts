import { describe, expect, it } from "vitest";
import { embeddingLevels, isRightToLeft } from "./textDirection";

describe("isRightToLeft", () => {
  it('follows the first strong character, as dir="auto" does', () => {
    expect(isRightToLeft("١٢ مرحبا world")).toBe(true);
    expect(isRightToLeft("שלום")).toBe(true);
    expect(isRightToLeft("2025: Islamabad مرحبا")).toBe(false);
    expect(isRightToLeft("🎉 مرحبا")).toBe(true);
    expect(isRightToLeft("…")).toBe(false);
  });
});

describe("embeddingLevels", () => {
  it("reads an emoji as a neutral, not as the left-to-right letters its UTF-16 halves look like", () => {
    // Between Arabic and English in a right-to-left paragraph, a neutral takes the paragraph's level.
    const text = "مرحبا 🎉 today";
    const { levels } = embeddingLevels(text, "rtl");
    const emoji = text.indexOf("🎉");
    expect([levels[emoji], levels[emoji + 1]]).toEqual([1, 1]);
    expect(levels[text.indexOf("today")]).toBe(2);
  });
});
