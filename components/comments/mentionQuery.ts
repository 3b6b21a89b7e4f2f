// The "@…" being typed before the caret, and who it could mean. Browser-safe and pure, so the
// mention box's behaviour is tested without a browser.

/** Someone who can be mentioned: a person with access to the memo. */
export type Mentionable = { id: string; name: string };

/** The mention being typed: where its "@" is and what follows it. */
export type MentionQuery = { start: number; query: string };

// "@" at the start or after white space, then at most two words (first and last name).
const TYPED_MENTION = /(?:^|\s)@([\p{L}\p{N}'’.-]*(?: [\p{L}\p{N}'’.-]*)?)$/u;

/** The mention typed just before `caret`, if any. */
export function mentionQueryAt(text: string, caret: number): MentionQuery | null {
  const match = TYPED_MENTION.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - match[1].length - 1, query: match[1] };
}

/**
 * People whose name (or one of its words) starts with the query, at most `limit`. A name typed out
 * in full is a finished mention, not a question: nobody is offered for it.
 */
export function mentionCandidates(people: Mentionable[], query: string, limit = 6): Mentionable[] {
  const wanted = query.toLocaleLowerCase();
  if (people.some((person) => person.name.toLocaleLowerCase() === wanted)) return [];
  return people
    .filter((person) => {
      const name = person.name.toLocaleLowerCase();
      return name.startsWith(wanted) || name.split(/\s+/u).some((word) => word.startsWith(wanted));
    })
    .slice(0, limit);
}

/** The text with the typed mention replaced by "@Full Name ", and where the caret goes. */
export function insertMention(
  text: string,
  mention: MentionQuery,
  caret: number,
  person: Mentionable,
): { text: string; caret: number } {
  const inserted = `@${person.name} `;
  const after = text.slice(caret).replace(/^ /u, "");
  return { text: text.slice(0, mention.start) + inserted + after, caret: mention.start + inserted.length };
}

/** The people a comment mentions: those whose "@Full Name" is in it. */
export function mentionedIn(text: string, people: Mentionable[]): string[] {
  return people.filter((person) => text.includes(`@${person.name}`)).map((person) => person.id);
}
