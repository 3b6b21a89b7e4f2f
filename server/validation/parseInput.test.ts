import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError, isAppError } from "../errors";
import { parseInput } from "./parseInput";

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (isAppError(error, "invalid_input")) return error;
    throw error;
  }
  throw new Error("expected invalid_input");
}

const account = z.object({
  name: z.string().min(1, "Enter your name."),
  email: z.email("Enter a valid email address."),
  tags: z.array(z.string().max(3, "Keep tags short.")).optional(),
});

describe("parseInput", () => {
  it("returns the parsed data", () => {
    expect(parseInput(account, { name: "Ana", email: "ana@example.org" })).toEqual({
      name: "Ana",
      email: "ana@example.org",
    });
  });

  it("names the first problem in the message and lists every problem with its path", () => {
    const error = refusal(() => parseInput(account, { name: "", email: "nope", tags: ["ok", "too long"] }));
    expect(error.message).toBe("Enter your name.");
    expect(error.details).toEqual({
      issues: [
        { path: ["name"], message: "Enter your name." },
        { path: ["email"], message: "Enter a valid email address." },
        { path: ["tags", 1], message: "Keep tags short." },
      ],
    });
  });

  it("reports input that is not an object at the empty path", () => {
    const error = refusal(() => parseInput(account, null));
    expect(error.details).toEqual({ issues: [{ path: [], message: error.message }] });
  });

  it("reports the union branch the input came closest to, at its full path", () => {
    const change = z.object({
      change: z.union([
        z.object({ resolved: z.boolean() }).strict(),
        z.object({ anchor: z.object({ start: z.string("Anchor needed.") }), quote: z.string() }).strict(),
      ]),
    });
    const error = refusal(() => parseInput(change, { change: { anchor: { start: 1 }, quote: "x" } }));
    expect(error.message).toBe("Anchor needed.");
    expect(error.details).toEqual({ issues: [{ path: ["change", "anchor", "start"], message: "Anchor needed." }] });
  });

  it("reports each unknown key at its own path", () => {
    const strict = z.strictObject(
      { to: z.string() },
      {
        error: (issue) => (issue.code === "unrecognized_keys" ? `Unknown field: ${issue.keys.join(", ")}.` : undefined),
      },
    );
    const error = refusal(() => parseInput(strict, { to: "Desk", cc: "x", bcc: "y" }));
    expect(error.message).toBe("Unknown field: cc, bcc.");
    expect(error.details).toEqual({
      issues: [
        { path: ["cc"], message: "Unknown field: cc, bcc." },
        { path: ["bcc"], message: "Unknown field: cc, bcc." },
      ],
    });
  });
});
