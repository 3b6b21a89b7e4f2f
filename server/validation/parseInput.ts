import type { z } from "zod";
import { invalidInput, type InputIssue } from "../errors";

// The one step from a request's input to the data a command uses: a zod schema from the domain's
// <domain>Input.ts, and on failure an invalid_input error whose message is the first problem and
// whose details list every problem with its path ({ issues: [{ path, message }] }), the one shape
// the browser reads (a form marks each field it names). Commands call it after authorizing the
// caller (see commentCommands.ts), so someone without access never learns what was malformed.

type ZodIssue = z.core.$ZodIssue;

/**
 * For input matching no branch of a union (a thread change is either { resolved } or
 * { anchor, quote }), the problems of the branch it came closest to (fewest problems), not zod's
 * bare "Invalid input"; an unknown key is a problem at its own path.
 */
function problemsOf(issues: readonly ZodIssue[], base: PropertyKey[] = []): InputIssue[] {
  return issues.flatMap((issue): InputIssue[] => {
    const path = [...base, ...issue.path];
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      const closest = issue.errors.reduce((best, branch) => (branch.length < best.length ? branch : best));
      if (closest.length > 0) return problemsOf(closest, path);
    }
    if (issue.code === "unrecognized_keys")
      return issue.keys.map((key) => ({ path: pathOf([...path, key]), message: issue.message }));
    return [{ path: pathOf(path), message: issue.message }];
  });
}

// Symbols never come out of JSON; String() keeps the type honest if a schema ever names one.
const pathOf = (path: PropertyKey[]) => path.map((key) => (typeof key === "number" ? key : String(key)));

/** Parses request input with `schema`; throws invalid_input naming the first problem and listing all. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = problemsOf(parsed.error.issues);
  throw invalidInput(issues[0]?.message ?? "The request is not valid.", issues);
}
