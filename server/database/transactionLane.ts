import { busy } from "../errors";
import { loadEnv } from "../env";
import { databaseBusy, isDatabaseBusy } from "./databaseBusy";
import { setTimeout as sleep } from "node:timers/promises";

// The lane version history's transactions take: automatic versions (after a burst, at unload, at
// shutdown), export records, named versions and restores. Each holds a pooled connection for a
// while (it decodes or writes a memo's state), so a burst of them (200 memos left at once, 20
// exports fired together) used to wait inside Prisma for a connection and fail after its 2 s
// maxWait with P2028, losing an automatic version or answering 500. Here at most `slots` run at
// once, leaving the rest of the pool to editing and reads; the others wait their turn in memory,
// in order: without a limit for work that must happen (a version), at most `waitMs` for a
// request, which then gets a 503 with Retry-After. A database-busy error inside the lane (the
// pool was still exhausted by other work) is retried with backoff for as long as the caller may
// wait.

/** How long one may wait for a slot, and for the database once in it; unbounded when absent. */
export type LaneWait = { waitMs?: number };

/** Transactions run a few at a time, in order. */
export type TransactionLane = {
  run<T>(work: () => Promise<T>, options?: LaneWait): Promise<T>;
  /** Transactions running and waiting for a slot. */
  stats(): { running: number; waiting: number };
};

type Waiter = { start: () => void; timer?: ReturnType<typeof setTimeout> };

const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 2_000;

/** A lane of `slots` transactions at once. */
export function createTransactionLane(slots: number): TransactionLane {
  let running = 0;
  const waiting: Waiter[] = [];

  const release = () => {
    running--;
    const next = waiting.shift();
    if (next) {
      clearTimeout(next.timer);
      running++;
      next.start();
    }
  };

  const slot = (deadline: number | undefined): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (running < slots) {
        running++;
        return resolve();
      }
      const waiter: Waiter = { start: resolve };
      if (deadline !== undefined) {
        waiter.timer = setTimeout(
          () => {
            const index = waiting.indexOf(waiter);
            if (index >= 0) waiting.splice(index, 1);
            reject(busy("The server is busy saving other memos' history. Try again in a few seconds.", 5, "database"));
          },
          Math.max(0, deadline - Date.now()),
        );
      }
      waiting.push(waiter);
    });

  return {
    async run<T>(work: () => Promise<T>, options: LaneWait = {}): Promise<T> {
      const deadline = options.waitMs === undefined ? undefined : Date.now() + options.waitMs;
      await slot(deadline);
      try {
        for (let delay = RETRY_FIRST_MS; ; delay = Math.min(RETRY_MAX_MS, delay * 2)) {
          try {
            return await work();
          } catch (error) {
            if (!isDatabaseBusy(error)) throw error;
            if (deadline !== undefined && Date.now() + delay > deadline) throw databaseBusy();
            await sleep(delay);
          }
        }
      } finally {
        release();
      }
    },
    stats: () => ({ running, waiting: waiting.length }),
  };
}

const holder = globalThis as typeof globalThis & { __demarcheTransactionLane?: TransactionLane };

/** The process-wide lane (HISTORY_TRANSACTIONS slots), shared by the route handlers and the collaboration server. */
export function transactionLane(): TransactionLane {
  holder.__demarcheTransactionLane ??= createTransactionLane(loadEnv().HISTORY_TRANSACTIONS);
  return holder.__demarcheTransactionLane;
}

/** How long a request waits for the lane before it is answered 503 with Retry-After. */
export const REQUEST_LANE_WAIT_MS = 15_000;
