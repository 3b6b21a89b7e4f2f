import type { Logger } from "pino";
import * as Y from "yjs";
import {
  deleteSetOf,
  rangesHave,
  rangesOf,
  rangesSize,
  rangesWithin,
  subtractRanges,
  unionRanges,
  type ClockRanges,
} from "../versions/clockRanges";
import type { AppendedBatch } from "../memos/memoStore";
import type { StoredRestore } from "../versions/hiddenEdits";
import type { DeleteSet } from "../../common/protocol/saveAck";

// Acknowledged edits that a restore hid (issue 17). A restore replaces the memo with one update
// computed from what is stored, in a transaction that holds the memo's log alone. Two kinds of
// edit land inside what that update deletes, where Yjs keeps them as deleted content:
//   - edits this room applied but had not stored when the restore read the memo (their batch
//     waited for the restore's lock, and is stored and acknowledged right after it), and
//   - edits typed before their author's editor received the restore, which reach the room after it.
// Neither the restored memo nor the version saved before the restore shows them, yet their authors
// were told they were saved. This room is where both are known: it applies every update, knows what
// each one deletes on purpose, and decides when to acknowledge. So it watches its transactions for
// items deleted that nobody deleted (Yjs deletes what lands in a deleted paragraph), attributes
// them to the restore whose deletions contain them, and, before acknowledging a batch that stored
// some, has them recorded in a version (server/versions/hiddenEdits.ts).
//
// The room must know of a restore before it acknowledges the batch stored after it: the statement
// that stores a batch returns the memo's latest restore (Memo.lastRestoreNumber, written by the
// restore's own transaction), and a room that has not applied that restore yet reads its update
// (kept with its version) and applies it first. NOTIFY alone would arrive too late: the batch
// waiting for the restore's lock is stored, and would be acknowledged, as soon as the restore
// commits. Each instance (Redis) does this for the edits it holds and acknowledges, so the
// guarantee does not depend on where the restore ran or which instance a colleague is connected to.

/** How a room reads a memo's restores and records the edits one hid. */
export type RestoreStorage = {
  /** The restores after version `after` (all when null) that changed the memo, oldest first. */
  restoresAfter(memoId: string, after: number | null): Promise<StoredRestore[]>;
  /** Records a version showing `hidden` (stored items a restore hid), after the restore. */
  keepHiddenEdits(memoId: string, restore: number, hidden: DeleteSet): Promise<void>;
};

/** The deletions an update makes itself, decoded only if its transaction deleted anything. */
export type OwnDeletions = () => DeleteSet;

/** Items a restore hid: those no version shows yet, and all of them (what the next version shows). */
type Hidden = { unkept: ClockRanges; all: ClockRanges };

