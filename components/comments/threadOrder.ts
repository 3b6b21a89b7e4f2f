import type { AnchorState } from "@/common/comments/passageAnchor";
import type { Thread } from "./commentsApi";

// Which threads the sidebar lists, and in what order: beside their passages means in document
// order; threads whose passage is gone (or not received yet) come last, oldest first.

/** The sidebar's filters. */
export type ThreadFilter = "open" | "resolved" | "mine";

/** Whether the user started the thread, wrote in it, or is mentioned in it. */
export function isMine(thread: Thread, userId: string): boolean {
  return (
    thread.createdBy?.id === userId ||
    thread.comments.some(
      (comment) => comment.author?.id === userId || comment.mentions.some((person) => person.id === userId),
    )
  );
}

/** Whether a thread passes a filter. */
export function matchesFilter(thread: Thread, filter: ThreadFilter, userId: string): boolean {
  if (filter === "mine") return isMine(thread, userId);
  return (thread.resolvedAt !== null) === (filter === "resolved");
}

/** The threads that pass the filter, in document order. */
export function orderThreads(
  threads: Thread[],
  states: ReadonlyMap<string, AnchorState>,
  filter: ThreadFilter,
  userId: string,
): Thread[] {
  const position = (thread: Thread) => {
    const state = states.get(thread.id);
    return state?.status === "anchored" ? state.from : Number.POSITIVE_INFINITY;
  };
  return threads
    .filter((thread) => matchesFilter(thread, filter, userId))
    .sort((a, b) => position(a) - position(b) || a.createdAt.localeCompare(b.createdAt) || 0);
}
