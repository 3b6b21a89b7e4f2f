import type { JSONContent } from "@tiptap/core";
import type { Attrs, Schema } from "@tiptap/pm/model";
import * as encoding from "lib0/encoding";
import { memoSchema } from "../../common/editor/memoDocument";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";

// An imported memo body written straight into a Yjs update (encoding v1), without building a
// Y.Doc. Building one is what made a 512 KB import slow and fragile: y-tiptap's
// prosemirrorJSONToYDoc recurses per node and spreads a node's children into one call (131,072
// list items of "- x" overflowed the stack), and even without that, creating some 400,000 Yjs
// types took about a second of CPU, mostly garbage collection. A fresh document typed by one
// client is simple to write directly: every node is one item, in document order, whose left
// origin is its previous sibling (or, for a first child, whose parent is named), exactly what
// y-tiptap's insertion produces. The tests decode the result with Yjs and compare it with
// y-tiptap's document.
//
// Scope: what the importer produces. Elements with attributes and plain text; a mark refuses the
// body (an import has none), and so does a node type the schema does not know.

// Item.write's info byte: the content type in the low five bits, then these flags.
const HAS_ORIGIN = 0b1000_0000;
const HAS_PARENT_SUB = 0b0010_0000;
// Content and type references (yjs src/structs/Content*.js, ContentType.js).
const CONTENT_STRING = 4;
const CONTENT_TYPE = 7;
const CONTENT_ANY = 8;
const XML_ELEMENT = 3;
const XML_TEXT = 6;

/** The update, the clock it ends at (its state vector is {clientId: clock}) and what it reads as. */
export type EncodedMemo = {
  update: Uint8Array;
  clientId: number;
  clock: number;
  /** The body as memoJsonFromYdoc reads it back: attributes with defaults, text runs merged. */
  json: JSONContent;
};

type Frame = {
  nodes: JSONContent[];
  index: number;
  parentClock: number | null;
  leftClock: number | null;
  out: JSONContent[];
};

