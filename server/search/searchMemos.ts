import type { MemoRole } from "../../common/sharing/memoPermissions";
import { sqlOf, type SqlRunner } from "../database/sqlQuery";
import { busy, invalidInput } from "../errors";
import { isUuid } from "../ids";
import type { ParsedQuery } from "./searchQuery";

// Search across the memos a user may open: one statement that decides who may read what, finds,
// ranks and pages, so a page is always full and never holds a memo the caller cannot open (a
// filter after LIMIT would return short pages, or need another round). Each memo appears once,
// at its best passage: its title or details, a section of its body, or a comment.
// The query is matched in every configured language at once (a reader need not know a memo's
// language), and by trigram substring for what stemming cannot find: names, parts of words,
// scripts without a stemmer. Snippets are marked by ts_headline with control characters that
// the stored text cannot hold here (they are stripped first), then cut into plain segments: no
// markup ever travels, so a memo's text cannot become HTML in a colleague's results.

/** Text with the matched words marked, as segments; rendered as text, never as HTML. */
export type MarkedText = { text: string; match: boolean }[];

/** One memo found, at its best passage. */
export type SearchHit = {
  memoId: string;
  title: MarkedText;
  role: MemoRole;
  lastEditedAt: string;
  /** Where the words were found: the memo's title or details, a section of its body, or a comment. */
  kind: "memo" | "section" | "comment";
  /** The section's heading (kind "section"), else empty. */
  heading: MarkedText;
  /** What the memo page scrolls to: a top-level block (sections) or a thread (comments). */
  blockIndex: number | null;
  threadId: string | null;
  snippet: MarkedText;
};

export type SearchPage = { hits: SearchHit[]; more: boolean };

export const SEARCH_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 50;
const MAX_OFFSET = 1_000;

/** SQLSTATE of a statement cancelled (statement_timeout). */
const QUERY_CANCELED = "57014";

const START = "\u0002";
const STOP = "\u0003";
const HEADLINE = `StartSel=${START}, StopSel=${STOP}, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;
/** A trigram-only hit's snippet: this many characters around its first match. */
const SNIPPET_CHARS = 220;

/** The statement for a query with `substrings` trigram patterns ($6 on). */
function searchStatement(substrings: number): string {
  const trigram =
    substrings === 0
      ? "false"
      : Array.from(
          { length: substrings },
          (_, index) => `(e."heading" || E'\\n' || e."body") ILIKE $${index + 6}::text`,
        ).join(" AND ");
  return `
  WITH q AS (
    SELECT to_tsquery('english', $2::text) || to_tsquery('french', $2)
      || to_tsquery('german', $2) || to_tsquery('spanish', $2) || to_tsquery('arabic', $2) AS query
  ), readable AS (
    SELECT m.id, CASE WHEN m."ownerId" = $1::uuid THEN 'owner' ELSE mm.role::text END AS role
    FROM "Memo" m LEFT JOIN "MemoMember" mm ON mm."memoId" = m.id AND mm."userId" = $1::uuid
    WHERE m."ownerId" = $1::uuid OR mm."userId" IS NOT NULL
  ), matched AS (
    -- Keys and ranks only: the texts of the few entries on the page are read at the end, so the
    -- sort that picks each memo's best entry moves small rows.
    SELECT e."memoId", e."kind", e."ref", e.tsv @@ q.query AS stemmed,
      CASE WHEN e.tsv @@ q.query THEN ts_rank(e.tsv, q.query) ELSE 0.0001 END AS rank
    FROM "SearchEntry" e CROSS JOIN q
    WHERE e."memoId" IN (SELECT id FROM readable) AND (e.tsv @@ q.query OR (${trigram}))
  ), best AS (
    SELECT DISTINCT ON ("memoId") * FROM matched ORDER BY "memoId", rank DESC, "kind", "ref"
  ), page AS (
    SELECT best.*, m.title, m."lastEditedAt", r.role
    FROM best JOIN "Memo" m ON m.id = best."memoId" JOIN readable r ON r.id = best."memoId"
    ORDER BY best.rank DESC, m."lastEditedAt" DESC, m.id
    LIMIT $3::int OFFSET $4::int
  )
  SELECT page."memoId"::text AS "memoId", page."kind", e."blockIndex", e."threadId"::text AS "threadId",
    page."lastEditedAt" AT TIME ZONE 'UTC' AS "lastEditedAt", page.role, page.stemmed,
    page.title, CASE WHEN page."kind" = 'section' THEN e."heading" ELSE '' END AS heading,
    CASE WHEN page.stemmed THEN ts_headline(e."config", translate(e."body", E'\\x02\\x03', ''), q.query, $5::text)
      ELSE translate(e."body", E'\\x02\\x03', '') END AS body
  FROM page
  JOIN "SearchEntry" e ON e."memoId" = page."memoId" AND e."kind" = page."kind" AND e."ref" = page."ref"
  CROSS JOIN q
  ORDER BY page.rank DESC, page."lastEditedAt" DESC, page."memoId"`;
}

type Row = {
  memoId: string;
  kind: SearchHit["kind"];
  blockIndex: number | null;
  threadId: string | null;
  lastEditedAt: Date | string;
  role: MemoRole;
  stemmed: boolean;
  title: string;
  heading: string;
  body: string;
};

/** ts_headline's output cut into segments at its markers. */
export function markedSegments(marked: string): MarkedText {
  const segments: MarkedText = [];
  for (const [index, part] of marked.split(START).entries()) {
    const [inside, after] = index === 0 ? [undefined, part] : splitOnce(part, STOP);
    if (inside) segments.push({ text: inside, match: true });
    if (after) segments.push({ text: after, match: false });
  }
  return segments;
}

const splitOnce = (text: string, separator: string): [string, string] => {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ""] : [text.slice(0, at), text.slice(at + separator.length).replaceAll(STOP, "")];
};

/** For a trigram-only hit: the text around the first substring found, each occurrence marked. */
export function substringSnippet(original: string, substrings: string[]): MarkedText {
  // Lower-casing may change a string's length ("İ"): then the positions found in the lower-cased
  // copy would mark the wrong letters, so such a text is shown unmarked.
  const text = original.normalize("NFC");
  if (text.toLowerCase().length !== text.length) return [{ text: text.slice(0, SNIPPET_CHARS), match: false }];
  const lower = text.toLowerCase();
  const first = Math.min(...substrings.map((sub) => lower.indexOf(sub)).filter((at) => at >= 0), text.length);
  const start = Math.max(0, first - Math.floor(SNIPPET_CHARS / 3));
  const window = text.slice(start, start + SNIPPET_CHARS);
  const windowLower = window.toLowerCase();
  const marks: [number, number][] = [];
  for (const sub of substrings) {
    for (let at = windowLower.indexOf(sub); at >= 0; at = windowLower.indexOf(sub, at + sub.length)) {
      marks.push([at, at + sub.length]);
    }
  }
  marks.sort((a, b) => a[0] - b[0]);
  const segments: MarkedText = [];
  let cursor = 0;
  for (const [from, to] of marks) {
    if (from < cursor) continue;
    if (from > cursor) segments.push({ text: window.slice(cursor, from), match: false });
    segments.push({ text: window.slice(from, to), match: true });
    cursor = to;
  }
  if (cursor < window.length) segments.push({ text: window.slice(cursor), match: false });
  if (start > 0) segments.unshift({ text: "… ", match: false });
  if (start + SNIPPET_CHARS < text.length) segments.push({ text: " …", match: false });
  return segments;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A short text (a title, a heading) with each word that starts like a searched word marked to its
 * end: "sanc" marks "Sanctions". (ts_headline, used for snippets, reads markup-like text as tags
 * and can drop them, which a title must never lose.)
 */
export function markWords(original: string, query: ParsedQuery): MarkedText {
  const text = original.normalize("NFC");
  const words = [...new Set(query.terms.flatMap((term) => term.words))].sort((a, b) => b.length - a.length);
  if (!text || words.length === 0) return text ? [{ text, match: false }] : [];
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}\\p{M}])(?:${words.map(escapeRegExp).join("|")})[\\p{L}\\p{N}\\p{M}]*`,
    "giu",
  );
  const segments: MarkedText = [];
  let cursor = 0;
  for (const found of text.matchAll(pattern)) {
    if (found.index > cursor) segments.push({ text: text.slice(cursor, found.index), match: false });
    segments.push({ text: found[0], match: true });
    cursor = found.index + found[0].length;
  }
  if (cursor < text.length) segments.push({ text: text.slice(cursor), match: false });
  return segments;
}

