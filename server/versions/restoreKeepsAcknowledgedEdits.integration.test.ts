import * as Y from "yjs";
import { beforeAll, describe, expect, it } from "vitest";
import { MessageType } from "../../common/protocol/protocol";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { memoJsonFromYdoc, plainTextFromMemoJson } from "../../common/editor/memoDocument";
import { loadMemoDocument } from "../memos/memoStore";
import type { TestDatabase } from "../testing/testDatabase";
import { collabTestbed } from "../testing/collabTestbed";
import { createTestMemo, type TestUser } from "../testing/fixtures";
import {
  connectTestClient,
  sessionCookie,
  startTestCollabServer,
  waitFor,
  type TestClient,
  type TestCollabServer,
} from "../testing/collabHarness";
import { raceWithFirstPaused } from "../testing/lockWaits";
import { startTestRedis } from "../testing/redisServer";
import { inviteToMemo } from "../sharing/sharingCommands";
import { restoreVersion } from "./versionCommands";
import { getVersion, listVersions } from "./versionQueries";

// A restore replaces the memo in one update computed from what is stored. A colleague typing into a
// paragraph the restore removes has edits the collaboration server applied in memory but not yet
// stored (their batch waits for the restore's lock), and edits on the wire that reach the server
// after the restore did: both land inside a paragraph the restore deleted, so the restored memo
// does not show them, and the "saved before restoring" version was taken before they were stored.
// Every such edit the colleague saw acknowledged must still be in some version.
//
// The race is held open deterministically: the restore is paused where it writes its first
// version (it already holds the memo's log alone), and released once PostgreSQL reports the
// colleague's batch waiting for that lock (raceWithFirstPaused); the colleague types all along.

const bed = collabTestbed({ people: ["Olga Owner", "Eddie Editor"] });
let database: TestDatabase;
let server: TestCollabServer;
let owner: TestUser;
let editor: TestUser;
beforeAll(() => {
  ({ database, server } = bed);
  [owner, editor] = bed.people;
});

const connect = (memoId: string, user: TestUser): Promise<TestClient> => bed.connect(memoId, user);

/** One typed edit: a unique token and the client's clock once it was typed. */
type TypedEdit = { token: string; clock: number };

/** Follows which of a client's edits the server acknowledged as stored (MessageType.Saved). */
function acknowledgedClock(client: TestClient): () => number {
  let acknowledged = 0;
  const acknowledge = client.tracker.acknowledge.bind(client.tracker);
  client.tracker.acknowledge = (ack: Uint8Array) => {
    acknowledged = Math.max(acknowledged, Y.decodeSnapshot(ack).sv.get(client.doc.clientID) ?? 0);
    return acknowledge(ack);
  };
  return () => acknowledged;
}

/** The memo's second paragraph's text, as a client types into it (null once it was deleted). */
function draftText(client: TestClient): Y.XmlText | null {
  const paragraph = client.doc.getXmlFragment(MEMO_FRAGMENT).get(1);
  if (!(paragraph instanceof Y.XmlElement) || paragraph._item?.deleted) return null;
  const text = paragraph.get(0);
  return text instanceof Y.XmlText ? text : null;
}

/** Texts of the live memo (as stored) and of every version. */
async function storedTexts(
  memoId: string,
): Promise<{ live: string; versions: { number: number; note: string | null; text: string }[] }> {
  const { versions } = await listVersions(database.prisma, owner.id, memoId, { limit: 200 });
  const texts = await Promise.all(
    versions.map(async (version) => ({
      number: version.number,
      note: version.note,
      text: plainTextFromMemoJson((await getVersion(database.prisma, owner.id, memoId, version.id)).json),
    })),
  );
  const loaded = await loadMemoDocument(database.prisma, memoId);
  const live = loaded ? plainTextFromMemoJson(memoJsonFromYdoc(loaded.doc)) : "";
  loaded?.doc.destroy();
  return { live, versions: texts };
}

/** A colleague typing tokens into the draft paragraph, and which of them were acknowledged. */
type Typist = { client: TestClient; prefix: string; typed: TypedEdit[]; acknowledged: () => number };

