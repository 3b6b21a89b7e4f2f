// Words both the inbox page and the inbox email use, so the two say the same thing.

const ROLE_WORDS: Record<string, string> = {
  owner: "owner",
  editor: "an editor",
  commenter: "a commenter",
  viewer: "a viewer",
};

/** "an editor", for "shared … with you as an editor". */
export const roleWords = (role: string | null): string => ROLE_WORDS[role ?? ""] ?? "a member";

/** `text` cut to `chars` characters (whole code points) with an ellipsis when it was longer. */
export function shorten(text: string, chars: number): string {
  const all = Array.from(text);
  return all.length > chars ? `${all.slice(0, chars).join("").trimEnd()}…` : text;
}

/** What an inbox item tells, as the headline needs it. */
export type HeadlineItem = {
  kind: "mention" | "reply" | "shared" | "restored" | "suggestion";
  role: string | null;
  restoredFrom: number | null;
};

/**
 * The headline of an item with its two names left as slots ("{who} mentioned you in {memo}"):
 * the page sets the names in bold, the email as plain text. One sentence per kind, here only.
 */
export function headlineParts(item: HeadlineItem): Array<string | { slot: "who" | "memo" }> {
  const who = { slot: "who" } as const;
  const memo = { slot: "memo" } as const;
  switch (item.kind) {
    case "mention":
      return [who, " mentioned you in ", memo];
    case "reply":
      return [who, " replied in a thread on ", memo];
    case "shared":
      return [who, " shared ", memo, ` with you as ${roleWords(item.role)}`];
    case "restored":
      return [who, " restored ", memo, ` to version ${item.restoredFrom ?? "?"}`];
    case "suggestion":
      return [who, " suggested changes in ", memo];
  }
}
