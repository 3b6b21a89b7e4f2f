import type { Prisma } from "../db";
import { encodeAnchor, type EncodedAnchor } from "../../common/comments/passageAnchor";

// The shape of threads and comments as clients receive them, and the one Prisma selection that
// reads them, so every route answers with the same fields.

/** Someone named in a thread. */
export type PersonRef = { id: string; name: string };

/** One comment. A deleted first comment that still has replies stays as a tombstone (deleted, empty body). */
export type CommentView = {
  id: string;
  author: PersonRef | null;
  body: string;
  createdAt: Date;
  editedAt: Date | null;
  deleted: boolean;
  mentions: PersonRef[];
};

/** A thread with its anchor, quote, state and comments (oldest first). */
export type ThreadView = {
  id: string;
  anchor: EncodedAnchor;
  quote: string;
  createdBy: PersonRef | null;
  createdAt: Date;
  resolvedAt: Date | null;
  resolvedBy: PersonRef | null;
  comments: CommentView[];
};

const person = { select: { id: true, name: true } } as const;

/** What a ThreadView is read from. */
export const threadSelect = {
  id: true,
  anchorStart: true,
  anchorEnd: true,
  quote: true,
  createdAt: true,
  resolvedAt: true,
  createdBy: person,
  resolvedBy: person,
  comments: {
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      body: true,
      createdAt: true,
      editedAt: true,
      deletedAt: true,
      author: person,
      mentions: { select: { user: person } },
    },
  },
} satisfies Prisma.CommentThreadSelect;

type ThreadRow = Prisma.CommentThreadGetPayload<{ select: typeof threadSelect }>;

/** Turns a selected thread row into its view. */
export function threadView(row: ThreadRow): ThreadView {
  return {
    id: row.id,
    anchor: encodeAnchor({ start: row.anchorStart, end: row.anchorEnd }),
    quote: row.quote,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    resolvedAt: row.resolvedAt,
    resolvedBy: row.resolvedBy,
    comments: row.comments.map((comment) => ({
      id: comment.id,
      author: comment.author,
      body: comment.body,
      createdAt: comment.createdAt,
      editedAt: comment.editedAt,
      deleted: comment.deletedAt !== null,
      mentions: comment.mentions.map((mention) => mention.user),
    })),
  };
}
