import { z } from "zod";
import { storableText } from "../../common/validation/storableText";

// What version requests may carry: a label, a page of the timeline, two versions to compare.
// Checked with parseInput once the caller may see or manage the memo's history.

const versionLabel = z.object({
  name: storableText("the version's name")
    .trim()
    .max(120, "Use at most 120 characters for the name.")
    .optional()
    .nullable(),
  note: storableText("the note").trim().max(2000, "Use at most 2,000 characters for the note.").optional().nullable(),
});
// An empty name or note is none.
const storedLabel = (label: z.output<typeof versionLabel>) => ({ name: label.name || null, note: label.note || null });

/** A label for an existing version: { name?, note? }. */
export const versionLabelInput = versionLabel.transform(storedLabel);

/** A named version to save: { name, note? }; the name is what names it. */
export const namedVersionInput = versionLabel
  .refine((label) => Boolean(label.name), { message: "Give the version a name.", path: ["name"] })
  .transform(storedLabel);

/** Version numbers are PostgreSQL integers (int4). */
const MAX_VERSION_NUMBER = 2_147_483_647;

/**
 * A whole number from 1 to `max`, as a query string carries it (a number from a caller on the
 * server is read as its digits); empty or absent means none.
 */
const pageNumber = (max: number, message: string) =>
  z.preprocess(
    (value) => (value === "" || value === null ? undefined : typeof value === "number" ? String(value) : value),
    z
      .string()
      .regex(/^\d{1,10}$/u, message)
      .transform(Number)
      .pipe(z.number().int().min(1, message).max(max, message))
      .optional(),
  );

/** A page of the timeline: { before?, limit? } (?before=&limit=). */
export const versionPageInput = z.object({
  before: pageNumber(MAX_VERSION_NUMBER, "before must be a version number."),
  limit: pageNumber(200, "limit must be a whole number from 1 to 200."),
});

const CHOOSE_TWO = "Choose two versions to compare.";
const versionId = z.string({ error: CHOOSE_TWO }).min(1, CHOOSE_TWO);

/** Two versions to compare: { from, to } (?from=&to=), in any order. */
export const versionPairInput = z.object({ from: versionId, to: versionId });
