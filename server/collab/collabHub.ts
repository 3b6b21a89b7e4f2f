import type { CollabServer } from "./collabServer";

// Route handlers run in the Next.js bundle, which has its own copy of our modules, so the running
// collaboration server is reached through globalThis. Only memo-level events cross this bridge.
const holder = globalThis as typeof globalThis & { __demarcheCollab?: CollabServer };

/** Makes the running collaboration server reachable from route handlers. */
export function registerCollabServer(server: CollabServer | undefined): void {
  holder.__demarcheCollab = server;
}

/** Tells open editors that a memo was deleted (no-op when no collaboration server runs here). */
export async function notifyMemoDeleted(memoId: string): Promise<void> {
  await holder.__demarcheCollab?.memoDeleted(memoId);
}
