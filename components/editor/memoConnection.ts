import type * as decoding from "lib0/decoding";
import { IndexeddbPersistence } from "y-indexeddb";
import { Awareness } from "y-protocols/awareness";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import type { RestoreAnnouncement } from "@/common/protocol/restoreAnnouncement";
import {
  COLLAB_PATH,
  MalformedMessage,
  MessageType,
  readAccess,
  readCommentsChanged,
  readRestored,
  readSaved,
  readStorageStatus,
} from "@/common/protocol/protocol";
import { SaveTracker } from "@/common/protocol/saveAck";
import { roleAllows, type MemoRole } from "@/common/sharing/memoPermissions";
import { localMemoCopyName, unsavedEditsKey } from "./localMemoCopy";
import { sendOwnPresenceChangesOnly } from "./ownPresenceOnly";

/** What the connection to the collaboration server is doing. */
export type ConnectionState = "connecting" | "connected" | "reconnecting" | "offline";

/**
 * What the save indicator shows. It changes with nearly every keystroke (kept on this device,
 * saving, saved), so it has a snapshot of its own: only the indicator re-renders for it.
 */
export type SaveIndicatorState = {
  connection: ConnectionState;
  /** Whether every local edit is durably stored on the server. */
  saved: boolean;
  /** Whether every local edit is committed to this device's copy (IndexedDB). */
  keptLocally: boolean;
  /** The server is up but cannot reach its database: edits are live but not stored yet. */
  storageFailing: boolean;
};

/** What the memo page shows about the connection (the save indicator aside). */
export type MemoPageState = {
  /** Whether the memo can be shown: synced with the server, or loaded from this device's copy. */
  ready: boolean;
  /** Offline, and this device has no copy of the memo to show. */
  unavailableOffline: boolean;
  /** Why editing stopped for good (access lost, memo deleted), or null. */
  stopped: string | null;
  /** The user's role, as the server last announced it. */
  role: MemoRole;
  /** Set when a role change made unsaved edits impossible to keep. */
  lostEdits: boolean;
  /** The last restore someone made while the memo was open here, until dismissed. */
  restored: RestoreAnnouncement | null;
};

/** Everything a MemoConnection reports. */
export type MemoConnectionState = MemoPageState & SaveIndicatorState;

/**
 * A y-websocket handler for one of our messages: its reader (protocol.ts, as strict as the
 * server's), then `handle`. A malformed message is logged and ignored: one bad message should
 * not stop the editor, and the next one of its kind says the same again.
 */
function ourMessage<T>(
  read: (decoder: decoding.Decoder) => T,
  handle: (value: T) => void,
): WebsocketProvider["messageHandlers"][number] {
  return (_encoder, decoder) => {
    let value: T;
    try {
      value = read(decoder);
    } catch (error) {
      if (!(error instanceof MalformedMessage)) throw error;
      console.warn("ignoring a malformed message from the collaboration server", error);
      return;
    }
    handle(value);
  };
}

/** After this many failed connection attempts in a row, ask the app whether we still have access. */
const FAILURES_BEFORE_ACCESS_CHECK = 3;

/** Whether the app's server answers at all (navigator.onLine can say "online" on a dead network). */
async function serverReachable(): Promise<boolean> {
  try {
    return (await fetch("/healthz", { cache: "no-store" })).ok;
  } catch {
    return false;
  }
}

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
 * A memo's Y.Doc, its copy on this device (IndexedDB) and its link to the collaboration server,
 * as an external store for React (useSyncExternalStore).
 *
 * Edits are written to the device copy as they happen, so they survive going offline, closing the
 * tab or reloading. "Saved" means the server acknowledged storing them in PostgreSQL; it comes
 * from those acknowledgements, never from a timer, and the list of unacknowledged edits is kept
 * beside the device copy so a reload still knows what the server has not confirmed.
 */
export class MemoConnection {
  readonly doc = new Y.Doc();
  /** Presence of everyone in the memo (ours included), kept across reconnects. */
  readonly awareness = new Awareness(this.doc);
  private readonly initialPage: MemoPageState;
  private readonly initialSave: SaveIndicatorState;
  private page: MemoPageState;
  private save: SaveIndicatorState;
  private readonly listeners = new Set<() => void>();
  private readonly commentListeners = new Set<(threadId: string) => void>();
  private tracker = new SaveTracker();
  private teardown: (() => void) | null = null;

