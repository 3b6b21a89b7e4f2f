import { invalidInput } from "../errors";
import { storableText } from "../validation/storableText";

// A memo's title, checked the same way wherever it is set: by a person, or from a source's first
// line in a document worker (which must not load the database client memoCommands.ts brings).

/** Longest memo title. */
export const TITLE_MAX_LENGTH = 200;

/** A memo title as typed by a user: trimmed, 1–200 characters. */
export const memoTitle = storableText("the title")
  .trim()
  .min(1, "The title cannot be empty.")
  .max(TITLE_MAX_LENGTH, `The title can be at most ${TITLE_MAX_LENGTH} characters.`);

/** Parses a title or throws invalid_input with the first problem. */
export function parseTitle(title: unknown): string {
  const parsed = memoTitle.safeParse(title);
  if (!parsed.success) throw invalidInput(parsed.error.issues[0].message, { field: "title" });
  return parsed.data;
}
