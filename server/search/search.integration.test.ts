import fc from "fast-check";
import * as Y from "yjs";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JSONContent } from "../../common/editor/memoDocument";
import { createThread, deleteComment } from "../comments/commentCommands";
import { isAppError } from "../errors";
import { createSqlPool, type SqlPool } from "../database/sqlQuery";
import { createMemo } from "../memos/memoCommands";
import { appendMemoUpdates, loadMemoDocument } from "../memos/memoStore";
import { updateMemoMetadata } from "../memos/memoMetadata";
import { connectTestClient, sessionCookie, startTestCollabServer, waitFor } from "../testing/collabHarness";
import { createTestUser, testThreadInput, type TestUser } from "../testing/fixtures";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase";
import { indexStoredMemo } from "./memoSearchIndex";
import { createSearchIndexer } from "./searchIndexer";
import { searchMemos, type MarkedText, type SearchHit } from "./searchMemos";
import { parseSearchQuery } from "./searchQuery";

// Search against a real PostgreSQL: what is found and how it ranks, the query language (prefixes,
// phrases, stems in the memo's language, substrings by trigram), that permissions are decided in
// the ranking statement itself (a property test against a brute-force check), that hostile
// queries and hostile text do nothing, and that an edit through the collaboration server is
// searchable within 2 s.

const MARKINGS = ["UNCLASSIFIED"];
let database: TestDatabase;
let pool: SqlPool;
let owner: TestUser;
let colleague: TestUser;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = createSqlPool(database.url, pino({ level: "silent" }), 4);
  owner = await createTestUser(database.prisma, "Olga Owner");
  colleague = await createTestUser(database.prisma, "Colin Colleague");
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

const text = (value: string): JSONContent => ({ type: "text", text: value });
const paragraph = (value: string): JSONContent => ({ type: "paragraph", content: [text(value)] });
const heading = (value: string): JSONContent => ({ type: "heading", attrs: { level: 2 }, content: [text(value)] });

/** A memo of `owner` with `blocks`, indexed as the server indexes it. */
async function memoWith(title: string, blocks: JSONContent[], by: TestUser = owner): Promise<string> {
  const id = await createMemo(database.prisma, { ownerId: by.id, title, body: { type: "doc", content: blocks } });
  await indexStoredMemo(pool, id);
  return id;
}

const search = (user: TestUser, query: string, page?: { limit: number; offset: number }) =>
  searchMemos(pool.query, user.id, parseSearchQuery(query), page);

const plain = (marked: MarkedText) => marked.map((segment) => segment.text).join("");
const matches = (marked: MarkedText) => marked.filter((segment) => segment.match).map((segment) => segment.text);
const hitOf = (hits: SearchHit[], memoId: string) => hits.find((hit) => hit.memoId === memoId);

