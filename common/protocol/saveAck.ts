import * as Y from "yjs";

// The "saved" signal. After each batch of updates is committed to PostgreSQL, the server sends the
// clients that contributed to it a Yjs snapshot made of
//   - the state vector of everything durably stored, and
//   - the delete set of the batch just committed (deletions never advance a state vector).
// A client is "saved" when every struct and every deletion it produced locally is covered.
// The server encodes it, the editor decodes it.

/** The deletions of a Yjs update, or of several. */
export type DeleteSet = ReturnType<typeof Y.createDeleteSet>;

/** Encodes a saved acknowledgement: the stored state vector and the committed batch's deletions. */
export function encodeSaveAck(persistedStateVector: Uint8Array, batchDeletes: DeleteSet | null): Uint8Array {
  return Y.encodeSnapshot(
    Y.createSnapshot(batchDeletes ?? Y.createDeleteSet(), Y.decodeStateVector(persistedStateVector)),
  );
}

/** The deletions of some updates as one delete set (decoding each update). */
export function deletesOf(updates: Uint8Array[]): DeleteSet {
  return Y.mergeDeleteSets(updates.map((update) => Y.decodeUpdate(update).ds));
}

type DeleteRange = { client: number; clock: number; len: number };

function deleteRanges(ds: ReturnType<typeof Y.createDeleteSet>): DeleteRange[] {
  const ranges: DeleteRange[] = [];
  for (const [client, items] of (ds as unknown as { clients: Map<number, { clock: number; len: number }[]> }).clients) {
    for (const item of items) ranges.push({ client, clock: item.clock, len: item.len });
  }
  return ranges;
}

function covers(ranges: DeleteRange[], wanted: DeleteRange): boolean {
  // A deletion travels in one update and so lands in one batch; merged neighbours only widen ranges.
  return ranges.some(
    (range) =>
      range.client === wanted.client &&
      range.clock <= wanted.clock &&
      range.clock + range.len >= wanted.clock + wanted.len,
  );
}

/** Tracks this client's own unsaved edits against the server's saved acknowledgements. */
export class SaveTracker {
  private readonly structClocks = new Map<number, number>();
  private deletions: DeleteRange[] = [];

  /** Records an update this client produced (local typing, or offline edits replayed on reconnect). */
  recordLocalUpdate(update: Uint8Array): void {
    const { structs, ds } = Y.decodeUpdate(update);
    for (const struct of structs) {
      const end = struct.id.clock + struct.length;
      if ((this.structClocks.get(struct.id.client) ?? 0) < end) this.structClocks.set(struct.id.client, end);
    }
    this.deletions.push(...deleteRanges(ds));
  }

  /** Applies an acknowledgement; returns whether everything recorded is now durably stored. */
  acknowledge(ack: Uint8Array): boolean {
    const snapshot = Y.decodeSnapshot(ack);
    for (const [client, clock] of this.structClocks) {
      if ((snapshot.sv.get(client) ?? 0) >= clock) this.structClocks.delete(client);
    }
    if (this.deletions.length > 0) {
      const acknowledged = deleteRanges(snapshot.ds);
      this.deletions = this.deletions.filter((wanted) => !covers(acknowledged, wanted));
    }
    return this.isSaved();
  }

  /** True when no recorded edit is waiting for an acknowledgement. */
  isSaved(): boolean {
    return this.structClocks.size === 0 && this.deletions.length === 0;
  }

  /** The unacknowledged edits, to survive a page reload (kept beside the offline copy). */
  toJSON(): SavedTrackerState {
    return { structClocks: [...this.structClocks], deletions: this.deletions };
  }

  /** Restores what toJSON produced; anything malformed is ignored. */
  static fromJSON(state: unknown): SaveTracker {
    const tracker = new SaveTracker();
    const parsed = state as Partial<SavedTrackerState> | null;
    if (!parsed || !Array.isArray(parsed.structClocks) || !Array.isArray(parsed.deletions)) return tracker;
    for (const entry of parsed.structClocks) {
      if (Array.isArray(entry) && Number.isInteger(entry[0]) && Number.isInteger(entry[1]))
        tracker.structClocks.set(entry[0], entry[1]);
    }
    tracker.deletions = parsed.deletions.filter(
      (range) => Number.isInteger(range?.client) && Number.isInteger(range?.clock) && Number.isInteger(range?.len),
    );
    return tracker;
  }
}

/** The serialisable form of a SaveTracker. */
export type SavedTrackerState = { structClocks: [number, number][]; deletions: DeleteRange[] };
