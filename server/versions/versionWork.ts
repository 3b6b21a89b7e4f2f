import { updateYFragment } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { findAnchorMoves, type AnchoredThread, type AnchorMove } from "../comments/anchorMoves";
import { memoSchema } from "../../common/editor/memoDocument";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { decodeStoredMemo, type StoredRows } from "../memos/storedMemoState";
import { attributedText, docAtVersion, gunzipJson, versionRecordOf, type VersionRecord } from "./versionContent";
import { changedSections, diffTexts, type DiffPart } from "./versionDiff";

// The parts of version history whose cost grows with the memo: each decodes the memo's stored
// state (which keeps every deleted character, so it can grow well past the text it shows) and
// walks it. They run in a document worker (server/workers) for a memo of any size, and on the
// caller's thread only for a small one (runDocumentTask); plain data in, plain data out. The
// callers read the rows before and write what these return after.

/** The memo's stored state as its next version would record it. */
export function recordStoredVersion(stored: StoredRows): VersionRecord {
  const doc = decodeStoredMemo(stored);
  try {
    return versionRecordOf(doc);
  } finally {
    doc.destroy();
  }
}

/** A version to compare: its Yjs snapshot and its content's JSON (gzip). */
export type ComparedVersion = { snapshot: Uint8Array; jsonGzip: Uint8Array };

/** A run of a comparison; an added run says which Yjs clients typed it (the caller names them). */
export type StoredComparisonPart = DiffPart & { clients?: number[] };

/** Two versions compared word by word, with the sections that changed. */
export type StoredComparison = {
  parts: StoredComparisonPart[];
  wordsAdded: number;
  wordsRemoved: number;
  sectionsChanged: string[];
};

/** Compares two versions of the stored memo, `older` first. */
export function compareStoredVersions(input: {
  stored: StoredRows;
  older: ComparedVersion;
  newer: ComparedVersion;
}): StoredComparison {
  const full = decodeStoredMemo(input.stored);
  const textAt = (version: ComparedVersion) => {
    const doc = docAtVersion(full, version.snapshot);
    try {
      return attributedText(doc);
    } finally {
      doc.destroy();
    }
  };
  let before: ReturnType<typeof attributedText>, after: ReturnType<typeof attributedText>;
  try {
    before = textAt(input.older);
    after = textAt(input.newer);
  } finally {
    full.destroy();
  }
  const diff = diffTexts(before.text, after.text);
  const parts = diff.parts.map((part): StoredComparisonPart => {
    if (part.kind !== "added") return part;
    const clients = new Set<number>();
    for (let i = part.start; i < part.start + part.text.length; i++)
      if (after.clients[i] >= 0) clients.add(after.clients[i]);
    return { ...part, clients: [...clients] };
  });
  return {
    parts,
    wordsAdded: diff.wordsAdded,
    wordsRemoved: diff.wordsRemoved,
    sectionsChanged: changedSections(gunzipJson(input.older.jsonGzip), gunzipJson(input.newer.jsonGzip)),
  };
}

/** What a restore changes: the update that makes the memo read as the version, and where orphaned threads go then. */
export type RestoreChange = { update: Uint8Array<ArrayBuffer> | null; moves: AnchorMove[] };

/**
 * The update that makes the stored memo read as `targetJsonGzip` (a version's content): the
 * smallest change y-tiptap's updateYFragment finds, so unchanged passages keep their identity and
 * comment anchors; null when the memo already reads so. And, from the same decoded memo, where
 * `threads` whose passage was removed go in the restored memo (findAnchorMoves): a restore brings
 * old text back as new Yjs items, which the old anchors cannot follow.
 */
export function restoreChangeOf(input: {
  stored: StoredRows;
  targetJsonGzip: Uint8Array;
  threads: AnchoredThread[];
}): RestoreChange {
  const doc = decodeStoredMemo(input.stored);
  try {
    const changes: Uint8Array[] = [];
    doc.on("update", (update: Uint8Array) => changes.push(update));
    const target = memoSchema().nodeFromJSON(gunzipJson(input.targetJsonGzip));
    updateYFragment(doc, doc.getXmlFragment(MEMO_FRAGMENT), target, {
      mapping: new Map(),
      isOMark: new Map(),
    } as never);
    const update =
      changes.length === 0 ? null : new Uint8Array(changes.length === 1 ? changes[0] : Y.mergeUpdates(changes));
    return { update, moves: findAnchorMoves(doc, input.threads) };
  } finally {
    doc.destroy();
  }
}