/**
 * Restores version `versionId` while every typist types one token at a time into the draft
 * paragraph, for as long as the restore runs and the paragraph is still in their editor (the
 * restore, once received, removes it). Returns the tokens each saw acknowledged.
 */
async function restoreWhileTyping(memoId: string, versionId: string, typists: Typist[]): Promise<TypedEdit[]> {
  let restoring = true;
  const typeContinuously = async ({ client, prefix, typed }: Typist) => {
    for (let i = 0; restoring; i++) {
      const text = draftText(client);
      if (!text) return;
      const token = ` [${prefix}${String(i).padStart(3, "0")}]`;
      text.insert(text.length, token);
      typed.push({ token: token.trim(), clock: Y.getState(client.doc.store, client.doc.clientID) });
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  };
  const savedOf = ({ typed, acknowledged }: Typist) => typed.filter((edit) => edit.clock <= acknowledged());
  let typing: Promise<void[]> = Promise.resolve([]);
  const race = await raceWithFirstPaused(
    database.url,
    "MemoVersion",
    async () => {
      try {
        await restoreVersion(database.prisma, owner.id, memoId, versionId);
      } finally {
        restoring = false;
      }
    },
    async () => {
      typing = Promise.all(typists.map(typeContinuously));
      // Typed while the restore holds the memo's log: acknowledged only once the restore is done.
      await waitFor(
        () => typists.every((typist) => savedOf(typist).length > 0),
        10_000,
        "an edit of each typist acknowledged",
      );
    },
  );
  await typing;
  expect(race).toMatchObject({ first: "done", second: "done", secondFinishedFirst: false });
  await waitFor(
    () => typists.every(({ client }) => client.isSaved() && draftText(client) === null),
    5_000,
    "the typists saved and show the restored memo",
  );
  return typists.flatMap(savedOf);
}

/** A memo "Original wording." (version 1) with a draft paragraph added by `typists` connected to it. */
async function memoWithDraft(
  connectTypists: (memoId: string) => Promise<TestClient[]>,
): Promise<{ memoId: string; versionOne: string; typists: Typist[] }> {
  const memoId = await createTestMemo(database.prisma, owner.id, "Original wording.");
  await inviteToMemo(database.prisma, owner.id, memoId, { email: editor.email, role: "editor" });
  const [versionOne] = (await listVersions(database.prisma, owner.id, memoId)).versions;
  const clientsNow = await connectTypists(memoId);
  clientsNow[0].appendParagraph("Draft paragraph.");
  await waitFor(
    () => clientsNow.every((client) => client.isSaved() && draftText(client) !== null),
    5_000,
    "the draft paragraph stored and seen",
  );
  const typists = clientsNow.map((client, i) => ({
    client,
    prefix: `t${i}e`,
    typed: [],
    acknowledged: acknowledgedClock(client),
  }));
  return { memoId, versionOne: versionOne.id, typists };
}

/** The acknowledged edits that neither the live memo nor any version shows. */
async function lostEdits(memoId: string, saved: TypedEdit[]): Promise<string[]> {
  const stored = await storedTexts(memoId);
  expect(stored.live).toBe("Original wording.");
  expect(stored.versions.map((version) => version.note)).toContain("Saved before restoring version 1");
  return saved
    .filter(
      (edit) =>
        !stored.live.includes(edit.token) && !stored.versions.some((version) => version.text.includes(edit.token)),
    )
    .map((edit) => edit.token);
}

describe("a restore while a colleague types into a paragraph it removes", () => {
  it("keeps every edit the colleague saw acknowledged in the restored memo or in a version", async () => {
    const { memoId, versionOne, typists } = await memoWithDraft(async (id) => [await connect(id, editor)]);
    const saved = await restoreWhileTyping(memoId, versionOne, typists);
    expect(saved.length).toBeGreaterThan(0);
    expect(await lostEdits(memoId, saved)).toEqual([]);
  });

  it("keeps them with colleagues on two instances (Redis), each acknowledging its own", async () => {
    const redis = await startTestRedis();
    const instances = await Promise.all(
      [0, 1].map(() =>
        startTestCollabServer(database.prisma, database.url, { secret: server.secret, redisUrl: redis.url }),
      ),
    );
    const opened: TestClient[] = [];
    try {
      await waitFor(
        () => instances.every((instance) => instance.collab.redis?.connected),
        5_000,
        "instances connected to Redis",
      );
      const { memoId, versionOne, typists } = await memoWithDraft(async (id) => {
        const cookie = await sessionCookie(editor, server.secret);
        const onEach = instances.map((instance) => connectTestClient(instance.url, id, cookie));
        opened.push(...onEach);
        await Promise.all(onEach.map((client) => client.synced()));
        return onEach;
      });
      const saved = await restoreWhileTyping(memoId, versionOne, typists);
      expect(new Set(saved.map((edit) => edit.token.slice(0, 3)))).toEqual(new Set(["[t0", "[t1"]));
      expect(await lostEdits(memoId, saved)).toEqual([]);
    } finally {
      for (const client of opened) client.destroy();
      await Promise.all(instances.map((instance) => instance.stop()));
      await redis.dispose();
    }
  });

  it("keeps an edit typed before the colleague heard of the restore and stored after it", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id, "Original wording.");
    await inviteToMemo(database.prisma, owner.id, memoId, { email: editor.email, role: "editor" });
    const [versionOne] = (await listVersions(database.prisma, owner.id, memoId)).versions;
    const typist = await connect(memoId, editor);
    typist.appendParagraph("Draft paragraph.");
    await waitFor(() => typist.isSaved(), 5_000, "the draft paragraph stored");
    const acknowledged = acknowledgedClock(typist);

    // The typist's editor holds back what the server sends (the restore) until it has typed: its
    // edit is made in a paragraph it still shows, and reaches the server after the restore did.
    const held: Parameters<(typeof typist.provider.messageHandlers)[number]>[] = [];
    const handleSync = typist.provider.messageHandlers[MessageType.Sync];
    typist.provider.messageHandlers[MessageType.Sync] = (...args) => void held.push(args);
    await restoreVersion(database.prisma, owner.id, memoId, versionOne.id);
    await waitFor(() => held.length > 0, 5_000, "the restore sent to the typist");
    const text = draftText(typist);
    expect(text).not.toBeNull();
    text!.insert(text!.length, " [late]");
    const clock = Y.getState(typist.doc.store, typist.doc.clientID);
    await waitFor(() => acknowledged() >= clock, 5_000, "the late edit acknowledged");
    typist.provider.messageHandlers[MessageType.Sync] = handleSync;
    for (const args of held.splice(0)) handleSync(...args);

    const stored = await storedTexts(memoId);
    expect(stored.live).toBe("Original wording.");
    const keeping = stored.versions.filter((version) => version.text.includes("[late]"));
    expect(keeping.map((version) => version.text)).toEqual([expect.stringContaining("Draft paragraph. [late]")]);
  });

  it("keeps an edit made offline during the restore and replayed to a memo loaded after it", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id, "Original wording.");
    await inviteToMemo(database.prisma, owner.id, memoId, { email: editor.email, role: "editor" });
    const [versionOne] = (await listVersions(database.prisma, owner.id, memoId)).versions;
    const typist = await connect(memoId, editor);
    typist.appendParagraph("Draft paragraph.");
    await waitFor(() => typist.isSaved(), 5_000, "the draft paragraph stored");
    const acknowledged = acknowledgedClock(typist);

    typist.provider.disconnect();
    await waitFor(() => server.collab.registry.loadedRoom(memoId) === undefined, 5_000, "the memo unloaded");
    await restoreVersion(database.prisma, owner.id, memoId, versionOne.id);
    const text = draftText(typist)!;
    text.insert(text.length, " [offline]");
    const clock = Y.getState(typist.doc.store, typist.doc.clientID);
    typist.provider.connect();
    await waitFor(() => acknowledged() >= clock && typist.isSaved(), 5_000, "the offline edit acknowledged");

    const stored = await storedTexts(memoId);
    expect(stored.live).toBe("Original wording.");
    const keeping = stored.versions.filter((version) => version.text.includes("[offline]"));
    expect(keeping.map((version) => version.text)).toEqual([expect.stringContaining("Draft paragraph. [offline]")]);
  });
});
