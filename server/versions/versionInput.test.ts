import { describe, expect, it } from "vitest";
import { isAppError, type InvalidInputDetails } from "../errors";
import { parseInput } from "../validation/parseInput";
import { versionPageInput } from "./versionInput";

/** A page's query read as the versions route reads it. */
const page = (query: string) => {
  const search = new URLSearchParams(query);
  return parseInput(versionPageInput, { before: search.get("before"), limit: search.get("limit") });
};

function failure(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

describe("versionPageInput", () => {
  it("reads whole numbers within range; empty or absent means the default", () => {
    expect(page("")).toEqual({});
    expect(page("before=&limit=")).toEqual({});
    expect(page("before=12&limit=200")).toEqual({ before: 12, limit: 200 });
    expect(page("before=2147483647")).toEqual({ before: 2147483647 });
    expect(parseInput(versionPageInput, { before: 12, limit: 200 })).toEqual({ before: 12, limit: 200 });
  });

  it("refuses what PostgreSQL's integer cannot hold or is not a whole number, naming the field", () => {
    for (const query of [
      "before=2147483648",
      "before=1e30",
      "before=-1",
      "before=0",
      "before=1.5",
      "before=abc",
      "before=%00",
      "before=99999999999",
      "limit=0",
      "limit=201",
      "limit=ten",
    ]) {
      const error = failure(() => page(query));
      expect(isAppError(error, "invalid_input"), query).toBe(true);
      expect((error as { details?: InvalidInputDetails }).details?.issues[0].path[0]).toBe(query.split("=")[0]);
    }
    for (const number of [0, -1, 1.5, 1e30, 2147483648])
      expect(
        isAppError(
          failure(() => parseInput(versionPageInput, { before: number })),
          "invalid_input",
        ),
        String(number),
      ).toBe(true);
  });
});
