import crypto from "node:crypto";
import zlib from "node:zlib";
import * as Y from "yjs";
import type { JSONContent } from "../../common/editor/memoDocument";
import { validMemoJson } from "../editor/memoRepair";
import { newMemoDoc } from "../memos/memoStore";

/** What a version shows, and a hash that says whether two versions read the same. */
export type VersionContent = { json: JSONContent; hash: string; words: number; text: string };

/**
 * The content of a Y.Doc as a version stores it. Its JSON always fits the schema, so that a version
 * can be shown, exported and restored: for a memo stored before updates were checked, it is the
 * memo as its structure repair leaves it (every character; memoRepair.ts), while the version's
 * snapshot keeps the Yjs state exactly.
 */
export function versionContentOf(doc: Y.Doc): VersionContent {
  const json = validMemoJson(doc);
  const serialized = JSON.stringify(json);
  const text = attributedText(doc).text;
  return {
    json,
    hash: crypto.createHash("sha256").update(serialized).digest("hex"),
    words: countWords(text),
    text,
  };
}

/** Words in a text (runs of letters, digits and joiners). */
export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}][\p{L}\p{N}'’\-–]*/gu)?.length ?? 0;
}

/** What a version stores of the memo: its content's hash, words and JSON (gzip), and the Yjs snapshot it shows. */
export type VersionRecord = {
  hash: string;
  words: number;
  jsonGzip: Uint8Array<ArrayBuffer>;
  snapshot: Uint8Array<ArrayBuffer>;
};

/** The record of `doc` at `snapshot` (by default, as it is now); `doc` shows the memo at that snapshot. */
export function versionRecordOf(doc: Y.Doc, snapshot: Y.Snapshot = Y.snapshot(doc)): VersionRecord {
  return recordOfContent(versionContentOf(doc), snapshot);
}

/** The record of content already derived (versionContentOf) at `snapshot`. */
export function recordOfContent(content: VersionContent, snapshot: Y.Snapshot): VersionRecord {
  return {
    hash: content.hash,
    words: content.words,
    jsonGzip: gzipJson(content.json),
    snapshot: new Uint8Array(Y.encodeSnapshot(snapshot)),
  };
}

export const gzipJson = (json: JSONContent): Uint8Array<ArrayBuffer> =>
  new Uint8Array(zlib.gzipSync(JSON.stringify(json)));
export const gunzipJson = (bytes: Uint8Array): JSONContent =>
  JSON.parse(zlib.gunzipSync(bytes).toString("utf8")) as JSONContent;

/** The memo as it was at a version, rebuilt from the full document (which keeps deleted content). */
export function docAtVersion(fullDoc: Y.Doc, snapshot: Uint8Array): Y.Doc {
  return Y.createDocFromSnapshot(fullDoc, Y.decodeSnapshot(snapshot), newMemoDoc());
}

/** Block-level elements whose text forms one paragraph of the plain text. */
const TEXT_BLOCKS = new Set(["paragraph", "heading"]);

/**
 * The memo's plain text (blocks separated by blank lines) with, for every UTF-16 unit, the Yjs
 * client id that typed it: the basis of word diffs and of "who wrote this".
 */
export function attributedText(doc: Y.Doc): { text: string; clients: number[] } {
  const parts: string[] = [];
  const clients: number[] = [];
  let started = false;
  const push = (text: string, client: number) => {
    parts.push(text);
    for (let i = 0; i < text.length; i++) clients.push(client);
  };
  // A stack of the children still to read at each level, not recursion: a memo stored before
  // nesting was limited may be 10,000 levels deep.
  const levels: { children: unknown[]; next: number }[] = [
    { children: doc.getXmlFragment("default").toArray(), next: 0 },
  ];
  while (levels.length > 0) {
    const level = levels[levels.length - 1];
    if (level.next >= level.children.length) {
      levels.pop();
      continue;
    }
    const child = level.children[level.next++];
    if (child instanceof Y.XmlText) {
      for (let item = child._start; item !== null; item = item.right) {
        if (!item.deleted && item.content instanceof Y.ContentString) push(item.content.str, item.id.client);
      }
    } else if (child instanceof Y.XmlElement) {
      if (TEXT_BLOCKS.has(child.nodeName)) {
        if (started) push("\n\n", -1);
        started = true;
      } else if (child.nodeName === "hardBreak") {
        push("\n", -1);
      }
      levels.push({ children: child.toArray(), next: 0 });
    }
  }
  return { text: parts.join(""), clients };
}
