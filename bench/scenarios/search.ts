import pino from "pino";
import { createSqlPool } from "../../server/database/sqlQuery";
import { searchMemos } from "../../server/search/searchMemos";
import { parseSearchQuery } from "../../server/search/searchQuery";
import { createTestUser } from "../../server/testing/fixtures";
import type { BenchEnvironment } from "../environment";
import { seededRandom } from "../stats";

// Scenario g (issue 22): search across 50,000 memo sections (2,500 memos of 20 sections of about
// 600 characters, in the words of the benchmark's memos), of which the searching analyst may open
// about half (owned, or shared with one of the three roles). Each kind of query is timed 30 times
// through searchMemos, as /api/search runs it (the pg pool, one statement that ranks, pages and
// checks permissions), beside a baseline in the same run: the analyst's 20 most recently edited
// memos through the same permission join, without text search. Target: p95 under 100 ms.

export type SearchQueryRun = { query: string; timesMs: number[]; hits: number };
export type SearchResult = { sections: number; readableMemos: number; baselineMs: number[]; runs: SearchQueryRun[] };

const MEMOS = 2_500;
const SECTIONS_PER_MEMO = 20;
const REPS = 30;

const WORDS = (
  "the ministry embassy delegation council security trade talks agreement border region policy analysts " +
  "recommend that government should consider options risks economic sanctions treaty negotiations partners " +
  "in of and to a for with on by from regional stability cooperation framework strategic dialogue"
).split(" ");

/** The kinds of query people type, as typed (a trailing space: the last word is finished). */
export const SEARCH_QUERIES = {
  "a common word": "policy ",
  "a rare word (50 sections)": "quagmire ",
  "a prefix while typing": "negot",
  "two words": "economic partners ",
  "a quoted phrase": '"economic sanctions"',
  "part of a name (trigram)": "zbekist",
  "a word in nearly every section": "the ",
  "a word in no memo": "xylophone ",
};

const RECENT = `
  SELECT m.id FROM "Memo" m LEFT JOIN "MemoMember" mm ON mm."memoId" = m.id AND mm."userId" = $1::uuid
  WHERE m."ownerId" = $1::uuid OR mm."userId" IS NOT NULL
  ORDER BY m."lastEditedAt" DESC LIMIT 20`;

/** Writes the memos and their sections (the triggers compute the vectors), then times the queries. */
export async function runSearch(env: BenchEnvironment): Promise<SearchResult> {
  const sql = createSqlPool(env.databaseUrl, pino({ level: "warn" }), 2);
  try {
    const random = seededRandom(7);
    const colleague = await createTestUser(env.prisma, "Search Colleague");
    const sentence = () => {
      const words: string[] = [];
      for (let length = 0; length < 600;) {
        const word = WORDS[Math.floor(random() * WORDS.length)];
        words.push(word);
        length += word.length + 1;
      }
      return `${words.join(" ")}.`;
    };
    let readableMemos = 0;
    for (let start = 0; start < MEMOS; start += 100) {
      const ids: string[] = [];
      const owners: string[] = [];
      const titles: string[] = [];
      for (let index = start; index < start + 100; index++) {
        ids.push(crypto.randomUUID());
        // A quarter owned by the analyst, a quarter shared with them, half out of their reach.
        owners.push(index % 4 === 0 ? env.ownerId : colleague.id);
        titles.push(`Memo ${index}: ${WORDS[index % WORDS.length]} ${WORDS[(index * 7) % WORDS.length]}`);
      }
      await sql.query(
        `INSERT INTO "Memo" (id, title, "ownerId", "ydocState", "contentJson")
         SELECT id, title, owner, '\\x'::bytea, '{}'::jsonb FROM unnest($1::uuid[], $2::text[], $3::uuid[]) AS t(id, title, owner)`,
        [ids, titles, owners],
      );
      const shared = ids.filter((_, i) => (start + i) % 4 === 1);
      const roles = shared.map((_, i) => ["editor", "commenter", "viewer"][i % 3]);
      await sql.query(
        `INSERT INTO "MemoMember" ("memoId", "userId", role, "updatedAt")
         SELECT memo, $2::uuid, role::"MemoRole", now() FROM unnest($1::uuid[], $3::text[]) AS t(memo, role)`,
        [shared, env.ownerId, roles],
      );
      readableMemos += ids.filter((_, i) => (start + i) % 4 <= 1).length;
      const memoIds: string[] = [];
      const ordinals: number[] = [];
      const headings: string[] = [];
      const bodies: string[] = [];
      for (const [m, id] of ids.entries()) {
        for (let s = 0; s < SECTIONS_PER_MEMO; s++) {
          memoIds.push(id);
          ordinals.push(s);
          headings.push(`Section ${s + 1}: ${WORDS[Math.floor(random() * WORDS.length)]}`);
          const n = (start + m) * SECTIONS_PER_MEMO + s;
          const extra = n % 1_000 === 0 ? " A quagmire, said the envoy from Uzbekistan." : "";
          bodies.push(sentence() + extra);
        }
      }
      await sql.query(
        `INSERT INTO "SearchEntry" ("memoId", kind, ref, "blockIndex", heading, body)
         SELECT memo, 'section', ordinal::text, ordinal * 2, heading, body
         FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[]) AS t(memo, ordinal, heading, body)`,
        [memoIds, ordinals, headings, bodies],
      );
    }
    await sql.query(`ANALYZE "SearchEntry"`, []);
    await sql.query(`ANALYZE "Memo"`, []);
    await sql.query(`ANALYZE "MemoMember"`, []);

    const time = async (run: () => Promise<unknown>) => {
      const started = performance.now();
      await run();
      return performance.now() - started;
    };
    const baselineMs: number[] = [];
    const runs: SearchQueryRun[] = Object.entries(SEARCH_QUERIES).map(([query]) => ({ query, timesMs: [], hits: 0 }));
    // Warm-up: the first statements plan and read the indexes into memory.
    for (const text of Object.values(SEARCH_QUERIES)) await searchMemos(sql.query, env.ownerId, parseSearchQuery(text));
    for (let rep = 0; rep < REPS; rep++) {
      baselineMs.push(await time(() => sql.query(RECENT, [env.ownerId])));
      for (const [index, text] of Object.values(SEARCH_QUERIES).entries()) {
        let hits = 0;
        runs[index].timesMs.push(
          await time(async () => {
            hits = (await searchMemos(sql.query, env.ownerId, parseSearchQuery(text))).hits.length;
          }),
        );
        runs[index].hits = hits;
      }
    }
    return { sections: MEMOS * SECTIONS_PER_MEMO, readableMemos, baselineMs, runs };
  } finally {
    await sql.end();
  }
}
