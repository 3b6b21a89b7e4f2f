import * as decoding from "lib0/decoding";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { COLLAB_PATH, MessageType } from "@/server/collab/protocol";
import { SaveTracker } from "@/server/collab/saveAck";

/** What the connection to the collaboration server is doing. */
export type ConnectionState = "connecting" | "connected" | "reconnecting" | "offline";

/** What the memo page shows about the connection. */
export type MemoConnectionState = {
  connection: ConnectionState;
  /** Whether the first sync with the server completed (the editor waits for it). */
  synced: boolean;
  /** Whether every local edit is durably stored on the server. */
  saved: boolean;
  /** Why editing stopped for good (access lost, memo deleted), or null. */
  stopped: string | null;
};

const INITIAL: MemoConnectionState = { connection: "connecting", synced: false, saved: true, stopped: null };

/** After this many failed connection attempts in a row, ask the app whether we still have access. */
const FAILURES_BEFORE_ACCESS_CHECK = 3;

async function accessProblem(memoId: string): Promise<string | null> {
  try {
    const response = await fetch(`/api/memos/${memoId}`, { cache: "no-store" });
    if (response.status === 401) return "You were signed out. Sign in again to keep editing.";
    if (response.status === 404) return "This memo was deleted, or you no longer have access to it.";
  } catch {
    // The app is unreachable too: a connection problem, not an access problem.
  }
  return null;
}

/**
 * A memo's Y.Doc and its link to the collaboration server, as an external store for React
 * (useSyncExternalStore). "Saved" comes from the server's acknowledgements of what it stored,
 * never from a timer.
 */
export class MemoConnection {
  readonly doc = new Y.Doc();
  private provider: WebsocketProvider | null = null;
  private state = INITIAL;
  private readonly listeners = new Set<() => void>();
  private readonly tracker = new SaveTracker();
  private teardown: (() => void) | null = null;

  constructor(private readonly memoId: string) {}

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = () => this.state;

  getServerSnapshot = () => INITIAL;

  private update(patch: Partial<MemoConnectionState>): void {
    const next = { ...this.state, ...patch };
    if (Object.entries(patch).every(([key, value]) => this.state[key as keyof MemoConnectionState] === value)) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }

  /** Whether every local edit is stored (used to warn before closing the tab). */
  get hasUnsavedEdits(): boolean {
    return !this.tracker.isSaved();
  }

  /** Connects (browser only). */
  start(): void {
    if (this.provider) return;
    const url = `${window.location.protocol === "https:" ? "wss" : "ws"}://${window.location.host}${COLLAB_PATH}`;
    // BroadcastChannel off: every edit goes through the server, which enforces access.
    const provider = new WebsocketProvider(url, this.memoId, this.doc, { disableBc: true, maxBackoffTime: 5_000 });
    this.provider = provider;
    let everConnected = false;
    let failures = 0;

    provider.messageHandlers[MessageType.Saved] = (_encoder, decoder) => {
      this.update({ saved: this.tracker.acknowledge(decoding.readVarUint8Array(decoder)) });
    };
    const onUpdate = (update: Uint8Array, origin: unknown) => {
      if (origin === provider) return;
      this.tracker.recordLocalUpdate(update);
      this.update({ saved: false });
    };
    const describe = (connected: boolean): ConnectionState => {
      if (!navigator.onLine) return "offline";
      if (connected) return "connected";
      return everConnected ? "reconnecting" : "connecting";
    };
    provider.on("status", ({ status }) => {
      if (status === "connected") {
        everConnected = true;
        failures = 0;
      }
      this.update({ connection: describe(status === "connected") });
    });
    provider.on("connection-close", () => {
      failures += 1;
      if (failures !== FAILURES_BEFORE_ACCESS_CHECK) return;
      void accessProblem(this.memoId).then((problem) => {
        if (!problem) return;
        provider.disconnect();
        this.update({ stopped: problem });
      });
    });
    provider.on("sync", (synced) => {
      if (synced) this.update({ synced: true });
    });
    provider.on("closed", ({ reason }) => this.update({ stopped: reason || "The server closed this memo." }));
    const onNetworkChange = () => this.update({ connection: describe(provider.wsconnected) });
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (this.hasUnsavedEdits) event.preventDefault();
    };
    this.doc.on("update", onUpdate);
    window.addEventListener("online", onNetworkChange);
    window.addEventListener("offline", onNetworkChange);
    window.addEventListener("beforeunload", onBeforeUnload);
    this.teardown = () => {
      window.removeEventListener("online", onNetworkChange);
      window.removeEventListener("offline", onNetworkChange);
      window.removeEventListener("beforeunload", onBeforeUnload);
      this.doc.off("update", onUpdate);
      provider.destroy();
    };
  }

  /** Disconnects; start() may connect again (React runs effects twice in development). */
  stop(): void {
    this.teardown?.();
    this.teardown = null;
    this.provider = null;
  }
}
