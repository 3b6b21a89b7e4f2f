import { useCallback, useSyncExternalStore } from "react";

// Editing or Suggesting, as this browser last chose it for a memo (an editor's choice; commenters
// always suggest). Kept in localStorage, so another tab of the memo follows the choice too.

const keyOf = (memoId: string) => `demarche:suggesting:${memoId}`;
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

function read(memoId: string): boolean {
  try {
    return localStorage.getItem(keyOf(memoId)) === "1";
  } catch {
    return false; // storage refused (private mode): Editing, as on a first visit
  }
}

/** Whether the user chose Suggesting for the memo, and how to choose. */
export function useRememberedMode(memoId: string): [boolean, (suggesting: boolean) => void] {
  const suggesting = useSyncExternalStore(
    subscribe,
    () => read(memoId),
    () => false,
  );
  const choose = useCallback(
    (next: boolean) => {
      try {
        localStorage.setItem(keyOf(memoId), next ? "1" : "0");
      } catch {
        // not remembered; the page still follows below
      }
      for (const listener of listeners) listener();
    },
    [memoId],
  );
  return [suggesting, choose];
}