  constructor(
    private readonly memoId: string,
    private readonly userId: string,
    role: MemoRole,
  ) {
    this.initialPage = {
      ready: false,
      unavailableOffline: false,
      stopped: null,
      role,
      lostEdits: false,
      restored: null,
    };
    this.initialSave = { connection: "connecting", saved: true, keptLocally: true, storageFailing: false };
    this.page = this.initialPage;
    this.save = this.initialSave;
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The page's state: a new object only when one of its fields changed (useSyncExternalStore). */
  getSnapshot = () => this.page;

  /** The save indicator's state, likewise. */
  getSaveSnapshot = () => this.save;

  /**
   * Calls `listener` when the server says the memo's comments changed (with the thread id, or ""
   * for any), and after every (re)connection, since changes made meanwhile were not announced.
   */
  onCommentsChanged = (listener: (threadId: string) => void) => {
    this.commentListeners.add(listener);
    return () => {
      this.commentListeners.delete(listener);
    };
  };

  private commentsChanged(threadId: string): void {
    for (const listener of this.commentListeners) listener(threadId);
  }

  getServerSnapshot = () => this.initialPage;

  /** Hides the last restore's announcement. */
  dismissRestored = () => this.update({ restored: null });

  getServerSaveSnapshot = () => this.initialSave;

  private update(patch: Partial<MemoConnectionState>): void {
    let changed = false;
    for (const [key, value] of Object.entries(patch)) {
      if (key in this.save) {
        if (this.save[key as keyof SaveIndicatorState] === value) continue;
        this.save = { ...this.save, [key]: value };
      } else {
        if (this.page[key as keyof MemoPageState] === value) continue;
        this.page = { ...this.page, [key]: value };
      }
      changed = true;
    }
    if (changed) for (const listener of this.listeners) listener();
  }

  /** Connects (browser only). */
  start(): void {
    if (this.teardown) return;
    const unsavedKey = unsavedEditsKey(this.userId, this.memoId);
    this.tracker = SaveTracker.fromJSON(JSON.parse(localStorage.getItem(unsavedKey) ?? "null"));
    const rememberUnsaved = () => {
      if (this.tracker.isSaved()) localStorage.removeItem(unsavedKey);
      else localStorage.setItem(unsavedKey, JSON.stringify(this.tracker.toJSON()));
      this.update({ saved: this.tracker.isSaved() });
    };
    rememberUnsaved();

    const local = new IndexeddbPersistence(localMemoCopyName(this.userId, this.memoId), this.doc);
    const url = `${window.location.protocol === "https:" ? "wss" : "ws"}://${window.location.host}${COLLAB_PATH}`;
    // BroadcastChannel off: every edit goes through the server, which enforces access.
    const provider = new WebsocketProvider(url, this.memoId, this.doc, {
      awareness: this.awareness,
      disableBc: true,
      maxBackoffTime: 5_000,
      connect: navigator.onLine,
    });
    const restorePresenceSending = sendOwnPresenceChangesOnly(provider, this.awareness);
    let everConnected = false;
    let failures = 0;
    let unreachable = false;

    void local.whenSynced.then(() => {
      const hasCopy = this.doc.getXmlFragment("default").length > 0;
      if (hasCopy) this.update({ ready: true });
      else if (!navigator.onLine) this.update({ unavailableOffline: true });
    });
    provider.messageHandlers[MessageType.Saved] = ourMessage(readSaved, (snapshot) => {
      this.tracker.acknowledge(snapshot);
      rememberUnsaved();
    });
    provider.messageHandlers[MessageType.StorageStatus] = ourMessage(readStorageStatus, (storageFailing) =>
      this.update({ storageFailing }),
    );
    provider.messageHandlers[MessageType.CommentsChanged] = ourMessage(readCommentsChanged, (threadId) =>
      this.commentsChanged(threadId),
    );
    provider.messageHandlers[MessageType.Restored] = ourMessage(readRestored, (restored) => this.update({ restored }));
    provider.messageHandlers[MessageType.Access] = ourMessage(readAccess, (role) => {
      // A viewer's edits are never taken; a commenter's suggestions are, but not the direct edits
      // of an editor just demoted to commenter.
      const loses = role === "viewer" || (role === "commenter" && roleAllows(this.page.role, "edit"));
      if (loses && !this.tracker.isSaved()) {
        // The server will not take these edits any more: stop showing them as pending.
        this.tracker = new SaveTracker();
        void local.clearData();
        rememberUnsaved();
        this.update({ lostEdits: true });
      }
      this.update({ role });
    });
    // y-indexeddb writes each edit in its own read-write transaction on "updates" as it happens
    // (its listener runs before ours). A transaction on the same store created later starts only
    // once those have committed, so a marker transaction completing means every edit made before
    // it was created is on disk. One marker at a time: while typing, a new one starts when the
    // last completes and edits came meanwhile, instead of one per keystroke.
    let localWrites = 0;
    let markerPending = false;
    const startMarker = () => {
      markerPending = true;
      void local.whenSynced.then(() => {
        if (!local.db) {
          markerPending = false;
          return;
        }
        const through = localWrites;
        let marker: IDBTransaction;
        try {
          marker = local.db.transaction(["updates"], "readonly");
        } catch {
          // The database is closing (the memo is being left): the next edit tries again.
          markerPending = false;
          return;
        }
        marker.oncomplete = () => {
          markerPending = false;
          if (through === localWrites) this.update({ keptLocally: true });
          else startMarker();
        };
        marker.onabort = () => {
          markerPending = false;
        };
      });
    };
    const confirmKeptLocally = () => {
      localWrites += 1;
      this.update({ keptLocally: false });
      if (!markerPending) startMarker();
    };
    const onUpdate = (update: Uint8Array, origin: unknown) => {
      // Updates from the server are not ours to save; updates from the device copy are edits
      // made earlier on this device, already tracked by the restored list.
      if (origin === provider || origin === local) return;
      this.tracker.recordLocalUpdate(update);
      rememberUnsaved();
      confirmKeptLocally();
    };
    const describe = (): ConnectionState => {
      if (!navigator.onLine || (unreachable && !provider.wsconnected)) return "offline";
      if (provider.wsconnected) return "connected";
      return everConnected ? "reconnecting" : "connecting";
    };
    provider.on("status", ({ status }) => {
      if (status === "connected") {
        everConnected = true;
        failures = 0;
        unreachable = false;
      }
      this.update({ connection: describe() });
    });
    provider.on("connection-close", () => {
      this.update({ storageFailing: false });
      failures += 1;
      void serverReachable().then((reachable) => {
        unreachable = !reachable;
        this.update({ connection: describe() });
      });
      if (failures !== FAILURES_BEFORE_ACCESS_CHECK) return;
      void accessProblem(this.memoId).then((problem) => {
        if (!problem) return;
        provider.disconnect();
        void local.clearData();
        localStorage.removeItem(unsavedKey);
        this.update({ stopped: problem });
      });
    });
    provider.on("sync", (synced) => {
      if (!synced) return;
      this.update({ ready: true, unavailableOffline: false });
      this.commentsChanged("");
    });
    provider.on("closed", ({ reason }) => this.update({ stopped: reason || "The server closed this memo." }));
    // The browser knows before the socket does: stop trying while offline, resume when back.
    const onOffline = () => {
      provider.disconnect();
      this.update({ connection: "offline" });
    };
    const onOnline = () => {
      if (!this.page.stopped) provider.connect();
      this.update({ connection: describe() });
    };
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!this.tracker.isSaved()) event.preventDefault();
    };
    this.doc.on("update", onUpdate);
    window.addEventListener("online", onOnline);
    window.addEventListener("offline", onOffline);
    window.addEventListener("beforeunload", onBeforeUnload);
    this.update({ connection: describe() });
    this.teardown = () => {
      window.removeEventListener("online", onOnline);
      window.removeEventListener("offline", onOffline);
      window.removeEventListener("beforeunload", onBeforeUnload);
      this.doc.off("update", onUpdate);
      restorePresenceSending();
      provider.destroy();
      void local.destroy();
    };
  }

  /** Disconnects; start() may connect again (React runs effects twice in development). */
  stop(): void {
    this.teardown?.();
    this.teardown = null;
  }
}
