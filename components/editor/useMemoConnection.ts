"use client";

import { useEffect, useMemo, useSyncExternalStore } from "react";
import { MemoConnection, type MemoConnectionState } from "./memoConnection";

/** Connects to a memo while the component is mounted and re-renders on connection changes. */
export function useMemoConnection(memoId: string, userId: string): { connection: MemoConnection; state: MemoConnectionState } {
  const connection = useMemo(() => new MemoConnection(memoId, userId), [memoId, userId]);
  useEffect(() => {
    connection.start();
    return () => connection.stop();
  }, [connection]);
  const state = useSyncExternalStore(connection.subscribe, connection.getSnapshot, connection.getServerSnapshot);
  return { connection, state };
}