/** Reads the paging parameters of a search request. */
export function parseSearchPage(limit: unknown, offset: unknown): { limit: number; offset: number } {
  const number = (value: unknown, fallback: number, max: number, name: string) => {
    if (value === undefined || value === null || value === "") return fallback;
    const parsed = typeof value === "number" ? value : Number(value);
    if (!Number.isInteger(parsed) || parsed < 0 || parsed > max)
      throw invalidInput(`${name} must be a whole number from 0 to ${max}.`);
    return parsed;
  };
  return {
    limit: Math.max(1, number(limit, SEARCH_PAGE_SIZE, MAX_PAGE_SIZE, "limit")),
    offset: number(offset, 0, MAX_OFFSET, "offset"),
  };
}

/** One page of the memos `userId` may open that match `query`, best first. */
export async function searchMemos(
  db: SqlRunner,
  userId: string,
  query: ParsedQuery | null,
  page: { limit: number; offset: number } = { limit: SEARCH_PAGE_SIZE, offset: 0 },
): Promise<SearchPage> {
  if (!query || !isUuid(userId)) return { hits: [], more: false };
  const patterns = query.substrings.map((sub) => `%${sub.replace(/[\\%_]/g, "\\$&")}%`);
  const run = (substrings: string[]) =>
    sqlOf(db)<Row>(
      searchStatement(substrings.length),
      [userId, query.tsquery, page.limit + 1, page.offset, HEADLINE, ...substrings],
      `search-memos-${substrings.length}`,
    ).catch((error: unknown) => {
      // Cancelled by the search pool's statement timeout: a query matching most of the index.
      if ((error as { code?: string }).code === QUERY_CANCELED) {
        throw busy("This search took too long. Add a word or two to narrow it, then try again.", 2);
      }
      throw error;
    });
  // Substring matches rank below every text-search match, so when text search alone fills this
  // page and shows there is more, the page is the same with or without them: the trigram part
  // (ILIKE over every candidate's text, the costly part for common words) runs only when it can
  // add to the page.
  let rows = await run([]);
  if (rows.length <= page.limit && patterns.length > 0) rows = await run(patterns);
  const hits = rows.slice(0, page.limit).map((row): SearchHit => ({
    memoId: row.memoId,
    title: markWords(row.title, query),
    role: row.role,
    lastEditedAt: new Date(row.lastEditedAt).toISOString(),
    kind: row.kind,
    heading: markWords(row.heading, query),
    blockIndex: row.blockIndex,
    threadId: row.threadId,
    snippet: row.stemmed ? markedSegments(row.body) : substringSnippet(row.body, query.substrings),
  }));
  return { hits, more: rows.length > page.limit };
}