/** Finds the edits restores hid in one room's document and has them kept before they are acknowledged. */
export class RestoreWatch {
  /** The latest restore this room applied or loaded the memo after. */
  private known: number | null;
  private latest: { number: number; deletes: ClockRanges } | undefined;
  private readonly hidden = new Map<number, Hidden>();
  /** Items a client's update deleted without deleting them itself; whether a restore hid them is decided later. */
  private unattributed: ClockRanges = new Map();
  /** What the transaction being applied deletes on purpose, and the restore it applies (if one). */
  private applying: { own: OwnDeletions; restore?: number } | undefined;
  private syncing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly memoId: string,
    private readonly doc: Y.Doc,
    private readonly storage: RestoreStorage | undefined,
    lastRestore: number | null,
    /** Applies an update that is already stored (a restore's) to the room's document. */
    private readonly applyStored: (update: Uint8Array) => void,
    private readonly log: Logger,
  ) {
    this.known = lastRestore;
    if (storage) doc.on("afterTransaction", this.onTransaction);
  }

  /** Runs `apply` (which applies a client's update) telling the watch what the update deletes itself. */
  applyingClientUpdate<T>(own: OwnDeletions, apply: () => T): T {
    const outer = this.applying;
    this.applying = { own };
    try {
      return apply();
    } finally {
      this.applying = outer;
    }
  }

  private hasHidden(): boolean {
    return this.unattributed.size > 0 || [...this.hidden.values()].some((hidden) => hidden.all.size > 0);
  }

  private readonly onTransaction = (transaction: Y.Transaction) => {
    const applying = this.applying;
    // Updates from other instances are watched there, and nothing else changes the document.
    if (!applying) return;
    const deletedSome = transaction.deleteSet.clients.size > 0;
    const watching = this.hasHidden();
    if (!deletedSome && !watching) return;
    const own = rangesOf(applying.own());
    if (watching && own.size > 0) {
      // Its author deleting what a restore hid (typed, then erased before the restore reached them):
      // the version shows it erased too.
      this.unattributed = subtractRanges(this.unattributed, own);
      for (const hidden of this.hidden.values()) {
        hidden.unkept = subtractRanges(hidden.unkept, own);
        hidden.all = subtractRanges(hidden.all, own);
      }
    }
    if (!deletedSome) return;
    const implicit = subtractRanges(rangesOf(transaction.deleteSet), own);
    if (implicit.size === 0) return;
    if (applying.restore === undefined) this.unattributed = unionRanges(this.unattributed, implicit);
    else this.hide(applying.restore, implicit);
  };

  private hide(restore: number, items: ClockRanges): void {
    const hidden = this.hidden.get(restore) ?? { unkept: new Map(), all: new Map() };
    hidden.unkept = unionRanges(hidden.unkept, items);
    hidden.all = unionRanges(hidden.all, items);
    this.hidden.set(restore, hidden);
  }

  /**
   * Applies the memo's restores this room has not applied yet (after a NOTIFY, or when a batch
   * tells of one), oldest first: what each deletes beyond its own deletions was hidden by it.
   */
  sync(): Promise<void> {
    const storage = this.storage;
    if (!storage) return Promise.resolve();
    const run = this.syncing.then(async () => {
      for (const restore of await storage.restoresAfter(this.memoId, this.known)) {
        if (this.stopped) return;
        const deletes = Y.decodeUpdate(restore.update).ds;
        const outer = this.applying;
        this.applying = { own: () => deletes, restore: restore.number };
        try {
          this.applyStored(restore.update);
        } finally {
          this.applying = outer;
        }
        this.known = restore.number;
        this.latest = { number: restore.number, deletes: rangesOf(deletes) };
      }
    });
    this.syncing = run.catch(() => undefined);
    return run;
  }

  /**
   * Called once a batch is stored, before it is acknowledged: applies a restore the batch was
   * stored after, then records in a version the hidden items the batch (or an earlier one)
   * stored. Throws if that fails; the batch is then not acknowledged, and is stored again later.
   */
  async beforeAcknowledging(stored: boolean | AppendedBatch, storedState: Uint8Array): Promise<void> {
    if (!this.storage) return;
    if (typeof stored === "object" && stored.lastRestore !== null && stored.lastRestore > (this.known ?? 0))
      await this.sync();
    await this.attribute();
    const unkept = [...this.hidden].filter(([, hidden]) => hidden.unkept.size > 0);
    if (unkept.length === 0) return;
    const stateVector = Y.decodeStateVector(storedState);
    for (const [restore, hidden] of unkept) {
      const nowStored = rangesWithin(hidden.unkept, stateVector);
      if (nowStored.size === 0) continue;
      await this.storage.keepHiddenEdits(this.memoId, restore, deleteSetOf(rangesWithin(hidden.all, stateVector)));
      hidden.unkept = subtractRanges(hidden.unkept, nowStored);
      this.log.info(
        { memoId: this.memoId, restore, items: rangesSize(nowStored) },
        "kept edits a restore hid in a version",
      );
    }
  }

  /**
   * Decides which items clients' updates deleted without meaning to were hidden by the latest
   * restore: those inside something it deleted (directly, or through new items also deleted so).
   * The rest were deleted by a colleague's concurrent deletion, as any editor would have it.
   */
  private async attribute(): Promise<void> {
    if (this.unattributed.size === 0) return;
    const latest = await this.latestRestore();
    const candidates = this.unattributed;
    this.unattributed = new Map();
    if (!latest) return;
    const hidden: ClockRanges = new Map();
    for (const [client, list] of candidates) {
      const structs = this.doc.store.clients.get(client) ?? [];
      for (const [start, end] of list) {
        for (let i = Y.findIndexSS(structs, start); i < structs.length && structs[i].id.clock < end; i++) {
          const item = structs[i];
          if (!(item instanceof Y.Item) || !this.insideRestoreDeletion(item, candidates, latest.deletes)) continue;
          const from = Math.max(start, item.id.clock);
          const to = Math.min(end, item.id.clock + item.length);
          hidden.set(client, [...(hidden.get(client) ?? []), [from, to]]);
        }
      }
    }
    if (hidden.size > 0) this.hide(latest.number, hidden);
  }

  private insideRestoreDeletion(item: Y.Item, candidates: ClockRanges, restoreDeletes: ClockRanges): boolean {
    let parent = (item.parent as Y.AbstractType<unknown> | null)?._item ?? null;
    while (parent && rangesHave(candidates, parent.id))
      parent = (parent.parent as Y.AbstractType<unknown> | null)?._item ?? null;
    return parent !== null && rangesHave(restoreDeletes, parent.id);
  }

  /** The latest restore's deletions, read once if the room was loaded after it. */
  private async latestRestore(): Promise<{ number: number; deletes: ClockRanges } | undefined> {
    if (this.latest || this.known === null || !this.storage) return this.latest;
    const known = this.known;
    const restore = (await this.storage.restoresAfter(this.memoId, known - 1)).find(
      (candidate) => candidate.number === known,
    );
    if (restore && !this.latest) this.latest = { number: known, deletes: rangesOf(Y.decodeUpdate(restore.update).ds) };
    return this.latest;
  }

  /** Stops watching the document. */
  destroy(): void {
    this.stopped = true;
    this.doc.off("afterTransaction", this.onTransaction);
  }
}
