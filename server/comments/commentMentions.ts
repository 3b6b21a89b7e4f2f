import type { Db } from "../db";

// Mentions are "@Name" in a comment's plain text, plus the ids the author picked from the memo's
// people. Only people who can open the memo count, only when their "@Name" is in the text, and
// never the author.

/** The user ids a comment really mentions. */
export async function mentionedUserIds(
  tx: Db,
  memo: { id: string; ownerId: string },
  authorId: string,
  body: string,
  requested: string[],
): Promise<string[]> {
  const candidates = requested.filter((id) => id !== authorId);
  if (candidates.length === 0) return [];
  const people = await tx.user.findMany({
    where: { id: { in: candidates }, OR: [{ id: memo.ownerId }, { memberships: { some: { memoId: memo.id } } }] },
    select: { id: true, name: true },
  });
  return people.filter((person) => body.includes(`@${person.name}`)).map((person) => person.id);
}

/** Makes a comment's mentions exactly `userIds`, keeping the date of those it already had. */
export async function setMentions(tx: Db, commentId: string, userIds: string[]): Promise<void> {
  await tx.commentMention.deleteMany({ where: { commentId, userId: { notIn: userIds } } });
  if (userIds.length > 0) {
    await tx.commentMention.createMany({
      data: userIds.map((userId) => ({ commentId, userId })),
      skipDuplicates: true,
    });
  }
}
