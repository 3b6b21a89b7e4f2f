import type { Db } from "../db";
import { notFound } from "../errors";
import { isUuid } from "../ids";
import type { JSONContent } from "../../common/editor/memoDocument";
import { authorizeMemo } from "../memos/memoAccess";
import { readStoredState, storedBytes } from "../memos/storedMemoState";
import { runDocumentTask } from "../workers/heavyWork";
import { parseInput } from "../validation/parseInput";
import type { VersionKind } from "./recordVersion";
import { gunzipJson } from "./versionContent";
import type { DiffPart } from "./versionDiff";
import { compareStoredVersions } from "./versionWork";
import { versionPageInput, versionPairInput } from "./versionInput";

/** A line of the history timeline. */
export type VersionSummary = {
  id: string;
  number: number;
  kind: VersionKind;
  name: string | null;
  note: string | null;
  createdAt: Date;
  createdByName: string | null;
  editorNames: string[];
  restoredFrom: number | null;
  words: number;
};

const PAGE_SIZE = 50;

async function namesOf(db: Db, userIds: string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const users = await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } });
  return new Map(users.map((user) => [user.id, user.name]));
}

/**
 * A page of the memo's versions, newest first; pass `before` (a version number) for the next page.
 * `page` is { before?, limit? } as the query carries it (versionPageInput), checked after authorization.
 */
export async function listVersions(
  db: Db,
  userId: string,
  memoId: string,
  page: unknown = {},
): Promise<{ versions: VersionSummary[]; nextBefore: number | null }> {
  await authorizeMemo(db, userId, memoId, "viewHistory");
  const { before, limit: asked } = parseInput(versionPageInput, page);
  const limit = Math.min(Math.max(asked ?? PAGE_SIZE, 1), 200);
  const rows = await db.memoVersion.findMany({
    where: { memoId, ...(before ? { number: { lt: before } } : {}) },
    orderBy: { number: "desc" },
    take: limit + 1,
    select: {
      id: true,
      number: true,
      kind: true,
      name: true,
      note: true,
      createdAt: true,
      editorIds: true,
      restoredFrom: true,
      createdBy: { select: { name: true } },
      content: { select: { words: true } },
    },
  });
  const shown = rows.slice(0, limit);
  const names = await namesOf(db, [...new Set(shown.flatMap((row) => row.editorIds))]);
  return {
    versions: shown.map((row) => ({
      id: row.id,
      number: row.number,
      kind: row.kind,
      name: row.name,
      note: row.note,
      createdAt: row.createdAt,
      createdByName: row.createdBy?.name ?? null,
      editorNames: row.editorIds.map((id) => names.get(id) ?? "Former member"),
      restoredFrom: row.restoredFrom,
      words: row.content.words,
    })),
    nextBefore: rows.length > limit ? shown[shown.length - 1].number : null,
  };
}

async function findVersion(db: Db, memoId: string, versionId: string) {
  if (!isUuid(versionId)) throw notFound("Version");
  const version = await db.memoVersion.findFirst({
    where: { id: versionId, memoId },
    select: {
      id: true,
      number: true,
      name: true,
      createdAt: true,
      snapshot: true,
      content: { select: { jsonGzip: true } },
    },
  });
  if (!version) throw notFound("Version");
  return version;
}

/** One version's content, to view it read-only. */
export async function getVersion(
  db: Db,
  userId: string,
  memoId: string,
  versionId: string,
): Promise<{ number: number; name: string | null; createdAt: Date; json: JSONContent }> {
  await authorizeMemo(db, userId, memoId, "viewHistory");
  const version = await findVersion(db, memoId, versionId);
  return {
    number: version.number,
    name: version.name,
    createdAt: version.createdAt,
    json: gunzipJson(version.content.jsonGzip),
  };
}

/** An inserted run, with who typed it. */
export type ComparedPart = DiffPart & { authors?: string[] };

/** Two versions compared word by word, older first, with what changed and who wrote the new words. */
export type VersionComparison = {
  from: { number: number; name: string | null; createdAt: Date };
  to: { number: number; name: string | null; createdAt: Date };
  parts: ComparedPart[];
  wordsAdded: number;
  wordsRemoved: number;
  sectionsChanged: string[];
};

/**
 * Compares any two versions of a memo (their ids unparsed: versionPairInput checks them after
 * authorization). The memo is decoded and both versions rebuilt in a document worker
 * (versionWork.ts), unless it is small: its stored state keeps every deleted character, so anyone
 * who may read its history could otherwise make the server spend seconds per request.
 */
export async function compareVersions(
  db: Db,
  userId: string,
  memoId: string,
  firstId: unknown,
  secondId: unknown,
): Promise<VersionComparison> {
  await authorizeMemo(db, userId, memoId, "viewHistory");
  const { from, to } = parseInput(versionPairInput, { from: firstId, to: secondId });
  const [one, two] = await Promise.all([findVersion(db, memoId, from), findVersion(db, memoId, to)]);
  const [older, newer] = one.number <= two.number ? [one, two] : [two, one];
  const stored = await readStoredState(db, memoId);
  if (!stored) throw notFound();
  const compared = (version: typeof older) => ({ snapshot: version.snapshot, jsonGzip: version.content.jsonGzip });
  const input = { stored, older: compared(older), newer: compared(newer) };
  const comparison = await runDocumentTask("compareVersions", input, {
    bytes: storedBytes(stored),
    inline: compareStoredVersions,
  });

  const clientIds = new Set(comparison.parts.flatMap((part) => part.clients ?? []));
  const owners = await db.memoClientUser.findMany({
    where: { memoId, clientId: { in: [...clientIds].map((id) => BigInt(id)) } },
    select: { clientId: true, user: { select: { name: true } } },
  });
  const authorOf = new Map(owners.map((owner) => [Number(owner.clientId), owner.user.name]));
  const parts: ComparedPart[] = comparison.parts.map(({ clients, ...part }) =>
    clients ? { ...part, authors: [...new Set(clients.flatMap((client) => authorOf.get(client) ?? []))] } : part,
  );
  const meta = (version: typeof older) => ({
    number: version.number,
    name: version.name,
    createdAt: version.createdAt,
  });
  return {
    from: meta(older),
    to: meta(newer),
    parts,
    wordsAdded: comparison.wordsAdded,
    wordsRemoved: comparison.wordsRemoved,
    sectionsChanged: comparison.sectionsChanged,
  };
}
