import pg from "pg";
import type { Logger } from "pino";
import { MEMO_EVENTS_CHANNEL, memoEvent, type MemoEvent } from "../memos/memoEvents";

/** A LISTEN connection for memo events; reconnects by itself until closed. */
export type MemoEventListener = { close(): Promise<void> };

/**
 * Listens for memo events (NOTIFY from any process). After a reconnect, `onResync` runs,
 * because notifications sent while the connection was down are lost.
 */
export function listenForMemoEvents(
  connectionString: string,
  log: Logger,
  onEvent: (event: MemoEvent) => void,
  onResync: () => void,
): MemoEventListener {
  let client: pg.Client | undefined;
  let closed = false;
  let retryMs = 250;
  // Every connection after the first is a reconnect, however soon it succeeded: a backend ended
  // by PostgreSQL reconnects at once, and the notifications sent in between are as lost.
  let listenedBefore = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const connect = async () => {
    if (closed) return;
    const next = new pg.Client({ connectionString });
    next.on("error", (error) => log.warn({ err: error }, "memo event listener connection failed"));
    next.on("end", () => {
      if (closed || client !== next) return;
      client = undefined;
      timer = setTimeout(() => void connect(), retryMs);
    });
    next.on("notification", (message) => {
      const parsed = memoEvent.safeParse(JSON.parse(message.payload ?? "null"));
      if (parsed.success) onEvent(parsed.data);
      else log.warn({ payload: message.payload }, "malformed memo event ignored");
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${MEMO_EVENTS_CHANNEL}`);
      if (closed) return void (await next.end());
      const reconnected = listenedBefore;
      listenedBefore = true;
      client = next;
      retryMs = 250;
      if (reconnected) onResync();
    } catch (error) {
      await next.end().catch(() => undefined);
      if (closed) return;
      log.warn({ err: error, retryMs }, "memo event listener could not connect; retrying");
      timer = setTimeout(() => void connect(), retryMs);
      retryMs = Math.min(retryMs * 2, 5_000);
    }
  };
  void connect();

  let closing: Promise<void> | undefined;
  return {
    // Idempotent: pg's Client.end() never settles when called on a client that already ended.
    close() {
      closing ??= (async () => {
        closed = true;
        if (timer) clearTimeout(timer);
        const current = client;
        client = undefined;
        // end() can stay pending on a connection that died under it: do not let that hold up
        // a shutdown.
        if (current)
          await Promise.race([
            current.end().catch(() => undefined),
            new Promise((resolve) => setTimeout(resolve, 1_000).unref()),
          ]);
      })();
      return closing;
    },
  };
}
