import type { Logger } from "pino";
import * as Y from "yjs";
import type { AppendedBatch, PendingUpdate } from "../memos/memoStore";
import type { CollabConnection } from "./collabConnection";
import type { CollabMetrics } from "./collabMetrics";
import type { UpdateFacts } from "./memoUpdateRules";
import { writeSaved } from "../../common/protocol/protocol";
import { deletesOf, encodeSaveAck, type DeleteSet } from "../../common/protocol/saveAck";

// The updates of one memo on their way to storage. They are written in batches, at most batchMs
// after the first of a batch arrived, one batch at a time; each committed batch is acknowledged
// ("saved", saveAck.ts) to the connections that contributed to it. A failing write keeps its batch,
// in order, ahead of what arrived since, and is retried with exponential backoff; until the retry
// fires, new edits do not bring the write forward. The retry state lives here, beside the write
// (as Outline's PersistenceExtension keeps its failure counts), so whoever adds an update cannot
// bypass the backoff.

/** How long a store may take before clients are told storage is failing (a hung database never errs). */
const SLOW_STORE_MS = 3_000;
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5_000;

/**
 * An update on its way to storage, with when it arrived (for the persistence-lag metric) and, for
 * a client's update, its deletions as the update check decoded them (for the saved acknowledgement).
 */
type QueuedUpdate = PendingUpdate & { receivedAt: number; deletes?: DeleteSet };

/** Appends a batch; resolves false when the memo no longer exists (else what it learned, or true). */
export type StoreBatch = (memoId: string, batch: PendingUpdate[]) => Promise<boolean | AppendedBatch>;

export type StorageQueueOptions = {
  memoId: string;
  /** The room's document: an acknowledgement states what of it is stored. */
  doc: Y.Doc;
  store: StoreBatch;
  timing: {
    /** Longest time an update waits before its batch is written. */
    batchMs: number;
    /** A store still running after this long tells clients storage is failing (default 3 s). */
    slowStoreMs?: number;
  };
  log: Logger;
  metrics?: CollabMetrics;
  /** Whether a connection is still in the room: an acknowledgement goes only to those. */
  isConnected(connection: CollabConnection): boolean;
  /** Runs when a flush starts (the room applies the updates that wait for a broadcast). */
  beforeFlush(): void;
  /** Runs after a batch is stored and before it is acknowledged; a throw counts as a failed store. */
  beforeAcknowledging(stored: boolean | AppendedBatch, stateVector: Uint8Array): Promise<void>;
  /** Storage started (true) or stopped (false) failing. */
  onFailingChanged(failing: boolean): void;
  /** A batch was stored. */
  onBatchStored(): void;
  /** A store found the memo gone (deleted): the queue is dropped and takes nothing more. */
  onMemoGone(): void;
};

/** Batches, writes, retries and acknowledges one memo's updates. */
export class StorageQueue {
  private queue: QueuedUpdate[] = [];
  private contributors = new Set<CollabConnection>();
  /** Connections that replayed offline edits the server already had: they need a full snapshot. */
  private fullAckWanted = new Set<CollabConnection>();
  /** Yjs client ids whose user this queue has taken for storage already (MemoClientUser). */
  private readonly recordedAuthors = new Set<number>();
  private queuedBytes = 0;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** The next retry of a failed store: until it fires, new edits do not bring the write forward. */
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryMs = RETRY_MIN_MS;
  /** Stores failed in a row (logged when it becomes 1 and when it returns to 0). */
  private failuresInRow = 0;
  private flushing: Promise<void> | undefined;
  private failingNow = false;
  private memoGone = false;

  constructor(private readonly options: StorageQueueOptions) {}

  /** Bytes taken for storage and not yet stored (queued or being written). */
  get unstoredBytes(): number {
    return this.queuedBytes;
  }

  /** True while the last attempt to store failed (or one has hung for a while). */
  get failing(): boolean {
    return this.failingNow;
  }

  /** True when nothing is queued or being written. */
  get isEmpty(): boolean {
    return this.queue.length === 0 && this.flushing === undefined;
  }

  /**
   * Takes an applied update for the next batch: with its sender's user, the authors and deletions
   * the update check read (none for updates from elsewhere), and its sender as a contributor to
   * acknowledge once the batch is stored. Nothing is taken once the memo is gone.
   */
  add(
    data: Uint8Array,
    from: CollabConnection | undefined | null,
    facts: UpdateFacts | undefined,
    receivedAt: number,
  ): void {
    if (this.memoGone) return;
    const authors = facts ? this.newAuthors(facts.authors) : undefined;
    const suggests = from && facts ? facts.suggestionAuthors.has(from.user.id) : undefined;
    this.queue.push({ data, userId: from?.user.id ?? null, receivedAt, authors, deletes: facts?.deletes, suggests });
    if (from) this.contributors.add(from);
    this.queuedBytes += data.byteLength;
    this.scheduleFlush(this.options.timing.batchMs);
  }

  /** Has the next stored batch acknowledged to `connection` with a full snapshot, not a batch's. */
  acknowledgeFullyNext(connection: CollabConnection): void {
    this.fullAckWanted.add(connection);
  }

