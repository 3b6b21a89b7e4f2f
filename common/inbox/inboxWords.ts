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
