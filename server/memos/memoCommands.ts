import * as Y from "yjs";
import type { SqlRunner } from "../database/sqlQuery";
import type { Db, PrismaClient } from "../db";
import { publishAccessEvent } from "../sharing/accessEvents";
import { invalidInput } from "../errors";
import { emptyMemoJson, plainTextFromMemoJson, ydocFromMemoJson, type JSONContent } from "../editor/memoDocument";
import { checkSourceText } from "../import/decodeSourceText";
import { insertImportedMemo } from "../import/insertImportedMemo";
import { authorizeMemoWrite } from "./memoAccess";
import { recordVersion } from "../versions/recordVersion";
import { storableText } from "../validation/storableText";
import { runHeavyTask } from "../workers/heavyWork";
import type { WorkerPool } from "../workers/workerPool";

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

/** Creates a memo owned by `ownerId` holding `body`. Returns its id. */
export async function createMemo(db: Db, input: { ownerId: string; title: string; body?: JSONContent }): Promise<string> {
  const body = input.body ?? emptyMemoJson();
  const doc = ydocFromMemoJson(body);
  const create = (tx: Db) => tx.memo.create({
    data: {
      title: parseTitle(input.title),
      ownerId: input.ownerId,
      lastEditorId: input.ownerId,
      ydocState: Y.encodeStateAsUpdate(doc) as Uint8Array<ArrayBuffer>,
      contentJson: body as object,
      contentText: plainTextFromMemoJson(body),
    },
    select: { id: true },
  });
  // Version 1 is the memo as it was created, so there is always something to compare with.
  const record = async (tx: Db) => {
    const memo = await create(tx);
    await recordVersion(tx, memo.id, { kind: "automatic", note: "Created", createdById: input.ownerId });
    return memo.id;
  };
  const id = "$transaction" in db ? await db.$transaction(record) : await record(db);
  doc.destroy();
  return id;
}

/**
 * Creates a memo from a source text through the importer; the title defaults to its first heading.
 * Parsing and everything derived from the body run in a worker (prepareImport.ts), and the memo
 * is written in one statement: `db` may be the pg pool (sql() in db.ts, for route handlers) or a
 * Prisma client or transaction.
 */
export async function createMemoFromSource(
  db: SqlRunner,
  input: { ownerId: string; source: string; title?: string; maxBytes: number },
  options: { pool?: WorkerPool } = {},
): Promise<string> {
  const source = checkSourceText(input.source, input.maxBytes);
  const given = input.title?.trim() ? parseTitle(input.title) : undefined;
  const prepared = await runHeavyTask("importSource", { source, title: given }, options.pool);
  return insertImportedMemo(db, { ownerId: input.ownerId, title: parseTitle(prepared.title), prepared });
}

/** Renames a memo the user may rename. */
export async function renameMemo(db: PrismaClient, userId: string, memoId: string, title: unknown): Promise<void> {
  const newTitle = parseTitle(title);
  await db.$transaction(async (tx) => {
    await authorizeMemoWrite(tx, userId, memoId, "rename");
    await tx.memo.update({ where: { id: memoId }, data: { title: newTitle } });
  });
}

/** Deletes a memo the user may delete, with its whole history; open editors are disconnected. */
export async function deleteMemo(db: PrismaClient, userId: string, memoId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    await authorizeMemoWrite(tx, userId, memoId, "delete", "changeAccess");
    await tx.memo.delete({ where: { id: memoId } });
    await publishAccessEvent(tx, { memoId, kind: "deleted" });
  });
}
