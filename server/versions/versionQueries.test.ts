import { describe, expect, it } from "vitest";
import { isAppError, type InvalidInputDetails } from "../errors";
import { parseVersionPage } from "./versionQueries";

const page = (query: string) => parseVersionPage(new URLSearchParams(query));

function failure(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

describe("parseVersionPage", () => {
  it("reads whole numbers within range; empty or absent means the default", () => {
    expect(page("")).toEqual({});
    expect(page("before=&limit=")).toEqual({});
    expect(page("before=12&limit=200")).toEqual({ before: 12, limit: 200 });
    expect(page("before=2147483647")).toEqual({ before: 2147483647 });
  });

  it("refuses what PostgreSQL's integer cannot hold or is not a whole number, naming the field", () => {
    for (const query of ["before=2147483648", "before=1e30", "before=-1", "before=0", "before=1.5", "before=abc", "before=%00", "before=99999999999", "limit=0", "limit=201", "limit=ten"]) {
      const error = failure(() => page(query));
      expect(isAppError(error, "invalid_input"), query).toBe(true);
      expect((error as { details?: InvalidInputDetails }).details?.issues[0].path[0]).toBe(query.split("=")[0]);
    }
  });
});
