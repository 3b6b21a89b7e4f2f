import { getSchema, type JSONContent } from "@tiptap/core";
import type { Node as ProseMirrorNode, Schema } from "@tiptap/pm/model";
import { prosemirrorJSONToYDoc, yXmlFragmentToProsemirrorJSON } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { MEMO_FRAGMENT, memoExtensions } from "./memoExtensions";

export type { JSONContent } from "@tiptap/core";

let schema: Schema | undefined;

/** The ProseMirror schema of a memo. */
export function memoSchema(): Schema {
  schema ??= getSchema(memoExtensions());
  return schema;
}

/** Parses Tiptap JSON against the memo schema; throws when it contains anything the schema forbids. */
export function memoNodeFromJson(json: JSONContent): ProseMirrorNode {
  const node = memoSchema().nodeFromJSON(json);
  node.check();
  return node;
}

/** An empty memo body. */
export function emptyMemoJson(): JSONContent {
  return { type: "doc", content: [{ type: "paragraph" }] };
}

/** A fresh Y.Doc holding the given memo body. */
export function ydocFromMemoJson(json: JSONContent): Y.Doc {
  memoNodeFromJson(json);
  return prosemirrorJSONToYDoc(memoSchema(), json, MEMO_FRAGMENT);
}

/** The memo body held by a Y.Doc, as Tiptap JSON. */
export function memoJsonFromYdoc(doc: Y.Doc): JSONContent {
  return yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(MEMO_FRAGMENT)) as JSONContent;
}

/** Plain text of a memo body: blocks separated by blank lines. */
export function plainTextFromMemoJson(json: JSONContent): string {
  const node = memoSchema().nodeFromJSON(json);
  return node.textBetween(0, node.content.size, "\n\n", "\n");
}
