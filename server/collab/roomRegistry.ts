import type { Logger } from "pino";
import type { PrismaClient } from "../db";
import type { CollabMetrics } from "./collabMetrics";
import { MemoRoom, type RoomStorage, type RoomTiming } from "./memoRoom";
import { PendingVersions, VersionScheduler, type VersionTiming } from "./versionScheduler";
import { transactionLane } from "../database/transactionLane";
import type { RedisBridge } from "./redisBridge";
import { recordVersion } from "../versions/recordVersion";
import { keepHiddenEdits, storedRestoresAfter } from "../versions/hiddenEdits";
import { compactMemoLog, loadMemoDocument, appendToMemoLog, type PendingUpdate } from "../memos/memoStore";
import { recordSuggestions } from "../inbox/inboxRecords";
import { loadMemoForEditing } from "./structureRepair";
import { MEMO_DELETED, MemoMissingError } from "./collabRefusals";
import * as Y from "yjs";
import type { MemoRole } from "../../common/sharing/memoPermissions";
import type { SqlQuery } from "../database/sqlQuery";

/** How long a stopping server keeps retrying the automatic versions it still has to store. */
const SHUTDOWN_VERSION_MS = 20_000;

/** What a registry works with, given when it is created. */
export type RoomRegistryOptions = {
  db: PrismaClient;
  /** The memo log's hot path (loads and batches) runs on its own connections, without Prisma. */
  sql: SqlQuery;
  log: Logger;
  timing: RoomTiming & VersionTiming & { unloadGraceMs: number };
  /** Where rooms store updates: the memo log in PostgreSQL unless a caller (the benchmark) injects another. */
  storage?: RoomStorage;
  metrics?: CollabMetrics;
  /** Other instances serving the same memos (when Redis is configured). */
  peers?: RedisBridge;
  /** Told after a memo's edits were stored (the search index follows them, see searchIndexer.ts). */
  onStored?: (memoId: string) => void;
};

/**
 * The open memos of this process: the one place that owns them. A memo is loaded once however
 * many clients open it at the same moment, and unloaded only after a grace period with nobody
 * connected and every update stored, so a fast reconnect never loads stale state.
 */
export class RoomRegistry {
  private readonly rooms = new Map<string, Promise<MemoRoom>>();
  /** The rooms of `rooms` that finished loading, for synchronous reads (metrics). */
  private readonly loaded = new Map<string, MemoRoom>();
  private readonly unloadTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly versionSchedulers = new Map<string, VersionScheduler>();
  /** Automatic versions decided and not yet stored, of loaded and unloaded memos. */
  private readonly pendingVersions = new PendingVersions();
  /** Schedulers of unloaded memos still storing their last version (retried until stored). */
  private readonly flushing = new Set<VersionScheduler>();
  private stopping = false;
  /** What unloaded memos still do in the background (their last version, compaction): shutdown waits. */
  private readonly finishing = new Set<Promise<void>>();
  private readonly db: PrismaClient;
  private readonly sql: SqlQuery;
  private readonly log: Logger;
  private readonly timing: RoomRegistryOptions["timing"];
  private readonly storage: RoomStorage;
  private readonly metrics: CollabMetrics | undefined;
  private readonly peers: RedisBridge | undefined;
  private readonly onStored: ((memoId: string) => void) | undefined;
  /** The inbox notices of suggestions being written, per memo (tellOfSuggestions). */
  private readonly suggestionNotices = new Map<string, Promise<void>>();

  constructor(options: RoomRegistryOptions) {
    const { db, sql } = options;
    this.db = db;
    this.sql = sql;
    this.log = options.log;
    this.timing = options.timing;
    this.storage = options.storage ?? {
      store: async (id, batch) => {
        const appended = (await appendToMemoLog(sql, id, batch)) ?? false;
        if (appended) this.tellOfSuggestions(id, batch);
        return appended;
      },
      compact: (id) => compactMemoLog(db, id),
    };
    this.metrics = options.metrics;
    this.peers = options.peers;
    this.onStored = options.onStored;
  }

  /**
   * The owner's inbox hears of suggestions once they are stored. After the batch, not in its
   * statement (one round trip per batch, for every memo): an item missing after a crash costs a
   * notice, never an edit.
   */
  private tellOfSuggestions(memoId: string, batch: PendingUpdate[]): void {
    const suggesters = [
      ...new Set(batch.flatMap((update) => (update.suggests && update.userId ? [update.userId] : []))),
    ];
    if (suggesters.length === 0) return;
    // One at a time per memo: two batches' checks for an unread item could both find none.
    const previous = this.suggestionNotices.get(memoId) ?? Promise.resolve();
    const next = previous
      .then(() => recordSuggestions(this.db, { memoId, actorIds: suggesters }))
      .catch((error: unknown) => this.log.warn({ err: error, memoId }, "recording suggestions in the inbox failed"));
    this.suggestionNotices.set(memoId, next);
    void next.then(() => {
      if (this.suggestionNotices.get(memoId) === next) this.suggestionNotices.delete(memoId);
    });
  }

