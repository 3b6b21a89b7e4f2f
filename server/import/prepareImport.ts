import crypto from "node:crypto";
import zlib from "node:zlib";
import * as Y from "yjs";
import { tooLarge } from "../errors";
import { countWords } from "../versions/versionContent";
import { exceededLimit, measureMemoJson } from "../workers/documentLimits";
import { encodeMemoUpdate, plainTextOfMemoJson } from "./encodeMemoUpdate";
import { memoFromSource } from "./importSourceText";

// The part of "new memo from a source" whose cost grows with the source, run in a worker
// (server/workers): parse the text, check the result against the memo limits, and derive
// everything the memo's row and its first version store, so that the caller only writes.
// Everything crosses the thread boundary as bytes (text as UTF-8), moved rather than copied, and
// goes on to PostgreSQL as binary parameters: the caller's event loop never encodes or copies
// the megabytes a large import produces (as strings, pg's UTF-8 encoding of 17 MB took 130 ms).

/** A memo built from a source, ready to insert. */
export type PreparedImport = {
  /** The title given, else the source's (memoFromSource in importSourceText.ts). */
  title: string;
  /** Yjs state (one update of a fresh document). */
  state: Uint8Array<ArrayBuffer>;
  /** The body as Tiptap JSON text (what the memo's contentJson holds), UTF-8. */
  json: Uint8Array<ArrayBuffer>;
  /** Plain text (blocks separated by blank lines), UTF-8. */
  text: Uint8Array<ArrayBuffer>;
  /** Version 1, as recordVersion would derive it from the stored state. */
  version: { hash: string; words: number; jsonGzip: Uint8Array<ArrayBuffer>; snapshot: Uint8Array<ArrayBuffer> };
};

/** The buffers of a prepared import, to move them to another thread. */
export const importBuffers = (prepared: PreparedImport): ArrayBuffer[] => [
  prepared.state.buffer,
  prepared.json.buffer,
  prepared.text.buffer,
  prepared.version.jsonGzip.buffer,
  prepared.version.snapshot.buffer,
];

/**
 * Parses a checked source text into a memo, titled `givenTitle` or after the source (whose first
 * line then leaves the body); throws too_large beyond the memo limits.
 */
export function prepareImport(source: string, givenTitle?: string): PreparedImport {
  const { title, body } = memoFromSource(source, givenTitle);
  const exceeded = exceededLimit(measureMemoJson(body));
  if (exceeded) {
    // Text imports are flat (no nesting), so only the number of blocks can be too high.
    throw tooLarge(
      `The source makes more than ${exceeded.max.toLocaleString("en-US")} paragraphs, headings and list items, ` +
        "more than one memo can hold. Split it into several memos.",
    );
  }
  // A new document's client id, random as Yjs picks its own (uint32).
  const clientId = crypto.randomInt(1, 2 ** 32 - 1);
  const encoded = encodeMemoUpdate(body, clientId);
  const json = JSON.stringify(encoded.json);
  const text = plainTextOfMemoJson(encoded.json);
  // A fresh document's snapshot: everything it holds (its state vector), nothing deleted.
  const snapshot = Y.encodeSnapshot(Y.createSnapshot(Y.createDeleteSet(), new Map([[clientId, encoded.clock]])));
  // Each value in an ArrayBuffer of its own (a small Buffer is a slice of a shared pool), to be moved.
  const utf8 = new TextEncoder();
  return {
    title,
    state: new Uint8Array(encoded.update),
    json: utf8.encode(json),
    text: utf8.encode(text),
    version: {
      // versionContentOf's hash and word count: sha256 of the JSON text, words of the plain text.
      hash: crypto.createHash("sha256").update(json).digest("hex"),
      words: countWords(text),
      jsonGzip: new Uint8Array(zlib.gzipSync(json)),
      snapshot: new Uint8Array(snapshot),
    },
  };
}

/** A source to import and store from a document worker (importAndStore in heavyTasks.ts). */
export type ImportToStore = { source: string; title?: string; ownerId: string; databaseUrl: string };
