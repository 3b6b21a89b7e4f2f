import type { Logger } from "pino";
import type { PrismaClient } from "../db";
import { MemoRoom, type RoomStorage, type RoomTiming } from "./memoRoom";
import { compactMemo, loadMemoDoc, storeMemoUpdates } from "./persistence";
import { CloseCode } from "./protocol";

/** Thrown when a memo to open does not exist (deleted between authorization and load). */
export class MemoMissingError extends Error {}

/**
 * The open memos of this process: the one place that owns them. A memo is loaded once however
 * many clients open it at the same moment, and unloaded only after a grace period with nobody
 * connected and every update stored, so a fast reconnect never loads stale state.
 */
export class RoomRegistry {
  private readonly rooms = new Map<string, Promise<MemoRoom>>();
  private readonly unloadTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly db: PrismaClient,
    private readonly log: Logger,
    private readonly timing: RoomTiming & { unloadGraceMs: number },
    /** Where rooms store updates: the memo log in PostgreSQL unless a caller (the benchmark) injects another. */
    private readonly storage: RoomStorage = {
      store: (id, batch) => storeMemoUpdates(db, id, batch),
      compact: (id) => compactMemo(db, id),
    },
  ) {}

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
    const loaded = await loadMemoDoc(this.db, memoId);
    if (!loaded) throw new MemoMissingError(memoId);
    this.log.debug({ memoId, logRows: loaded.logRows, ms: Math.round(performance.now() - started) }, "memo loaded");
    return new MemoRoom(
      memoId,
      loaded.doc,
      this.storage,
      this.timing,
      this.log,
      loaded.logRows,
      (room) => this.memoDeleted(room.memoId),
    );
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
    room.destroy();
    await room.compact();
    this.log.debug({ memoId: room.memoId }, "memo unloaded");
  }

  /** Closes a deleted memo's connections and forgets it. */
  async memoDeleted(memoId: string): Promise<void> {
    const pending = this.rooms.get(memoId);
    if (!pending) return;
    this.rooms.delete(memoId);
    this.cancelUnload(memoId);
    const room = await pending.catch(() => undefined);
    if (!room) return;
    room.closeAll(CloseCode.MemoDeleted, "This memo was deleted.");
    room.destroy();
  }

  /** Open memos and connections, for metrics and tests. */
  async stats(): Promise<{ memos: number; connections: number }> {
    const rooms = await Promise.all([...this.rooms.values()].map((room) => room.catch(() => undefined)));
    const open = rooms.filter((room): room is MemoRoom => room !== undefined);
    return { memos: open.length, connections: open.reduce((sum, room) => sum + room.size, 0) };
  }

  /** Stores everything, then closes every connection with `code` (1001: clients reconnect elsewhere). */
  async shutdown(code: number, reason: string): Promise<void> {
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
    this.rooms.clear();
  }
}