  /** Forgets a connection that left: it is acknowledged nothing more. */
  forget(connection: CollabConnection): void {
    this.contributors.delete(connection);
    this.fullAckWanted.delete(connection);
  }

  /** Writes everything queued now; resolves when the queue was empty at some point after the call. */
  async flush(): Promise<void> {
    this.options.beforeFlush();
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    }
    while (this.flushing) await this.flushing;
    if (this.queue.length === 0 || this.memoGone) return;
    this.flushing = this.writeBatch().finally(() => {
      this.flushing = undefined;
    });
    await this.flushing;
    if (this.queue.length > 0 && !this.failingNow) await this.flush();
  }

  /** Cancels scheduled writes and retries (the room flushes first). */
  stop(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }

  private scheduleFlush(delayMs: number): void {
    if (this.flushTimer || this.flushing || this.retryTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, delayMs);
  }

  /** The authors among `authors` whose user this queue has not taken for storage yet. */
  private newAuthors(authors: number[]): number[] {
    const fresh = authors.filter((client) => !this.recordedAuthors.has(client));
    for (const client of fresh) this.recordedAuthors.add(client);
    return fresh;
  }

  private setFailing(failing: boolean): void {
    if (this.failingNow === failing) return;
    this.failingNow = failing;
    this.options.onFailingChanged(failing);
  }

  private async writeBatch(): Promise<void> {
    const { memoId, doc, log, metrics } = this.options;
    const batch = this.queue;
    const contributors = this.contributors;
    const fullAckWanted = this.fullAckWanted;
    this.queue = [];
    this.contributors = new Set();
    this.fullAckWanted = new Set();
    // Everything applied to the doc so far is either stored already or in this batch.
    const stateVector = Y.encodeStateVector(doc);
    const fullSnapshot = fullAckWanted.size > 0 ? Y.encodeSnapshot(Y.snapshot(doc)) : null;
    // A database that hangs (paused, or a network that drops packets) never answers: after a few
    // seconds the clients are told storage is failing, as they are when it errs.
    const slowStoreMs = this.options.timing.slowStoreMs ?? SLOW_STORE_MS;
    const slow = setTimeout(() => {
      if (this.failingNow) return;
      log.warn(
        { memoId, updates: batch.length, waitedMs: slowStoreMs },
        "storing updates is taking long; clients told storage is failing",
      );
      this.setFailing(true);
    }, slowStoreMs);
    slow.unref();
    try {
      const stored = await this.options.store(memoId, batch);
      if (!stored) {
        this.dropForGoneMemo();
        return;
      }
      await this.options.beforeAcknowledging(stored, stateVector);
      const committedAt = performance.now();
      for (const update of batch) {
        this.queuedBytes -= update.data.byteLength;
        metrics?.persistenceLag.observe((committedAt - update.receivedAt) / 1000);
      }
      if (this.failuresInRow > 0 || this.failingNow)
        log.info({ memoId, failures: this.failuresInRow }, "storing updates works again");
      this.failuresInRow = 0;
      this.setFailing(false);
      this.retryMs = RETRY_MIN_MS;
      this.options.onBatchStored();
      this.acknowledge(batch, stateVector, contributors, fullAckWanted, fullSnapshot);
    } catch (error) {
      // Keep the batch, in order, ahead of anything that arrived meanwhile, and try again later.
      this.queue = [...batch, ...this.queue];
      for (const connection of contributors) this.contributors.add(connection);
      for (const connection of fullAckWanted) this.fullAckWanted.add(connection);
      this.setFailing(true);
      metrics?.storeFailures.inc();
      this.failuresInRow += 1;
      // Once per outage with the error, then one short line per retry at debug level.
      if (this.failuresInRow === 1) {
        log.error(
          { err: error, memoId, updates: batch.length, retryMs: this.retryMs },
          "storing updates failed; retrying with backoff, logged again once it works",
        );
      } else {
        log.debug(
          { memoId, failures: this.failuresInRow, retryMs: this.retryMs, error: String(error) },
          "storing updates failed again",
        );
      }
      this.scheduleRetry();
    } finally {
      clearTimeout(slow);
    }
  }

  /** Tells the batch's contributors still connected that it is stored. */
  private acknowledge(
    batch: QueuedUpdate[],
    stateVector: Uint8Array,
    contributors: Set<CollabConnection>,
    fullAckWanted: Set<CollabConnection>,
    fullSnapshot: Uint8Array | null,
  ): void {
    const deletes = batch.map((update) => update.deletes ?? deletesOf([update.data]));
    const ack = writeSaved(encodeSaveAck(stateVector, Y.mergeDeleteSets(deletes)));
    for (const connection of contributors) {
      if (this.options.isConnected(connection) && !fullAckWanted.has(connection)) connection.send(ack);
    }
    if (fullSnapshot) {
      const full = writeSaved(fullSnapshot);
      for (const connection of fullAckWanted) if (this.options.isConnected(connection)) connection.send(full);
    }
  }

  private scheduleRetry(): void {
    const retryIn = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.scheduleFlush(0);
    }, retryIn);
    this.retryTimer.unref();
  }

  private dropForGoneMemo(): void {
    this.memoGone = true;
    this.queue = [];
    this.queuedBytes = 0;
    this.options.onMemoGone();
  }
}
