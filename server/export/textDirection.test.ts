import { describe, expect, it } from "vitest";
import { isRightToLeft } from "./textDirection";

describe("isRightToLeft", () => {
  it("follows the first letter", () => {
    expect(isRightToLeft("١٢ مرحبا world")).toBe(true);
    expect(isRightToLeft("שלום")).toBe(true);
    expect(isRightToLeft("2025: Islamabad مرحبا")).toBe(false);
    expect(isRightToLeft("…")).toBe(false);
  });
});
