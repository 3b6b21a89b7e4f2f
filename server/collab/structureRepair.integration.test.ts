import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoJsonFromYdoc, plainTextFromMemoJson } from "../../common/editor/memoDocument";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { findStructureProblems } from "../editor/memoRepair";
import { memoFitsSchema } from "../../common/editor/memoSchemaFit";
import { EXPORT_FORMATS, exportMemo } from "../export/exportMemo";
import {
  connectTestClient,
  openRawSocket,
  sessionCookie,
  startTestCollabServer,
  waitFor,
  type TestClient,
  type TestCollabServer,
} from "../testing/collabHarness";
import { createTestMemo, createTestUser, type TestUser } from "../testing/fixtures";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase";
import { createPrismaClient } from "../db";
import { compactMemoLog, loadMemoDocument, lockMemoLogAlone } from "../memos/memoStore";
import { CloseCode } from "../../common/protocol/protocol";
import { loadMemoForEditing } from "./structureRepair";

// A memo stored by an old server, before updates were checked against the schema, opened through
// the real collaboration server: the editor must receive a memo it can show without deleting
// anything, holding every word; the repair is stored like an edit, between two versions; and the
// exports work. Against the code before the repair, the client received the structure as stored
// (memoFitsSchema false: the browser deleted paragraphs) and the exports answered 500.

let database: TestDatabase;
let server: TestCollabServer;
let owner: TestUser;
let cookie: string;
const logLines: string[] = [];
const clients: TestClient[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestCollabServer(database.prisma, database.url, { logLines });
  owner = await createTestUser(database.prisma, "Owner");
  cookie = await sessionCookie(owner, server.secret);
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await server.stop();
  await database.drop();
});

/** Writes an update straight into the memo's log, as a server that did not check updates would have. */
async function storeAsAnOldServerWould(
  memoId: string,
  spoil: (fragment: Y.XmlFragment, doc: Y.Doc) => void,
): Promise<void> {
  const loaded = await loadMemoDocument(database.prisma, memoId);
  const doc = loaded!.doc;
  const before = Y.encodeStateVector(doc);
  doc.transact(() => spoil(doc.getXmlFragment(MEMO_FRAGMENT), doc));
  await database.prisma.memoUpdate.create({
    data: { memoId, data: Y.encodeStateAsUpdate(doc, before) as Uint8Array<ArrayBuffer>, userId: owner.id },
  });
  doc.destroy();
}

const element = (name: string, ...children: (Y.XmlElement | Y.XmlText)[]) => {
  const made = new Y.XmlElement(name);
  made.insert(0, children);
  return made;
};

/** The structures issue 17 found, each holding words that must survive. */
function spoilEveryWay(fragment: Y.XmlFragment): void {
  const opening = fragment.get(0) as Y.XmlElement;
  opening.insert(1, [element("paragraph", new Y.XmlText("nested paragraph words"))]);
  opening.insert(0, [element("text", new Y.XmlText("element named text"))]);
  (opening.get(opening.length - 1) as Y.XmlElement).setAttribute("evil", "1");
  fragment.insert(0, [new Y.XmlText("loose root words")]);
  fragment.push([element("listItem", element("paragraph", new Y.XmlText("stray list item")))]);
  fragment.push([element("blockquote", new Y.XmlText("bare quote words"))]);
  const heading = element("heading", new Y.XmlText("heading ninety-nine"));
  fragment.push([heading]);
  heading.setAttribute("level", 99 as never);
  const marked = new Y.XmlText();
  fragment.push([element("paragraph", marked)]);
  marked.insert(0, "blinking\u0000 words", { blink: {} });
}

const WORDS = [
  "Opening line.",
  "nested paragraph words",
  "element named text",
  "loose root words",
  "stray list item",
  "bare quote words",
  "heading ninety-nine",
  "blinking words",
];

async function versionNotes(memoId: string): Promise<(string | null)[]> {
  const versions = await database.prisma.memoVersion.findMany({
    where: { memoId },
    orderBy: { number: "asc" },
    select: { note: true },
  });
  return versions.map((version) => version.note);
}

async function openClient(memoId: string): Promise<TestClient> {
  const client = connectTestClient(server.url, memoId, cookie);
  clients.push(client);
  await client.synced();
  return client;
}

