import * as Y from "yjs";
import type { SqlRunner } from "../database/sqlQuery";
import type { Db, PrismaClient } from "../db";
import { publishMemoEvent } from "./memoEvents";
import {
  emptyMemoJson,
  plainTextFromMemoJson,
  ydocFromMemoJson,
  type JSONContent,
} from "../../common/editor/memoDocument";
import { checkSourceText } from "../import/decodeSourceText";
import { insertImportedMemo } from "../import/insertImportedMemo";
import type { PreparedImport } from "../import/prepareImport";
import { authorizeMemoWrite } from "./memoAccess";
import { parseTitle } from "./memoInput";
import { recordVersion } from "../versions/recordVersion";
import { runHeavyTask } from "../workers/heavyWork";
import { databaseUrl } from "../env";
import type { WorkerPool } from "../workers/workerPool";

/** Creates a memo owned by `ownerId` holding `body`. Returns its id. */
export async function createMemo(
  db: Db,
  input: { ownerId: string; title: string; body?: JSONContent },
): Promise<string> {
  const body = input.body ?? emptyMemoJson();
  const doc = ydocFromMemoJson(body);
  const create = (tx: Db) =>
    tx.memo.create({
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

/** A source to make a memo of, with who owns it and the largest source accepted. */
export type SourceInput = { ownerId: string; source: string; title?: string; maxBytes: number };

/** The source and the title given, checked; a title taken from the source is checked once parsing found it. */
function checkedSource(input: Omit<SourceInput, "ownerId">): { source: string; title?: string } {
  const source = checkSourceText(input.source, input.maxBytes);
  return { source, title: input.title?.trim() ? parseTitle(input.title) : undefined };
}

/**
 * Creates a memo from a source text; the title defaults to its first heading. A document worker
 * parses it, derives everything the memo and its first version store, and writes them in one
 * statement from its own connection (to `databaseUrl`, by default the server's): the request's
 * event loop only waits. For route handlers.
 */
export async function importMemo(
  input: SourceInput,
  options: { pool?: WorkerPool; databaseUrl?: string } = {},
): Promise<string> {
  const { id } = await runHeavyTask(
    "importAndStore",
    { ...checkedSource(input), ownerId: input.ownerId, databaseUrl: options.databaseUrl ?? databaseUrl() },
    options.pool,
  );
  return id;
}

/** A source parsed into everything its memo and version 1 store, ready to write (insertImportedMemo). */
export type ParsedSourceMemo = { title: string; prepared: PreparedImport };

/** Parses a source in a worker (prepareImport.ts), for a caller that writes it inside its own transaction. */
export async function parseSourceMemo(
  input: Omit<SourceInput, "ownerId">,
  options: { pool?: WorkerPool } = {},
): Promise<ParsedSourceMemo> {
  const prepared = await runHeavyTask("importSource", checkedSource(input), options.pool);
  return { title: parseTitle(prepared.title), prepared };
}

/**
 * Creates a memo from a source text through `db` (a client or a transaction): a worker parses it
 * (prepareImport.ts) and this thread writes it, in one statement.
 */
export async function createMemoFromSource(
  db: SqlRunner,
  input: SourceInput,
  options: { pool?: WorkerPool } = {},
): Promise<string> {
  const { title, prepared } = await parseSourceMemo(input, options);
  return insertImportedMemo(db, { ownerId: input.ownerId, title, prepared });
}

/** Renames a memo the user may rename; the title is checked once the user is known to have access. */
export async function renameMemo(db: PrismaClient, userId: string, memoId: string, title: unknown): Promise<void> {
  await db.$transaction(async (tx) => {
    await authorizeMemoWrite(tx, userId, memoId, "rename");
    await tx.memo.update({ where: { id: memoId }, data: { title: parseTitle(title) } });
  });
}

/** Deletes a memo the user may delete, with its whole history; open editors are disconnected. */
export async function deleteMemo(db: PrismaClient, userId: string, memoId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    await authorizeMemoWrite(tx, userId, memoId, "delete", "changeAccess");
    await tx.memo.delete({ where: { id: memoId } });
    await publishMemoEvent(tx, { memoId, kind: "deleted" });
  });
}
