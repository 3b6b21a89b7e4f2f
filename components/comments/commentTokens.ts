import { find } from "linkifyjs";

// A comment is plain text. For display it is cut into text, mentions ("@Name" of a person the
// comment mentions) and links, which React renders as text nodes, spans and anchors: nothing in
// a comment is ever parsed as HTML. Links are found by linkifyjs and kept only for http(s) and
// mailto, so "javascript:" (or any other scheme) stays plain text.

/** A piece of a comment as it is displayed. */
export type CommentToken =
  | { kind: "text"; text: string }
  | { kind: "mention"; text: string; userId: string }
  | { kind: "link"; text: string; href: string };

const SAFE_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/iu;
const OTHER_SCHEME_BEFORE = /[a-z][a-z0-9+.-]*:\/*$/iu;

/** The href when it is an http(s) or mailto URL, else null. */
export function safeHref(href: string): string | null {
  try {
    const url = new URL(href);
    return SAFE_PROTOCOLS.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

function linkTokens(text: string): CommentToken[] {
  const tokens: CommentToken[] = [];
  let at = 0;
  for (const match of find(text)) {
    if (match.type !== "url" && match.type !== "email") continue;
    const href = safeHref(match.href);
    // linkifyjs finds "example.org/…" inside "javascript://example.org/…": part of a URL with a
    // scheme we do not link, so the whole of it stays text.
    const partOfOtherUrl = !HAS_SCHEME.test(match.value) && OTHER_SCHEME_BEFORE.test(text.slice(0, match.start));
    if (!href || match.start < at || partOfOtherUrl) continue;
    if (match.start > at) tokens.push({ kind: "text", text: text.slice(at, match.start) });
    tokens.push({ kind: "link", text: match.value, href });
    at = match.end;
  }
  if (at < text.length) tokens.push({ kind: "text", text: text.slice(at) });
  return tokens;
}

/** Cuts a comment into text, mentions of the given people, and safe links. */
export function tokenizeComment(body: string, mentions: { id: string; name: string }[]): CommentToken[] {
  // Longest names first, so "@Ann Lee" wins over "@Ann".
  const people = [...mentions].sort((a, b) => b.name.length - a.name.length);
  const found: { start: number; end: number; userId: string }[] = [];
  for (const person of people) {
    const needle = `@${person.name}`;
    for (let at = body.indexOf(needle); at !== -1; at = body.indexOf(needle, at + needle.length)) {
      const end = at + needle.length;
      if (!found.some((other) => at < other.end && end > other.start))
        found.push({ start: at, end, userId: person.id });
    }
  }
  found.sort((a, b) => a.start - b.start);
  const tokens: CommentToken[] = [];
  let at = 0;
  for (const mention of found) {
    tokens.push(...linkTokens(body.slice(at, mention.start)));
    tokens.push({ kind: "mention", text: body.slice(mention.start, mention.end), userId: mention.userId });
    at = mention.end;
  }
  tokens.push(...linkTokens(body.slice(at)));
  return tokens;
}