describe("search", () => {
  it("finds titles, details, sections and comments; the title ranks first; each memo once, at its best passage", async () => {
    const titled = await memoWith("Grain corridor options", [paragraph("A short note.")]);
    const bodied = await memoWith("Weekly note", [
      paragraph("Prepared for the minister."),
      heading("Exports"),
      paragraph("Grain exports fell by a third after the corridor closed."),
      paragraph("Grain prices rose."),
    ]);
    const { hits } = await search(owner, "grain");
    expect(hits.map((hit) => hit.memoId).slice(0, 2)).toEqual([titled, bodied]);
    expect(hits.filter((hit) => hit.memoId === bodied)).toHaveLength(1);
    expect(hitOf(hits, titled)).toMatchObject({ kind: "memo", role: "owner", blockIndex: null });
    expect(matches(hitOf(hits, titled)!.title)).toEqual(["Grain"]);
    const section = hitOf(hits, bodied)!;
    expect(section).toMatchObject({ kind: "section", blockIndex: 1, threadId: null });
    expect(plain(section.heading)).toBe("Exports");
    expect(matches(section.snippet)).toContain("Grain");

    await updateMemoMetadata(
      database.prisma,
      owner.id,
      bodied,
      { subject: "Sanctions relief for fertiliser" },
      MARKINGS,
    );
    expect(hitOf((await search(owner, "fertiliser")).hits, bodied)).toMatchObject({ kind: "memo" });

    const thread = await createThread(
      database.prisma,
      owner.id,
      titled,
      testThreadInput("Check this with the legal adviser", "A short", "A short note."),
    );
    const commented = hitOf((await search(owner, "adviser")).hits, titled);
    expect(commented).toMatchObject({ kind: "comment", threadId: thread.id });
    expect(matches(commented!.snippet)).toEqual(["adviser"]);
    await deleteComment(database.prisma, owner.id, titled, thread.id, thread.comments[0].id);
    expect(hitOf((await search(owner, "adviser")).hits, titled)).toBeUndefined();
  });

  it("prefixes as one types, phrases in order, stems in the memo's language, parts of names, Arabic", async () => {
    const english = await memoWith("Policy brief", [paragraph("Our policies on sanctions relief are under review.")]);
    expect(hitOf((await search(owner, "sanc")).hits, english)).toBeDefined();
    expect(hitOf((await search(owner, "policy")).hits, english)).toBeDefined();
    expect(hitOf((await search(owner, '"sanctions relief"')).hits, english)).toBeDefined();
    expect(hitOf((await search(owner, '"relief sanctions"')).hits, english)).toBeUndefined();
    expect(matches(hitOf((await search(owner, "polic")).hits, english)!.title)).toEqual(["Policy"]);

    const french = await memoWith("Note", [paragraph("Les exportations agricoles ont chuté.")]);
    await updateMemoMetadata(database.prisma, owner.id, french, { language: "fr" }, MARKINGS);
    const [config] = await pool.query<{ config: string }>(
      `SELECT DISTINCT config::text FROM "SearchEntry" WHERE "memoId" = $1::uuid AND kind = 'section'`,
      [french],
    );
    expect(config.config).toBe("french");
    // "agricole" and "agricoles" share a French stem; English stemming keeps them apart.
    expect(hitOf((await search(owner, "agricole ")).hits, french)).toBeDefined();

    const named = await memoWith("Visit", [paragraph("President Zelenskyy met the delegation.")]);
    const byPart = hitOf((await search(owner, "lensk ")).hits, named);
    expect(byPart).toBeDefined();
    expect(matches(byPart!.snippet).map((match) => match.toLowerCase())).toEqual(["lensk"]);

    const arabic = await memoWith("مذكرة", [paragraph("فرضت الحكومة العقوبات على الصادرات.")]);
    const [arabicConfig] = await pool.query<{ config: string }>(
      `SELECT config::text FROM "SearchEntry" WHERE "memoId" = $1::uuid AND kind = 'section'`,
      [arabic],
    );
    expect(arabicConfig.config).toBe("arabic");
    expect(hitOf((await search(owner, "العقوبات ")).hits, arabic)).toBeDefined();
    expect(hitOf((await search(owner, "مذكرة")).hits, arabic)).toMatchObject({ kind: "memo" });
  });

  it("hostile queries reach PostgreSQL as words only; hostile text comes back as text", async () => {
    const hostile = await memoWith("Markup <b>test</b>", [
      paragraph("Before \u0002marker\u0003 after <script>alert(1)</script> ' & | ! :* <-> \\"),
    ]);
    for (const query of ["a & !b", "':*", "\\", "(x <-> y) | z", "!!!", "' or 1=1 --", "\u0002", "<script>", "%_%"]) {
      await expect(search(owner, query)).resolves.toBeDefined();
    }
    const found = hitOf((await search(owner, "script alert")).hits, hostile)!;
    expect(plain(found.snippet)).toContain("<script>alert(1)</script>");
    // The markers' characters in the text do not turn into matches.
    expect(matches(hitOf((await search(owner, "before")).hits, hostile)!.snippet)).toEqual(["Before"]);
    expect(plain(hitOf((await search(owner, "markup")).hits, hostile)!.title)).toBe("Markup <b>test</b>");
    // Nothing but letters and digits is searched for: "%_%" is no query at all.
    expect(parseSearchQuery("%_%")).toBeNull();
  });

  it("a search cancelled by its statement timeout answers busy (503), and the pool carries on", async () => {
    const searchPool = createSqlPool(database.url, pino({ level: "silent" }), 1, { statementTimeoutMs: 150 });
    let release!: () => void;
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    // Another transaction holds the table, so the search waits past its timeout, every time.
    const holder = pool.transaction(async (query) => {
      await query(`LOCK TABLE "SearchEntry" IN ACCESS EXCLUSIVE MODE`, []);
      locked();
      await new Promise<void>((resolve) => (release = resolve));
    });
    try {
      await lockTaken;
      const error = await searchMemos(searchPool.query, owner.id, parseSearchQuery("grain")).catch((e: unknown) => e);
      expect(isAppError(error, "busy")).toBe(true);
      expect((error as Error).message).toMatch(/took too long/);
      release();
      await holder;
      await expect(searchMemos(searchPool.query, owner.id, parseSearchQuery("grain"))).resolves.toBeDefined();
    } finally {
      release?.();
      await holder.catch(() => undefined);
      await searchPool.end();
    }
  });

  it("decides permissions in the ranking statement: pages are full, nothing unreadable, recall equals a brute-force check", async () => {
    const people = [owner, colleague, await createTestUser(database.prisma, "Vera Viewer")];
    const tokens = ["zqalpha", "zqbravo", "zqcharlie"];
    const memos: { id: string; ownerIndex: number; tokens: string[] }[] = [];
    for (let index = 0; index < 14; index++) {
      const mine = tokens.filter((_, t) => (index >> t) % 2 === 1 || index % 5 === t);
      const ownerIndex = index % people.length;
      memos.push({
        id: await memoWith(`Memo ${index}`, [paragraph(`Text ${mine.join(" ")}.`)], people[ownerIndex]),
        ownerIndex,
        tokens: mine,
      });
    }
    const ids = memos.map((memo) => memo.id);
    const roles = ["editor", "commenter", "viewer", null] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.constantFrom(...roles), { minLength: people.length, maxLength: people.length }), {
          minLength: memos.length,
          maxLength: memos.length,
        }),
        fc.integer({ min: 1, max: 4 }),
        async (memberships, pageSize) => {
          await database.prisma.memoMember.deleteMany({ where: { memoId: { in: ids } } });
          const rows = memberships.flatMap((memoRoles, m) =>
            memoRoles.flatMap((role, p) =>
              role && p !== memos[m].ownerIndex ? [{ memoId: memos[m].id, userId: people[p].id, role }] : [],
            ),
          );
          await database.prisma.memoMember.createMany({ data: rows });
          for (const [p, person] of people.entries()) {
            for (const token of tokens) {
              const expected = memos
                .filter((memo, m) => memo.tokens.includes(token) && (memo.ownerIndex === p || memberships[m][p]))
                .map((memo) => memo.id)
                .sort();
              const found: string[] = [];
              for (let offset = 0; ; offset += pageSize) {
                const page = await search(person, `${token} `, { limit: pageSize, offset });
                found.push(...page.hits.map((hit) => hit.memoId));
                // A page is full unless it is the last.
                if (page.more) expect(page.hits).toHaveLength(pageSize);
                if (!page.more) break;
              }
              expect(found.sort()).toEqual(expected);
            }
          }
        },
      ),
      { numRuns: 12 },
    );
  }, 120_000);

  it("an edit through the collaboration server is searchable within 2 s", async () => {
    const memoId = await createMemo(database.prisma, { ownerId: owner.id, title: "Live memo" });
    const indexer = createSearchIndexer({
      index: (id) => indexStoredMemo(pool, id),
      delayMs: 1_000,
      concurrency: 2,
      log: pino({ level: "silent" }),
    });
    const server = await startTestCollabServer(database.prisma, database.url, {
      onStored: (id) => indexer.changed(id),
    });
    const client = connectTestClient(server.url, memoId, await sessionCookie(owner, server.secret));
    try {
      await client.synced();
      const typed = Date.now();
      client.appendParagraph("The quokka briefing is ready.");
      await waitFor(
        async () => hitOf((await search(owner, "quokka ")).hits, memoId) !== undefined,
        5_000,
        "the edit found",
      );
      const searchableAfterMs = Date.now() - typed;
      expect(searchableAfterMs).toBeLessThan(2_000);
      // Later edits replace what was indexed.
      const body = client.doc.getXmlFragment(MEMO_FRAGMENT);
      client.doc.transact(() => {
        body.delete(0, body.length);
        client.appendParagraph("Now about wombats.");
      });
      await waitFor(
        async () => hitOf((await search(owner, "wombats ")).hits, memoId) !== undefined,
        5_000,
        "the new text",
      );
      expect(hitOf((await search(owner, "quokka ")).hits, memoId)).toBeUndefined();
    } finally {
      client.destroy();
      await server.stop();
      await indexer.close();
    }
  });

  it("an indexing waits for the memo's search lock before it reads, so it never writes an older text over a newer", async () => {
    const memoId = await memoWith("Race", [paragraph("first version")]);
    let release!: () => void;
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    // Another indexing, holding the lock for as long as the test says.
    const holder = pool.transaction(async (query) => {
      await query(`SELECT demarche_search_lock($1::uuid)`, [memoId]);
      locked();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await lockTaken;
    const waiting = indexStoredMemo(pool, memoId);
    // The memo changes while the indexing waits; it must index this text, not the one before.
    const loaded = (await loadMemoDocument(pool.query, memoId))!;
    const before = Y.encodeStateVector(loaded.doc);
    const fragment = loaded.doc.getXmlFragment(MEMO_FRAGMENT);
    const line = new Y.XmlElement("paragraph");
    line.insert(0, [new Y.XmlText("second version")]);
    fragment.push([line]);
    await appendMemoUpdates(pool.query, memoId, [
      { data: Y.encodeStateAsUpdate(loaded.doc, before), userId: owner.id },
    ]);
    release();
    await holder;
    expect(await waiting).toBe(1);
    const [section] = await pool.query<{ body: string }>(
      `SELECT body FROM "SearchEntry" WHERE "memoId" = $1::uuid AND kind = 'section'`,
      [memoId],
    );
    expect(section.body).toBe("first version\nsecond version");
  });
});
