import { z } from "zod";
import type { Db, PrismaClient } from "../db";
import { parseInput } from "../validation/parseInput";
import { storableText } from "../validation/storableText";
import { authorizeMemo, authorizeMemoWrite } from "./memoAccess";

// The briefing facts of a memo (To, From, Date, Subject, distribution, marking), kept apart from the
// collaborative body: they are form fields saved one at a time, not co-edited text. Every function
// takes the configured markings (env MEMO_MARKINGS) so the domain never reads the environment.

/** A memo's metadata as the editor and the exports see it. */
export type MemoMetadata = {
  to: string;
  from: string;
  /** The date the memo bears, "YYYY-MM-DD", or null when none was set. */
  date: string | null;
  subject: string;
  distribution: string[];
  /** Always a marking: the stored one, or the first configured one. */
  marking: string;
};

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

/** The zod schema of a metadata change; every field is optional, unknown fields are refused. */
export function metadataPatchSchema(markings: readonly string[]) {
  return z
    .strictObject(
      {
        to: line("To", METADATA_FIELD_MAX),
        from: line("From", METADATA_FIELD_MAX),
        date: z.union([z.iso.date("Date must be a calendar date (YYYY-MM-DD)."), z.literal("").transform(() => null), z.null()]),
        subject: line("Subject", SUBJECT_MAX),
        distribution: z
          .array(line("A distribution entry", METADATA_FIELD_MAX, "the distribution list"))
          .transform((entries) => entries.filter(Boolean))
          .pipe(z.array(z.string()).max(DISTRIBUTION_MAX_ENTRIES, `The distribution list can have at most ${DISTRIBUTION_MAX_ENTRIES} entries.`)),
        marking: z.string().refine((value) => markings.includes(value), "Choose one of the configured markings."),
      },
      { error: (issue) => (issue.code === "unrecognized_keys" ? `Unknown field: ${issue.keys.join(", ")}.` : undefined) },
    )
    .partial();
}

/** A validated metadata change. */
export type MetadataPatch = z.infer<ReturnType<typeof metadataPatchSchema>>;

/** Parses a metadata change or throws invalid_input naming the first bad field. */
export function parseMetadataPatch(input: unknown, markings: readonly string[]): MetadataPatch {
  return parseInput(metadataPatchSchema(markings), input);
}

type MetadataRow = { to: string; from: string; date: Date | null; subject: string; distribution: string[]; marking: string | null };

function fromRow(row: MetadataRow | null, markings: readonly string[]): MemoMetadata {
  return {
    to: row?.to ?? "",
    from: row?.from ?? "",
    date: row?.date ? row.date.toISOString().slice(0, 10) : null,
    subject: row?.subject ?? "",
    distribution: row?.distribution ?? [],
    // A marking removed from the configuration since it was chosen is still shown as stored.
    marking: row?.marking ?? markings[0],
  };
}

const SELECT = { to: true, from: true, date: true, subject: true, distribution: true, marking: true } as const;

/** The metadata of a memo the caller has already been authorized for. */
export async function readMemoMetadata(db: Db, memoId: string, markings: readonly string[]): Promise<MemoMetadata> {
  return fromRow(await db.memoMetadata.findUnique({ where: { memoId }, select: SELECT }), markings);
}

/** The metadata of a memo the user may open. */
export async function getMemoMetadata(db: Db, userId: string, memoId: string, markings: readonly string[]): Promise<MemoMetadata> {
  await authorizeMemo(db, userId, memoId, "open");
  return readMemoMetadata(db, memoId, markings);
}

/** Applies a change to a memo's metadata (fields left out stay as they are) and returns the result. */
export async function updateMemoMetadata(
  db: PrismaClient,
  userId: string,
  memoId: string,
  change: unknown,
  markings: readonly string[],
): Promise<MemoMetadata> {
  const row = await db.$transaction(async (tx) => {
    await authorizeMemoWrite(tx, userId, memoId, "editMetadata");
    const patch = parseMetadataPatch(change, markings);
    const data = { ...patch, date: patch.date === undefined ? undefined : patch.date === null ? null : new Date(`${patch.date}T00:00:00Z`) };
    return tx.memoMetadata.upsert({ where: { memoId }, create: { memoId, ...data }, update: data, select: SELECT });
  });
  return fromRow(row, markings);
}
