"use client";

import { useEffect, useMemo, useSyncExternalStore } from "react";
import type { MemoRole } from "@/common/sharing/memoPermissions";
import { MemoConnection, type MemoPageState } from "./memoConnection";

/**
 * Connects to a memo while the component is mounted and re-renders when the page's state changes
 * (not for the save indicator's, which StatusPills follows by itself).
 */
export function useMemoConnection(
  memoId: string,
  userId: string,
  initialRole: MemoRole,
): { connection: MemoConnection; state: MemoPageState } {
  // The initial role only seeds the first render; the server's announcements take over.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const connection = useMemo(() => new MemoConnection(memoId, userId, initialRole), [memoId, userId]);
  useEffect(() => {
    connection.start();
    return () => connection.stop();
  }, [connection]);
  const state = useSyncExternalStore(connection.subscribe, connection.getSnapshot, connection.getServerSnapshot);
  return { connection, state };
}
