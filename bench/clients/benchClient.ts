import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import * as decoding from "lib0/decoding";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { MessageType } from "../../common/protocol/protocol";
import { SaveTracker } from "../../common/protocol/saveAck";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { now } from "../clock";
import { OPENING_LINE } from "../documents";

// One editor, as a browser tab would be: a Y.Doc and the provider the server under test expects
// (y-websocket's WebsocketProvider for ours and the reference server, HocuspocusProvider for
// Hocuspocus), each on its own WebSocket. It records when each of its own edits was made, when every
// other client's edit arrived (from the state vectors before and after each remote transaction, so
// the document carries nothing but text), and, on our server, when each edit was acknowledged saved.

/** Where a client connects. */
export type ClientTarget =
  | { protocol: "y-websocket"; url: string; room: string; cookie?: string; savedAcks?: boolean }
  | { protocol: "hocuspocus"; url: string; name: string };

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/** The origin bench/servers/oursServer.ts allows. */
const BENCH_APP_ORIGIN = "http://127.0.0.1";

/**
 * A Node WebSocket class that sends a Cookie header (our server authenticates the upgrade with it)
 * and, as a browser page would, the Origin our bench server allows (a cookie without one is refused).
 */
function webSocketWithCookie(cookie: string | undefined) {
  return class extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, cookie ? { headers: { cookie, origin: BENCH_APP_ORIGIN } } : {});
    }
  };
}

export class BenchClient {
  readonly doc = new Y.Doc();
  /** clock of one of our edits → when it was made (ms, monotonic clock shared by all processes). */
  readonly sends: number[] = [];
  /** other client id → clock → when that edit was integrated here. */
  readonly arrivals = new Map<number, number[]>();
  /** clock of one of our edits → when the server acknowledged it as stored (our server only). */
  readonly acks: number[] = [];
  readonly tracker = new SaveTracker();
  /** Resolves with the join time (ms from creating the provider to the first completed sync). */
  readonly joined: Promise<number>;
  /** Times the connection closed after it was open (should stay 0). */
  disconnects = 0;
  recordArrivals = false;
  private ackedClock = 0;
  private readonly destroyProvider: () => void;

  constructor(target: ClientTarget) {
    const started = now();
    let markSynced!: () => void;
    this.joined = new Promise<void>((resolve) => (markSynced = resolve)).then(() => now() - started);
    if (target.protocol === "y-websocket") {
      const provider = new WebsocketProvider(target.url, target.room, this.doc, {
        // Clients in one process would otherwise sync through BroadcastChannel, without the server.
        disableBc: true,
        WebSocketPolyfill: webSocketWithCookie(target.cookie) as unknown as typeof globalThis.WebSocket,
        maxBackoffTime: 1_000,
      });
      if (target.savedAcks) {
        provider.messageHandlers[MessageType.Saved] = (_encoder, decoder) =>
          this.onSaved(decoding.readVarUint8Array(decoder));
      }
      provider.on("sync", (synced: boolean) => synced && markSynced());
      provider.on("connection-close", () => this.disconnects++);
      this.destroyProvider = () => provider.destroy();
    } else {
      const socket = new HocuspocusProviderWebsocket({ url: target.url, WebSocketPolyfill: WebSocket });
      const provider = new HocuspocusProvider({ websocketProvider: socket, name: target.name, document: this.doc });
      provider.attach();
      provider.on("synced", () => markSynced());
      provider.on("disconnect", () => this.disconnects++);
      this.destroyProvider = () => {
        provider.destroy();
        socket.destroy();
      };
    }
    this.doc.on("update", (update: Uint8Array, _origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
      if (transaction.local) this.tracker.recordLocalUpdate(update);
    });
    this.doc.on("afterTransaction", (transaction: Y.Transaction) => {
      if (!transaction.local && this.recordArrivals) this.recordArrival(transaction);
    });
  }

  private recordArrival(transaction: Y.Transaction): void {
    const at = now();
    for (const [client, after] of transaction.afterState) {
      const before = transaction.beforeState.get(client) ?? 0;
      if (after <= before) continue;
      let times = this.arrivals.get(client);
      if (!times) this.arrivals.set(client, (times = []));
      for (let clock = before; clock < after; clock++) times[clock] ??= at;
    }
  }

  private onSaved(ack: Uint8Array): void {
    const at = now();
    this.tracker.acknowledge(ack);
    const covered = Y.decodeSnapshot(ack).sv.get(this.doc.clientID) ?? 0;
    for (let clock = this.ackedClock; clock < covered; clock++) this.acks[clock] ??= at;
    this.ackedClock = Math.max(this.ackedClock, covered);
  }

  private get fragment(): Y.XmlFragment {
    return this.doc.getXmlFragment(MEMO_FRAGMENT);
  }

  /** The first paragraph's text, where the typists type; undefined until the memo has one. */
  private get firstText(): Y.XmlText | undefined {
    const paragraph = this.fragment.get(0);
    const text = paragraph instanceof Y.XmlElement ? paragraph.get(0) : undefined;
    return text instanceof Y.XmlText ? text : undefined;
  }

  /** Whether the memo has a paragraph with text to type into. */
  get hasText(): boolean {
    return this.firstText !== undefined;
  }

  /** Adds the opening paragraph (anchors start from an empty document; ours from the created memo). */
  addOpeningParagraph(text = OPENING_LINE): void {
    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText(text)]);
    this.fragment.insert(0, [paragraph]);
  }

  /** Types one letter at a random position of the first paragraph, remembering when. */
  typeOne(random: () => number): void {
    const text = this.firstText;
    if (!text) throw new Error("the memo has no paragraph to type into");
    const position = Math.floor(random() * (text.length + 1));
    const letter = LETTERS[Math.floor(random() * LETTERS.length)];
    this.sends[Y.getState(this.doc.store, this.doc.clientID)] = now();
    text.insert(position, letter);
  }

  /** State vector and a digest of the content, to check convergence across processes. */
  digest(): { stateVector: string; content: string } {
    return {
      stateVector: Buffer.from(Y.encodeStateVector(this.doc)).toString("base64"),
      content: this.fragment.toString(),
    };
  }

  /** Resolves when this client holds at least the given state (client id → clock). */
  whenHolds(stateVector: Map<number, number>): Promise<void> {
    const holds = () => [...stateVector].every(([client, clock]) => Y.getState(this.doc.store, client) >= clock);
    if (holds()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (!holds()) return;
        this.doc.off("afterTransaction", check);
        resolve();
      };
      this.doc.on("afterTransaction", check);
    });
  }

  destroy(): void {
    this.destroyProvider();
    this.doc.destroy();
  }
}
