import { describe, expect, it } from "vitest";
import { errorResponse } from "@/app/_http/routeHandler";
import { signUpInput } from "@/server/accounts/accountInput";
import { parseInput } from "@/server/validation/parseInput";
import { fieldMessages, type ErrorBody } from "./callApi";

/** The JSON body a route sends for the error that `run` throws. */
async function answerTo(run: () => unknown): Promise<ErrorBody> {
  try {
    run();
  } catch (error) {
    return (await errorResponse(error).json()) as ErrorBody;
  }
  throw new Error("expected a refusal");
}

describe("fieldMessages", () => {
  it("reads, from what a route sends for invalid input, the first problem of each field", async () => {
    const body = await answerTo(() => parseInput(signUpInput, { name: "", email: "nope", password: "short" }));
    expect(fieldMessages(body)).toEqual({
      name: "Enter your name.",
      email: "Enter a valid email address.",
      password: "Use at least 10 characters for your password.",
    });
  });

  it("names no field for a problem with the input as a whole, or an answer without details", async () => {
    expect(fieldMessages(await answerTo(() => parseInput(signUpInput, null)))).toEqual({});
    expect(fieldMessages({ error: { message: "Sign in to continue." } })).toEqual({});
    expect(fieldMessages(null)).toEqual({});
  });
});