  /** Returns the room of a memo, loading it on first use. A failed load leaves nothing behind. */
  open(memoId: string): Promise<MemoRoom> {
    this.cancelUnload(memoId);
    let room = this.rooms.get(memoId);
    if (!room) {
      room = this.load(memoId);
      this.rooms.set(memoId, room);
      room.catch(() => this.rooms.delete(memoId));
    }
    return room;
  }

  private async load(memoId: string): Promise<MemoRoom> {
    const started = performance.now();
    // A memo stored before updates were checked is repaired before anyone receives it.
    const loaded = await loadMemoForEditing(this.db, this.sql, memoId, this.log);
    if (!loaded) throw new MemoMissingError(memoId);
    this.log.debug({ memoId, logRows: loaded.logRows, ms: Math.round(performance.now() - started) }, "memo loaded");
    const versions = new VersionScheduler(
      this.timing,
      // In its turn with the process's other history writes (transactionLane.ts), however long that takes.
      async () => {
        await transactionLane().run(() =>
          this.db.$transaction((tx) => recordVersion(tx, memoId, { kind: "automatic", onlyIfChanged: true }), {
            timeout: 30_000,
          }),
        );
      },
      this.log.child({ memoId }),
      this.pendingVersions,
    );
    this.versionSchedulers.set(memoId, versions);
    const room = new MemoRoom({
      memoId,
      doc: loaded.doc,
      storage: {
        store: async (id, batch) => {
          const stored = await this.storage.store(id, batch);
          if (stored) {
            versions.noteStoredEdits();
            this.onStored?.(id);
          }
          return stored;
        },
        compact: (id) => this.storage.compact(id),
        restores: {
          restoresAfter: (id, after) => storedRestoresAfter(this.db, id, after),
          keepHiddenEdits: async (id, restore, hidden) => void (await keepHiddenEdits(this.db, id, restore, hidden)),
        },
      },
      timing: this.timing,
      log: this.log,
      loaded,
      onMemoDeleted: (deleted) => void this.memoDeleted(deleted.memoId),
      metrics: this.metrics,
      // Joined before the room is listed below: the bridge asks the room for its state only once
      // its subscription is active, which is after this turn.
      peers: this.peers?.join(memoId),
    });
    this.loaded.set(memoId, room);
    return room;
  }

  /**
   * Stops a memo's automatic versions, taking the pending one first if asked and waiting until it
   * is stored (retried until then; at shutdown, for at most SHUTDOWN_VERSION_MS).
   */
  private async stopVersions(memoId: string, takePending: boolean): Promise<void> {
    const scheduler = this.versionSchedulers.get(memoId);
    if (!scheduler) return;
    this.versionSchedulers.delete(memoId);
    scheduler.stop();
    if (!takePending) return;
    this.flushing.add(scheduler);
    try {
      await scheduler.flush(this.stopping ? SHUTDOWN_VERSION_MS : undefined);
    } finally {
      this.flushing.delete(scheduler);
    }
  }

  /** The room of a memo if it is loaded in this process (nothing is loaded by asking). */
  loadedRoom(memoId: string): MemoRoom | undefined {
    return this.loaded.get(memoId);
  }

  /** Every room loaded in this process. */
  loadedRooms(): MemoRoom[] {
    return [...this.loaded.values()];
  }

  /** Called after a connection left a room: unload it after the grace period if nobody is left. */
  release(room: MemoRoom): void {
    if (room.size > 0 || this.unloadTimers.has(room.memoId)) return;
    const timer = setTimeout(() => {
      this.unloadTimers.delete(room.memoId);
      void this.unload(room);
    }, this.timing.unloadGraceMs);
    timer.unref();
    this.unloadTimers.set(room.memoId, timer);
  }

  private cancelUnload(memoId: string): void {
    const timer = this.unloadTimers.get(memoId);
    if (timer) clearTimeout(timer);
    this.unloadTimers.delete(memoId);
  }

