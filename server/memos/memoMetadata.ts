import { MEMO_LANGUAGE_CODES, type MemoLanguage } from "../../common/memos/memoLanguages";
import type { Db, PrismaClient } from "../db";
import { parseInput } from "../validation/parseInput";
import { authorizeMemo, authorizeMemoWrite } from "./memoAccess";
import { metadataChangeInput } from "./memoInput";

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
  /** The language the memo is written in (search stems its words in it); null when not set. */
  language: MemoLanguage | null;
};

type MetadataRow = {
  to: string;
  from: string;
  date: Date | null;
  subject: string;
  distribution: string[];
  marking: string | null;
  language: string | null;
};

function fromRow(row: MetadataRow | null, markings: readonly string[]): MemoMetadata {
  return {
    to: row?.to ?? "",
    from: row?.from ?? "",
    date: row?.date ? row.date.toISOString().slice(0, 10) : null,
    subject: row?.subject ?? "",
    distribution: row?.distribution ?? [],
    // A marking removed from the configuration since it was chosen is still shown as stored.
    marking: row?.marking ?? markings[0],
    language: MEMO_LANGUAGE_CODES.find((code) => code === row?.language) ?? null,
  };
}

const SELECT = {
  to: true,
  from: true,
  date: true,
  subject: true,
  distribution: true,
  marking: true,
  language: true,
} as const;

/** The metadata of a memo the caller has already been authorized for. */
export async function readMemoMetadata(db: Db, memoId: string, markings: readonly string[]): Promise<MemoMetadata> {
  return fromRow(await db.memoMetadata.findUnique({ where: { memoId }, select: SELECT }), markings);
}

/** The metadata of a memo the user may open. */
export async function getMemoMetadata(
  db: Db,
  userId: string,
  memoId: string,
  markings: readonly string[],
): Promise<MemoMetadata> {
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
    const patch = parseInput(metadataChangeInput(markings), change);
    const data = {
      ...patch,
      date: patch.date === undefined ? undefined : patch.date === null ? null : new Date(`${patch.date}T00:00:00Z`),
    };
    return tx.memoMetadata.upsert({ where: { memoId }, create: { memoId, ...data }, update: data, select: SELECT });
  });
  return fromRow(row, markings);
}
