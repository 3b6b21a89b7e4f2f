// Copies of memos kept on this device for offline editing (IndexedDB, through y-indexeddb), and
// the list of edits the server has not confirmed yet (localStorage). Both are keyed by user, so
// two people sharing a browser profile never see each other's copies, and both are wiped when a
// user signs out.

const PREFIX = "demarche";

/** IndexedDB database holding one user's copy of one memo. */
export function localMemoCopyName(userId: string, memoId: string): string {
  return `${PREFIX}:memo:${userId}:${memoId}`;
}

/** localStorage key of the unconfirmed edits of one user in one memo. */
export function unsavedEditsKey(userId: string, memoId: string): string {
  return `${PREFIX}:unsaved:${userId}:${memoId}`;
}

/** Name of the service worker's page cache (see app/sw.js/route.ts). */
export const OFFLINE_PAGES_CACHE = `${PREFIX}-pages`;

/** Whether some memo on this device has edits the server has not confirmed. */
export function hasUnsavedLocalEdits(): boolean {
  return Object.keys(localStorage).some((key) => key.startsWith(`${PREFIX}:unsaved:`));
}

/** Deletes every memo copy, unconfirmed-edit list and cached page on this device. */
export async function clearLocalCopies(): Promise<void> {
  for (const key of Object.keys(localStorage)) if (key.startsWith(`${PREFIX}:`)) localStorage.removeItem(key);
  const databases = (await indexedDB.databases?.()) ?? [];
  await Promise.all(
    databases
      .map((database) => database.name)
      .filter((name): name is string => !!name?.startsWith(`${PREFIX}:`))
      .map(
        (name) =>
          new Promise<void>((resolve) => {
            const request = indexedDB.deleteDatabase(name);
            request.onsuccess = request.onerror = request.onblocked = () => resolve();
          }),
      ),
  );
  if ("caches" in window) await caches.delete(OFFLINE_PAGES_CACHE);
}
