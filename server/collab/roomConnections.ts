import * as awarenessProtocol from "y-protocols/awareness";
import type { CollabConnection } from "./collabConnection";
import { MAX_CLIENT_IDS_PER_CONNECTION, type PresenceClaims } from "./presenceBinding";

// The connections of one open memo, and the presence (awareness) client ids each has claimed
// (presenceBinding.ts decides what a connection may claim). A connection that leaves takes its
// clients' presence with it: the others would otherwise show its caret until y-protocols' 30 s
// timeout.

/** Who is connected to a memo, and which presence client ids each speaks for. */
export class RoomConnections implements PresenceClaims {
  private readonly claims = new Map<CollabConnection, Set<number>>();

  constructor(private readonly awareness: awarenessProtocol.Awareness) {}

  /** Number of open connections. */
  get size(): number {
    return this.claims.size;
  }

  has(connection: CollabConnection): boolean {
    return this.claims.has(connection);
  }

  /** Adds a connection, claiming nothing yet. */
  add(connection: CollabConnection): void {
    this.claims.set(connection, new Set());
  }

  /** Removes a connection and the presence of the clients it claimed; false if it was not here. */
  remove(connection: CollabConnection): boolean {
    const clients = this.claims.get(connection);
    if (!clients) return false;
    this.claims.delete(connection);
    awarenessProtocol.removeAwarenessStates(this.awareness, [...clients], null);
    return true;
  }

  /** The connections, as a list that stays whole while connections close. */
  list(): CollabConnection[] {
    return [...this.claims.keys()];
  }

  /** The user ids connected. */
  userIds(): Set<string> {
    return new Set(this.list().map((connection) => connection.user.id));
  }

  /** Sends a message to every connection except `except`; returns how many it was sent to. */
  broadcast(message: Uint8Array, except?: CollabConnection): number {
    let sent = 0;
    for (const connection of this.claims.keys()) {
      if (connection === except) continue;
      connection.send(message);
      sent++;
    }
    return sent;
  }

  /** Closes every connection with the given code. */
  closeAll(code: number, reason: string): void {
    for (const connection of this.list()) connection.close(code, reason);
  }

  claimedBy(clientId: number): CollabConnection | undefined {
    for (const [connection, clients] of this.claims) if (clients.has(clientId)) return connection;
    return undefined;
  }

  currentClock(clientId: number): number {
    return this.awareness.meta.get(clientId)?.clock ?? -1;
  }

  claim(connection: CollabConnection, clientId: number): "ok" | "too many" {
    const mine = this.claims.get(connection);
    if (!mine || mine.size >= MAX_CLIENT_IDS_PER_CONNECTION) return "too many";
    mine.add(clientId);
    return "ok";
  }
}
