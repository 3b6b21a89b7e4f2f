import * as Y from "yjs";

// Deleting a Yjs type deletes its content by recursion, one call per level, and every replica that
// applies the deletion recurses the same way (Yjs applies a delete set in clock order, and an outer
// element is usually older than what it holds). Seen: deleting a list nested 2,000 levels deep
// overflowed the stack here, and so did loading the memo afterwards, in the server and in any
// browser, because the stored deletion is replayed on every load. So a subtree taller than TALL is
// deleted from the bottom up, TALL levels at a time, and then garbage-collected: its content becomes
// Yjs's placeholder for deleted content, which replicas load without recursion. What such a subtree
// held is then gone from the memo's history too, so a memo that had one is stored as a new
// snapshot rather than by appending the deletion (see repairStoredMemo).

/** Deleted subtrees taller than this (in Yjs types) are deleted bottom-up and garbage-collected. */
export const TALL = 200;

/**
 * Prepares `type` for its deletion by its parent in `transaction`: when its subtree is taller than
 * TALL, deletes every TALL-th level from the bottom up, so that no deletion recurses deeper than
 * TALL, and adds the subtree's items to `garbage` (parents before children) for collectGarbage.
 */
export function prepareDeletion(type: Y.AbstractType<unknown>, transaction: Y.Transaction, garbage: Y.Item[]): void {
  const order: { item: Y.Item | null; depth: number }[] = [];
  const pending: { type: Y.AbstractType<unknown>; depth: number }[] = [{ type, depth: 0 }];
  let height = 0;
  for (let next = pending.pop(); next; next = pending.pop()) {
    order.push({ item: next.type._item, depth: next.depth });
    height = Math.max(height, next.depth);
    const holds = (item: Y.Item | null) => {
      if (item && !item.deleted && item.content instanceof Y.ContentType)
        pending.push({ type: item.content.type, depth: next.depth + 1 });
    };
    for (let item = next.type._start; item; item = item.right) holds(item);
    next.type._map.forEach(holds);
  }
  if (height <= TALL) return;
  // Reverse pre-order: every element comes after what it holds.
  for (let i = order.length - 1; i > 0; i--) if (order[i].depth % TALL === 0) order[i].item?.delete(transaction);
  for (const { item } of order) if (item) garbage.push(item);
}

/**
 * Garbage-collects deleted items (parents before children, as prepareDeletion lists them), from the
 * innermost out so that no call recurses. Runs after the transaction that deleted them, which has
 * already encoded its update: collection is local, as Yjs's own is.
 */
export function collectGarbage(doc: Y.Doc, garbage: Y.Item[]): void {
  for (let i = garbage.length - 1; i >= 0; i--) {
    const item = garbage[i];
    if (item.deleted && !(item.content instanceof Y.ContentDeleted)) item.gc(doc.store, false);
  }
}