describe("a memo stored with structure outside the schema", () => {
  it("is repaired at load: the editor receives a valid memo with every word, stored between two versions", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    await storeAsAnOldServerWould(memoId, spoilEveryWay);
    const stored = await loadMemoDocument(database.prisma, memoId);
    expect(memoFitsSchema(stored!.doc)).toBe(false);

    const client = await openClient(memoId);
    expect(memoFitsSchema(client.doc)).toBe(true);
    const text = client.text();
    for (const words of WORDS) expect(text).toContain(words);
    expect(memoJsonFromYdoc(client.doc).content?.find((block) => block.type === "heading")?.attrs).toEqual({
      level: 1,
    });

    // Stored like an edit: the repair is a row of the log (no author), and the memo loads valid.
    const repaired = await loadMemoDocument(database.prisma, memoId);
    expect(findStructureProblems(repaired!.doc)).toEqual([]);
    expect(memoJsonFromYdoc(repaired!.doc)).toEqual(memoJsonFromYdoc(client.doc));
    expect(await database.prisma.memoUpdate.count({ where: { memoId, userId: null } })).toBe(1);
    const notes = await versionNotes(memoId);
    expect(notes.slice(1)).toEqual([
      "Saved before repairing the memo's structure",
      expect.stringMatching(/^Structure repaired: .*text outside a text block/),
    ]);
    expect(
      logLines.filter((line) => line.includes("memo structure repaired at load") && line.includes(memoId)),
    ).toHaveLength(1);

    // The version before the repair keeps the memo exactly as it was stored.
    const before = await database.prisma.memoVersion.findFirstOrThrow({
      where: { memoId, note: "Saved before repairing the memo's structure" },
      select: { snapshot: true },
    });
    const asItWas = Y.createDocFromSnapshot(repaired!.doc, Y.decodeSnapshot(before.snapshot), new Y.Doc({ gc: false }));
    expect(memoJsonFromYdoc(asItWas)).toEqual(memoJsonFromYdoc(stored!.doc));

    for (const format of EXPORT_FORMATS) {
      const file = await exportMemo(database.prisma, owner.id, memoId, format, { markings: ["UNCLASSIFIED"] });
      expect(file.bytes.byteLength).toBeGreaterThan(0);
      if (format === "md") for (const words of WORDS) expect(new TextDecoder().decode(file.bytes)).toContain(words);
    }
  });

  it("is exported and compacted before anyone opens it, without 500 and without changing what is stored", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    await storeAsAnOldServerWould(memoId, spoilEveryWay);
    const rows = await database.prisma.memoUpdate.count({ where: { memoId } });
    for (const format of EXPORT_FORMATS)
      await exportMemo(database.prisma, owner.id, memoId, format, { markings: ["UNCLASSIFIED"] });
    const markdown = new TextDecoder().decode(
      (await exportMemo(database.prisma, owner.id, memoId, "md", { markings: ["UNCLASSIFIED"] })).bytes,
    );
    for (const words of WORDS) expect(markdown).toContain(words);
    expect(await database.prisma.memoUpdate.count({ where: { memoId } })).toBe(rows);
    expect(memoFitsSchema((await loadMemoDocument(database.prisma, memoId))!.doc)).toBe(false);
    // Compaction keeps the stored state as it is and derives its text as the repair will leave it.
    expect(await compactMemoLog(database.prisma, memoId)).toBe(rows);
    const memo = await database.prisma.memo.findUniqueOrThrow({ where: { id: memoId }, select: { contentText: true } });
    for (const words of WORDS) expect(memo.contentText).toContain(words);
    expect(memoFitsSchema((await loadMemoDocument(database.prisma, memoId))!.doc)).toBe(false);
  });

  it("is repaired once: a valid memo loads without a version or a write", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    const client = await openClient(memoId);
    expect(client.text()).toBe("Opening line.");
    expect(await versionNotes(memoId)).toEqual(["Created"]);
    expect(await database.prisma.memoUpdate.count({ where: { memoId } })).toBe(0);
  });

  it("with lists nested 10,000 deep: the editor receives the flattened memo, and it is stored as a new snapshot", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    await storeAsAnOldServerWould(memoId, (fragment) => {
      let at: Y.XmlFragment = fragment;
      for (let level = 0; level < 10_000; level++) {
        const list = new Y.XmlElement("bulletList");
        at.insert(at.length, [list]);
        const item = new Y.XmlElement("listItem");
        list.insert(0, [item]);
        item.insert(0, [element("paragraph", ...(level % 2500 === 0 ? [new Y.XmlText(`level ${level}`)] : []))]);
        at = item;
      }
    });

    const client = await openClient(memoId);
    expect(memoFitsSchema(client.doc)).toBe(true);
    for (const words of ["Opening line.", "level 0", "level 2500", "level 5000", "level 7500"])
      expect(client.text()).toContain(words);

    // The deletion of the deep lists was garbage-collected and the log folded into the snapshot,
    // so the memo loads without replaying it (which overflowed the stack).
    expect(await database.prisma.memoUpdate.count({ where: { memoId } })).toBe(0);
    const stored = await loadMemoDocument(database.prisma, memoId);
    expect(findStructureProblems(stored!.doc)).toEqual([]);
    expect(plainTextFromMemoJson(memoJsonFromYdoc(stored!.doc))).toBe(client.text());
    expect((await versionNotes(memoId)).slice(1)).toEqual([
      "Saved before repairing the memo's structure",
      "Structure repaired: content nested too deeply",
    ]);
    for (const format of EXPORT_FORMATS)
      await exportMemo(database.prisma, owner.id, memoId, format, { markings: ["UNCLASSIFIED"] });

    // A colleague joining later gets the same memo.
    const second = await openClient(memoId);
    await waitFor(() => second.text() === client.text(), 5_000, "the second client's copy");
  });

  it("deleted while it loads: the client is told the memo was deleted, not to retry", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    await storeAsAnOldServerWould(memoId, spoilEveryWay);
    const waitingForTheLog = async () => {
      const [row] = await database.prisma.$queryRaw<
        { waiting: number }[]
      >`SELECT count(*)::int AS waiting FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`;
      return row.waiting > 0;
    };
    let closed: Promise<{ code: number; reason: string }> | undefined;
    // Holding the memo's log, the load's repair waits for it after the memo was authorized and
    // read; the memo is deleted before the log is released, so the repair finds it gone.
    await database.prisma.$transaction(
      async (tx) => {
        await lockMemoLogAlone(tx, memoId);
        const socket = await openRawSocket(server.url, memoId, cookie);
        closed = new Promise((resolve) =>
          socket.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
        );
        await waitFor(waitingForTheLog, 10_000, "the load's repair to wait for the memo's log");
        await tx.memo.delete({ where: { id: memoId } });
      },
      { timeout: 30_000 },
    );
    expect(await closed).toEqual({ code: CloseCode.MemoDeleted, reason: "This memo was deleted." });
    expect(logLines.some((line) => line.includes("memo could not be loaded") && line.includes(memoId))).toBe(false);
  });

  it("whose repair fails is served as stored, and the failure is logged, not thrown", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    await storeAsAnOldServerWould(memoId, spoilEveryWay);
    // The repair's transaction cannot start: its client points at a database that does not exist.
    const unreachable = createPrismaClient(database.url.replace(/\/[^/?]+(\?|$)/, "/no_such_database$1"));
    const logged: string[] = [];
    const log = {
      warn: (_: object, message: string) => logged.push(`warn ${message}`),
      error: (_: object, message: string) => logged.push(`error ${message}`),
    };
    try {
      const loaded = await loadMemoForEditing(unreachable, database.prisma, memoId, log);
      expect(memoFitsSchema(loaded!.doc)).toBe(false);
      expect(logged).toEqual(["error memo structure repair failed; serving the memo as stored"]);
      expect(await versionNotes(memoId)).toEqual(["Created"]);
    } finally {
      await unreachable.$disconnect();
    }
    // The next load, with the database back, repairs it.
    const loaded = await loadMemoForEditing(database.prisma, database.prisma, memoId, log);
    expect(memoFitsSchema(loaded!.doc)).toBe(true);
    expect(logged.at(-1)).toBe("warn memo structure repaired at load");
  });
});
