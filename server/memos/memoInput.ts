import { z } from "zod";
import { parseInput } from "../validation/parseInput";
import { storableText } from "../../common/validation/storableText";
import { MEMO_LANGUAGE_CODES } from "../../common/memos/memoLanguages";

// What memo requests may carry: a new memo, a title, a change of the briefing facts. Checked with
// parseInput, after authorization where there is a memo to authorize against.

/** Longest memo title. */
export const TITLE_MAX_LENGTH = 200;

/** A memo title as typed by a user: trimmed, 1–200 characters. */
export const memoTitle = storableText("the title")
  .trim()
  .min(1, "The title cannot be empty.")
  .max(TITLE_MAX_LENGTH, `The title can be at most ${TITLE_MAX_LENGTH} characters.`);

/** A rename: { title }. */
export const titleInput = z.object({ title: memoTitle });

/**
 * A title from a request or an import, checked as a rename's { title } is (a problem names
 * "title"). Also run in a document worker, on the title an import finds in its source: this
 * module loads no database client.
 */
export function parseTitle(title: unknown): string {
  return parseInput(titleInput, { title }).title;
}

const CHOOSE_START = "Choose how to start the memo: blank, from a source text, or from the sample.";

/**
 * A new memo: blank, from a pasted source text, or from the sample source. Any problem gets the
 * one message: the form offers these three choices, and their texts are checked by the commands
 * (the title by memoTitle once blank has become "Untitled memo", the source by checkSourceText).
 */
export const createMemoInput = z.discriminatedUnion(
  "from",
  [
    z.object({ from: z.literal("blank"), title: z.string({ error: CHOOSE_START }).optional() }),
    z.object({
      from: z.literal("source"),
      title: z.string({ error: CHOOSE_START }).optional(),
      source: z.string({ error: CHOOSE_START }),
    }),
    z.object({ from: z.literal("sample") }),
  ],
  { error: CHOOSE_START },
);

/** Longest To, From and distribution entry. */
export const METADATA_FIELD_MAX = 200;
/** Longest subject. */
export const SUBJECT_MAX = 300;
/** Most entries in a distribution list. */
export const DISTRIBUTION_MAX_ENTRIES = 50;

const line = (label: string, max: number, what = `the ${label} field`) =>
  storableText(what)
    .transform((value) => value.replace(/\s+/gu, " ").trim())
    .pipe(z.string().max(max, `${label} can be at most ${max} characters.`));

/** A change of a memo's metadata; every field is optional, unknown fields are refused by name. */
export function metadataChangeInput(markings: readonly string[]) {
  return z
    .strictObject(
      {
        to: line("To", METADATA_FIELD_MAX),
        from: line("From", METADATA_FIELD_MAX),
        date: z.union([
          z.iso.date("Date must be a calendar date (YYYY-MM-DD)."),
          z.literal("").transform(() => null),
          z.null(),
        ]),
        subject: line("Subject", SUBJECT_MAX),
        distribution: z
          .array(line("A distribution entry", METADATA_FIELD_MAX, "the distribution list"))
          .transform((entries) => entries.filter(Boolean))
          .pipe(
            z
              .array(z.string())
              .max(
                DISTRIBUTION_MAX_ENTRIES,
                `The distribution list can have at most ${DISTRIBUTION_MAX_ENTRIES} entries.`,
              ),
          ),
        marking: z.string().refine((value) => markings.includes(value), "Choose one of the configured markings."),
        language: z.enum(MEMO_LANGUAGE_CODES, "Choose one of the listed languages.").nullable(),
      },
      {
        error: (issue) => (issue.code === "unrecognized_keys" ? `Unknown field: ${issue.keys.join(", ")}.` : undefined),
      },
    )
    .partial();
}
