import type { Db } from "../db";

// Who can be named as the author of a suggestion in a review copy: the memo's owner and members,
// and anyone who ever wrote in it (a reviewer who left keeps their name on what they suggested).

/** Names by user id. */
export async function memoPeopleNames(db: Db, memoId: string): Promise<Record<string, string>> {
  const memo = await db.memo.findUnique({
    where: { id: memoId },
    select: {
      owner: { select: { id: true, name: true } },
      members: { select: { user: { select: { id: true, name: true } } } },
      clients: { select: { user: { select: { id: true, name: true } } }, distinct: ["userId"] },
    },
  });
  if (!memo) return {};
  const people = [
    memo.owner,
    ...memo.members.map((member) => member.user),
    ...memo.clients.map((client) => client.user),
  ];
  return Object.fromEntries(people.map((person) => [person.id, person.name]));
}
