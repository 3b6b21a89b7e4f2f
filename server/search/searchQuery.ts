import { invalidInput } from "../errors";

// What a person types in the search box, read into terms PostgreSQL can search for: words (the
// last one a prefix while it is still being typed) and quoted phrases. The tsquery text is built
// from words alone, each a run of letters, digits and combining marks quoted as a lexeme, so no
// operator, quote or backslash someone types ever reaches to_tsquery's syntax: "a & !b" searches
// for a and b.

/** A word or a quoted phrase, all of whose words must appear (a phrase's in order, adjacent). */
export type SearchTerm = { words: string[]; phrase: boolean; prefix: boolean };

/** A query as read: its terms, the tsquery text that finds them, and substrings for the trigram fallback. */
export type ParsedQuery = { terms: SearchTerm[]; tsquery: string; substrings: string[] };

export const MAX_QUERY_CHARS = 200;
const MAX_TERMS = 12;
/** Words in all terms together (a phrase's words count one each). */
const MAX_WORDS = 16;
/** A last word shorter than this is not matched as a prefix: "a" would match most of the index. */
const MIN_PREFIX_CHARS = 2;
const MAX_WORD_CHARS = 60;
/** Substrings shorter than this are not searched by trigram (they match nearly everything). */
const MIN_SUBSTRING_CHARS = 3;

const WORD = /[\p{L}\p{N}\p{M}]+/gu;

const wordsOf = (text: string): string[] =>
  (text.normalize("NFC").toLowerCase().match(WORD) ?? []).map((word) => word.slice(0, MAX_WORD_CHARS));

/** Reads a query; null when it holds no word to search for. Refuses what is not a string or too long. */
export function parseSearchQuery(input: unknown): ParsedQuery | null {
  if (typeof input !== "string") throw invalidInput("Type something to search for.");
  if (input.length > MAX_QUERY_CHARS) throw invalidInput(`Search for at most ${MAX_QUERY_CHARS} characters.`);
  const terms: SearchTerm[] = [];
  // Quoted phrases first, then the words around them; an unclosed quote reads as a phrase to the end.
  const pieces = input.split('"');
  for (const [index, piece] of pieces.entries()) {
    const quoted = index % 2 === 1;
    const words = wordsOf(piece);
    if (quoted) {
      if (words.length > 0) terms.push({ words, phrase: words.length > 1, prefix: false });
    } else {
      for (const word of words) terms.push({ words: [word], phrase: false, prefix: false });
    }
  }
  if (terms.length === 0) return null;
  const kept: SearchTerm[] = [];
  let wordCount = 0;
  for (const term of terms.slice(0, MAX_TERMS)) {
    const room = MAX_WORDS - wordCount;
    if (room <= 0) break;
    const words = term.words.slice(0, room);
    kept.push({ ...term, words, phrase: words.length > 1 });
    wordCount += words.length;
  }
  // While one types, the last word is unfinished: match it as a prefix ("sanc" finds "sanctions").
  const last = kept[kept.length - 1];
  const typing = !/[\s"]$/u.test(input);
  const whole = kept.length === terms.length && wordCount === terms.reduce((sum, term) => sum + term.words.length, 0);
  const long = [...last.words[0]].length >= MIN_PREFIX_CHARS;
  if (typing && long && !last.phrase && whole && pieces.length % 2 === 1) last.prefix = true;
  const lexeme = (word: string) => `'${word}'`;
  const tsquery = kept
    .map((term) =>
      term.phrase ? `(${term.words.map(lexeme).join(" <-> ")})` : `${lexeme(term.words[0])}${term.prefix ? ":*" : ""}`,
    )
    .join(" & ");
  const substrings = kept.map((term) => term.words.join(" ")).filter((text) => [...text].length >= MIN_SUBSTRING_CHARS);
  return { terms: kept, tsquery, substrings };
}
