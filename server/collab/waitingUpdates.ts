import type * as Y from "yjs";
import type { CollabConnection } from "./collabConnection";
import type { PlacedItem } from "./memoStructure";
import type { UpdateFacts } from "./memoUpdateRules";

// Client updates accepted while a memo's broadcast waits for its write budget (outgoingTurn.ts):
// they are applied together, as one transaction, when the broadcast goes out. Until then the
// update check must see them (an update checked now may build on one), so they are kept with the
// clock each client reaches with them and with their items and where those land.

/** A client update accepted and not yet applied. */
export type WaitingUpdate = {
  update: Uint8Array;
  connection: CollabConnection;
  facts: UpdateFacts;
  receivedAt: number;
};

/** The client updates waiting for a memo's next broadcast, in the order they were accepted. */
export class WaitingUpdates {
  private entries: WaitingUpdate[] = [];
  /** The clock each client reaches with the waiting updates. */
  private readonly clocks = new Map<number, number>();
  private waitingBytes = 0;

  get isEmpty(): boolean {
    return this.entries.length === 0;
  }

  /** Bytes waiting (received, so not yet stored). */
  get bytes(): number {
    return this.waitingBytes;
  }

  add(entry: WaitingUpdate): void {
    this.entries.push(entry);
    for (const [client, clock] of entry.facts.clocks) {
      if (clock > (this.clocks.get(client) ?? 0)) this.clocks.set(client, clock);
    }
    this.waitingBytes += entry.update.byteLength;
  }

  /** The clock a client reaches with the waiting updates, if any of them creates content for it. */
  clockOf(client: number): number | undefined {
    return this.clocks.get(client);
  }

  /** An item of a waiting update, with where it lands. */
  item(id: Y.ID): PlacedItem | undefined {
    for (const entry of this.entries) {
      const found = entry.facts.placed.find(id);
      if (found) return found;
    }
    return undefined;
  }

  /** Removes and returns every waiting update, oldest first. */
  takeAll(): WaitingUpdate[] {
    const entries = this.entries;
    this.entries = [];
    this.clocks.clear();
    this.waitingBytes = 0;
    return entries;
  }
}
