import { fromBase64, toBase64 } from "lib0/buffer";
import * as Y from "yjs";
import { z } from "zod";
import { MAX_QUOTE_CHARS } from "../../common/comments/passageText";
import { storableText } from "../../common/validation/storableText";

// What comment requests may carry, checked with zod (parseInput) before anything reaches the database.

/** Longest comment, in characters. */
export const MAX_COMMENT_CHARS = 5_000;
/** Most people one comment may mention. */
export const MAX_MENTIONS = 20;

// Other C0 controls have no business in a comment and are dropped; NUL, which PostgreSQL cannot
// store, is refused first (storableText), as in every other field.
const CONTROL_CHARACTERS = /[\u0001-\u0008\u000b-\u001f\u007f]/gu;

const plainText = (what: string, max: number, empty: string, tooLong: string) =>
  storableText(what, { message: empty })
    .transform((text) => text.replace(/\r\n?/gu, "\n").replace(CONTROL_CHARACTERS, "").trim())
    .pipe(z.string().min(1, empty).max(max, tooLong));

const commentBody = plainText(
  "the comment",
  MAX_COMMENT_CHARS,
  "Write a comment first.",
  `A comment can hold at most ${MAX_COMMENT_CHARS} characters.`,
);

const mentionIds = z
  .array(z.string().uuid(), { message: "Mentions must be a list of people." })
  .max(MAX_MENTIONS, `A comment can mention at most ${MAX_MENTIONS} people.`)
  .optional()
  .transform((ids) => [...new Set(ids ?? [])]);

/** An encoded relative position, sent as base64: decoded strictly (re-encoding gives the same bytes). */
const relativePosition = z
  .string()
  .max(512)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/u)
  .transform((text, context) => {
    try {
      const bytes = fromBase64(text);
      if (toBase64(Y.encodeRelativePosition(Y.decodeRelativePosition(bytes))) === text) return bytes;
    } catch {
      // Reported below.
    }
    context.addIssue({ code: "custom", message: "The passage's anchor is not valid." });
    return z.NEVER;
  });

const anchor = z.object(
  { start: relativePosition, end: relativePosition },
  { message: "The passage's anchor is missing." },
);
const quote = plainText(
  "the quoted passage",
  MAX_QUOTE_CHARS,
  "Select a passage to comment on.",
  `Select a passage of at most ${MAX_QUOTE_CHARS} characters.`,
);

export const newThreadInput = z.object({ anchor, quote, body: commentBody, mentions: mentionIds });
export const commentInput = z.object({ body: commentBody, mentions: mentionIds });
export const threadChangeInput = z.union([
  z.object({ resolved: z.boolean() }).strict(),
  z.object({ anchor, quote }).strict(),
]);

export type NewThreadInput = z.infer<typeof newThreadInput>;
export type CommentInput = z.infer<typeof commentInput>;
export type ThreadChange = z.infer<typeof threadChangeInput>;