  private async unload(room: MemoRoom): Promise<void> {
    await room.flush();
    // Someone joined while we were writing, or storage is failing: keep the memo in memory.
    if (room.size > 0 || this.unloadTimers.has(room.memoId)) return;
    if (!room.isPersisted) return this.release(room);
    if ((await this.rooms.get(room.memoId)) !== room) return;
    this.rooms.delete(room.memoId);
    this.loaded.delete(room.memoId);
    this.peers?.leave(room.memoId);
    room.destroy();
    // The memo's last version and compaction, so that its next load reads one snapshot: tracked,
    // so a shutdown does not cut them off (a cut compaction loses nothing, but leaves the log long).
    const finishing = (async () => {
      await this.stopVersions(room.memoId, true);
      await room.compact();
    })().finally(() => this.finishing.delete(finishing));
    this.finishing.add(finishing);
    await finishing;
    this.log.debug({ memoId: room.memoId }, "memo unloaded");
  }

  /** Closes a deleted memo's connections and forgets it. */
  async memoDeleted(memoId: string): Promise<void> {
    const pending = this.rooms.get(memoId);
    if (!pending) return;
    this.rooms.delete(memoId);
    this.loaded.delete(memoId);
    this.peers?.leave(memoId);
    this.cancelUnload(memoId);
    await this.stopVersions(memoId, false);
    const room = await pending.catch(() => undefined);
    if (!room) return;
    room.closeAll(MEMO_DELETED.code, MEMO_DELETED.reason);
    room.destroy();
  }

  /** Re-reads who may open a loaded memo and applies it to its connections (after a memo event). */
  async refreshAccess(memoId: string): Promise<void> {
    const room = this.loaded.get(memoId);
    if (!room) return;
    const memo = await this.db.memo.findUnique({
      where: { id: memoId },
      select: { ownerId: true, members: { select: { userId: true, role: true } } },
    });
    if (!memo) return this.memoDeleted(memoId);
    const roles = new Map<string, MemoRole>(memo.members.map((member) => [member.userId, member.role]));
    roles.set(memo.ownerId, "owner");
    room.applyRoles(roles);
  }

  /**
   * Applies an update another process wrote straight to the memo's log (a restore) to the loaded
   * memo, which broadcasts it without storing it again. If compaction already folded the row in,
   * the whole stored state is merged instead (applying known updates is harmless). A restore's
   * update is applied as the restore's first, from its version, so that the room can tell which of
   * the edits it holds the restore hid (restoreWatch.ts); the row then changes nothing.
   */
  async applyStoredUpdate(memoId: string, seq: bigint): Promise<void> {
    const room = this.loaded.get(memoId);
    if (!room) return;
    // Not applied unwatched if this fails: the next batch stored tells the room of the restore again.
    await room.syncRestores();
    const row = await this.db.memoUpdate.findUnique({ where: { seq }, select: { data: true, memoId: true } });
    if (row && row.memoId === memoId) return room.applyExternalUpdate(row.data);
    const stored = await loadMemoDocument(this.sql, memoId);
    if (stored) room.applyExternalUpdate(Y.encodeStateAsUpdate(stored.doc));
  }

  /** Refreshes every loaded memo (after missing memo events while the listener was down). */
  async refreshAllAccess(): Promise<void> {
    for (const memoId of [...this.loaded.keys()]) await this.refreshAccess(memoId);
  }

  /** Open memos, connections and bytes not yet stored, for metrics, readiness and tests. */
  stats(): {
    memos: number;
    finishing: number;
    connections: number;
    unstoredBytes: number;
    storageFailing: boolean;
    versionsWaiting: number;
    versionsRetrying: number;
  } {
    let connections = 0;
    let unstoredBytes = 0;
    let storageFailing = false;
    for (const room of this.loaded.values()) {
      connections += room.size;
      unstoredBytes += room.unstoredBytes;
      storageFailing ||= room.storageFailing;
    }
    return {
      memos: this.loaded.size,
      finishing: this.finishing.size,
      connections,
      unstoredBytes,
      storageFailing,
      versionsWaiting: this.pendingVersions.waiting,
      versionsRetrying: this.pendingVersions.retrying,
    };
  }

  /** Stores everything, then closes every connection with `code` (1001: clients reconnect elsewhere). */
  async shutdown(code: number, reason: string): Promise<void> {
    this.stopping = true;
    for (const scheduler of this.flushing) scheduler.giveUpAfter(SHUTDOWN_VERSION_MS);
    for (const memoId of this.unloadTimers.keys()) this.cancelUnload(memoId);
    const rooms = await Promise.all([...this.rooms.values()].map((room) => room.catch(() => undefined)));
    await Promise.all(
      rooms.map(async (room) => {
        if (!room) return;
        await room.flush();
        room.closeAll(code, reason);
      }),
    );
    for (const room of rooms) room?.destroy();
    for (const memoId of [...this.versionSchedulers.keys()]) await this.stopVersions(memoId, true);
    await Promise.allSettled([...this.finishing]);
    this.rooms.clear();
    this.loaded.clear();
  }
}