/** Encodes a body (Tiptap JSON without marks that fits the memo schema) as a fresh document's update. */
export function encodeMemoUpdate(body: JSONContent, clientId: number, schema: Schema = memoSchema()): EncodedMemo {
  const structs = encoding.createEncoder();
  let clock = 0;
  let count = 0;
  const attributesOf = attributeDefaults(schema);

  // An item's position: after its left sibling, or first in its parent (the root fragment or an element).
  const writePosition = (frame: Frame, info: number) => {
    encoding.writeUint8(structs, info | (frame.leftClock === null ? 0 : HAS_ORIGIN));
    if (frame.leftClock !== null) {
      encoding.writeVarUint(structs, clientId);
      encoding.writeVarUint(structs, frame.leftClock);
    } else if (frame.parentClock === null) {
      encoding.writeVarUint(structs, 1);
      encoding.writeVarString(structs, MEMO_FRAGMENT);
    } else {
      encoding.writeVarUint(structs, 0);
      encoding.writeVarUint(structs, clientId);
      encoding.writeVarUint(structs, frame.parentClock);
    }
  };

  const root: JSONContent = { type: "doc", content: [] };
  const stack: Frame[] = [
    { nodes: body.content ?? [], index: 0, parentClock: null, leftClock: null, out: root.content! },
  ];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame.index >= frame.nodes.length) {
      stack.pop();
      continue;
    }
    const node = frame.nodes[frame.index];
    if (node.type === "text") {
      // Neighbouring text nodes are one Y.XmlText (y-tiptap), and unformatted, one run of text.
      let text = "";
      for (; frame.index < frame.nodes.length && frame.nodes[frame.index].type === "text"; frame.index++) {
        const run = frame.nodes[frame.index];
        if (run.marks?.length) throw new Error("encodeMemoUpdate writes text without marks");
        text += run.text ?? "";
      }
      if (text === "") continue;
      writePosition(frame, CONTENT_TYPE);
      encoding.writeVarUint(structs, XML_TEXT);
      const textClock = clock++;
      encoding.writeUint8(structs, CONTENT_STRING);
      encoding.writeVarUint(structs, 0);
      encoding.writeVarUint(structs, clientId);
      encoding.writeVarUint(structs, textClock);
      encoding.writeVarString(structs, text);
      // A string item spans one clock per UTF-16 unit.
      clock += text.length;
      count += 2;
      frame.leftClock = textClock;
      frame.out.push({ type: "text", text });
      continue;
    }
    frame.index++;
    const type = node.type ?? "";
    writePosition(frame, CONTENT_TYPE);
    encoding.writeVarUint(structs, XML_ELEMENT);
    encoding.writeVarString(structs, type);
    const elementClock = clock++;
    count++;
    const out: JSONContent = { type };
    const attrs = attributesOf(type, node.attrs);
    if (attrs) {
      out.attrs = attrs;
      // Attributes are map entries of the element: no origin, the element as parent, the key as parentSub.
      for (const [key, value] of Object.entries(attrs)) {
        encoding.writeUint8(structs, CONTENT_ANY | HAS_PARENT_SUB);
        encoding.writeVarUint(structs, 0);
        encoding.writeVarUint(structs, clientId);
        encoding.writeVarUint(structs, elementClock);
        encoding.writeVarString(structs, key);
        encoding.writeVarUint(structs, 1);
        encoding.writeAny(structs, value as encoding.AnyEncodable);
        clock++;
        count++;
      }
    }
    frame.out.push(out);
    frame.leftClock = elementClock;
    if (node.content?.length) {
      out.content = [];
      stack.push({ nodes: node.content, index: 0, parentClock: elementClock, leftClock: null, out: out.content });
    }
  }

  const update = encoding.createEncoder();
  encoding.writeVarUint(update, count === 0 ? 0 : 1);
  if (count > 0) {
    encoding.writeVarUint(update, count);
    encoding.writeVarUint(update, clientId);
    encoding.writeVarUint(update, 0);
    encoding.writeUint8Array(update, encoding.toUint8Array(structs));
  }
  // The delete set: nothing was deleted.
  encoding.writeVarUint(update, 0);
  return { update: encoding.toUint8Array(update), clientId, clock, json: root };
}

/** A node's attributes with the schema's defaults and without null values (y-tiptap stores no nulls), or null when none remain. */
function attributeDefaults(schema: Schema) {
  const cache = new Map<string, Attrs | null>();
  return (type: string, attrs: Record<string, unknown> | undefined): Attrs | null => {
    const key = `${type}:${attrs ? JSON.stringify(attrs) : ""}`;
    if (cache.has(key)) return cache.get(key)!;
    const nodeType = schema.nodes[type];
    if (!nodeType) throw new Error(`Unknown node type: ${type}`);
    const present = Object.entries(nodeType.create(attrs ?? null).attrs).filter(([, value]) => value !== null);
    const computed = present.length > 0 ? Object.fromEntries(present) : null;
    cache.set(key, computed);
    return computed;
  };
}

/** Plain text of Tiptap JSON, as plainTextFromMemoJson gives it (text blocks separated by blank lines), without recursion. */
export function plainTextOfMemoJson(json: JSONContent): string {
  const parts: string[] = [];
  let started = false;
  // Children are pushed in reverse, so nodes come off the stack in document order.
  const stack: JSONContent[] = [...(json.content ?? [])].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === "text") {
      parts.push(node.text ?? "");
      continue;
    }
    if (node.type === "hardBreak") {
      parts.push("\n");
      continue;
    }
    if (node.type === "paragraph" || node.type === "heading") {
      if (started) parts.push("\n\n");
      started = true;
    }
    const content = node.content ?? [];
    for (let index = content.length - 1; index >= 0; index--) stack.push(content[index]);
  }
  return parts.join("");
}
