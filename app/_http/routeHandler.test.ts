import { describe, expect, it } from "vitest";
import { busy, isAppError, unprocessable } from "@/server/errors";
import { errorResponse, malformedJsonResponse, readJsonBody } from "./routeHandler";

// Bodies are read here for every route, and for next-auth's, which parses its own.

const post = (body: string, contentType = "application/json") =>
  new Request("http://localhost/api/auth/callback/credentials", {
    method: "POST",
    headers: { "content-type": contentType },
    body,
  });

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

describe("readJsonBody", () => {
  it("parses JSON, and refuses malformed or oversized bodies as client errors", async () => {
    expect(await readJsonBody(post('{"title":"A"}'))).toEqual({ title: "A" });
    for (const body of ["{", "", "{'a':1}", "\u0000"]) {
      expect(isAppError(await failure(() => readJsonBody(post(body))), "invalid_input"), JSON.stringify(body)).toBe(
        true,
      );
    }
    expect(
      isAppError(await failure(() => readJsonBody(post(JSON.stringify({ a: "x".repeat(100) })), 50)), "too_large"),
    ).toBe(true);
  });
});

describe("malformedJsonResponse (next-auth's POST)", () => {
  it("answers a malformed JSON body with a 400 in our error shape", async () => {
    const response = await malformedJsonResponse(post('{"email":'), 1024);
    expect(response?.status).toBe(400);
    expect(await response?.json()).toEqual({
      error: { code: "invalid_input", message: "The request body is not valid JSON." },
    });
    expect((await malformedJsonResponse(post(JSON.stringify({ a: "x".repeat(2048) })), 1024))?.status).toBe(413);
  });

  it("lets valid JSON and other bodies through, unread", async () => {
    const json = post('{"email":"a@example.org","json":"true"}');
    expect(await malformedJsonResponse(json, 1024)).toBeNull();
    expect(await json.json()).toEqual({ email: "a@example.org", json: "true" });
    const form = post("email=a%40example.org&password=x", "application/x-www-form-urlencoded");
    expect(await malformedJsonResponse(form, 1024)).toBeNull();
    expect(await form.text()).toBe("email=a%40example.org&password=x");
    expect(await malformedJsonResponse(new Request("http://localhost/api/auth/session"), 1024)).toBeNull();
  });
});

describe("errorResponse", () => {
  it("answers busy with 503 and Retry-After, unprocessable with 422, both with the message", async () => {
    const unavailable = errorResponse(busy("The server is busy.", 7));
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get("retry-after")).toBe("7");
    expect((await unavailable.json()).error).toMatchObject({ code: "busy", message: "The server is busy." });
    const refused = errorResponse(unprocessable("Too deep.", { limit: 16 }));
    expect(refused.status).toBe(422);
    expect(refused.headers.get("retry-after")).toBeNull();
    expect((await refused.json()).error).toEqual({
      code: "unprocessable",
      message: "Too deep.",
      details: { limit: 16 },
    });
  });
});
