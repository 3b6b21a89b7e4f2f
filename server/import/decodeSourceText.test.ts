import { describe, expect, it } from "vitest";
import { isAppError } from "../errors";
import { checkSourceText, decodeSourceText } from "./decodeSourceText";

const bytes = (text: string) => new TextEncoder().encode(text);

function failure(run: () => unknown) {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

describe("decodeSourceText", () => {
  it("accepts UTF-8 text with typography and strips the byte-order mark", () => {
    expect(decodeSourceText(bytes("\uFEFFPakistan’s “new” era — 2025"), 1024)).toBe("Pakistan’s “new” era — 2025");
  });

  it("refuses a source over the limit with a clear message", () => {
    const error = failure(() => decodeSourceText(bytes("x".repeat(2048)), 1024));
    expect(isAppError(error, "too_large")).toBe(true);
    expect((error as Error).message).toMatch(/larger than 1 KB/);
  });

  it("refuses bytes that are not UTF-8", () => {
    const error = failure(() => decodeSourceText(new Uint8Array([0xff, 0xfe, 0x00, 0x41, 0xc3]), 1024));
    expect(isAppError(error, "unsupported_media_type")).toBe(true);
  });

  it("refuses binary content such as a PNG header", () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    expect(
      isAppError(
        failure(() => decodeSourceText(png, 1024)),
        "unsupported_media_type",
      ),
    ).toBe(true);
  });

  it("refuses pasted text PostgreSQL cannot store (a lone surrogate) with a clear message", () => {
    const error = failure(() => checkSourceText("Heading\n\nBroken \uD800 character", 1024));
    expect(isAppError(error, "invalid_input")).toBe(true);
    expect((error as Error).message).toMatch(/source text contains a broken character/);
  });

  it("refuses an empty source", () => {
    expect(
      isAppError(
        failure(() => checkSourceText("   \n\t", 1024)),
        "invalid_input",
      ),
    ).toBe(true);
  });

  it("counts the limit in bytes, not characters", () => {
    expect(
      isAppError(
        failure(() => checkSourceText("’".repeat(400), 1024)),
        "too_large",
      ),
    ).toBe(true);
    expect(checkSourceText("’".repeat(300), 1024)).toHaveLength(300);
  });
});
