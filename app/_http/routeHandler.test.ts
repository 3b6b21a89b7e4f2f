import { describe, expect, it } from "vitest";
import { isAppError } from "@/server/errors";
import { malformedJsonResponse, readJsonBody } from "./routeHandler";

// Bodies are read here for every route, and for next-auth's, which parses its own.

const post = (body: string, contentType = "application/json") =>
  new Request("http://localhost/api/auth/callback/credentials", { method: "POST", headers: { "content-type": contentType }, body });

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
      expect(isAppError(await failure(() => readJsonBody(post(body))), "invalid_input"), JSON.stringify(body)).toBe(true);
    }
    expect(isAppError(await failure(() => readJsonBody(post(JSON.stringify({ a: "x".repeat(100) })), 50)), "too_large")).toBe(true);
  });
});

describe("malformedJsonResponse (next-auth's POST)", () => {
  it("answers a malformed JSON body with a 400 in our error shape", async () => {
    const response = await malformedJsonResponse(post('{"email":'), 1024);
    expect(response?.status).toBe(400);
    expect(await response?.json()).toEqual({ error: { code: "invalid_input", message: "The request body is not valid JSON." } });
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
