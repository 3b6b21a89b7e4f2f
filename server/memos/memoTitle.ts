import { z } from "zod";
import { parseInput } from "../validation/parseInput";
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

const titleInput = z.object({ title: memoTitle });

/** Parses a title or throws invalid_input naming "title". */
export function parseTitle(title: unknown): string {
  return parseInput(titleInput, { title }).title;
}
