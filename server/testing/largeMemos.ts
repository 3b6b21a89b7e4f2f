import * as Y from "yjs";
import type { PrismaClient } from "../db";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";

// Memos far larger or deeper than a person writes, built straight in Yjs (one level per insert,
// so building them recurses nowhere) and stored as a memo's state, as a hostile client's edits
// would leave them. For the document-worker tests and the benchmark.

const paragraph = (text: string) => {
  const element = new Y.XmlElement("paragraph");
  element.insert(0, [new Y.XmlText(text)]);
  return element;
};

/** A memo body of `depth` bullet lists, each item holding a paragraph and the next list. */
export function nestedListDoc(depth: number): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    let parent: Y.XmlFragment | Y.XmlElement = doc.getXmlFragment(MEMO_FRAGMENT);
    for (let level = 0; level < depth; level++) {
      const list = new Y.XmlElement("bulletList");
      parent.insert(parent.length, [list]);
      const item = new Y.XmlElement("listItem");
      list.insert(0, [item]);
      item.insert(0, [paragraph(`Level ${level + 1}`)]);
      parent = item;
    }
  });
  return doc;
}

/** A memo body of one bullet list of `items` items ("Item 1" …). */
export function flatListDoc(items: number): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    const list = new Y.XmlElement("bulletList");
    doc.getXmlFragment(MEMO_FRAGMENT).insert(0, [list]);
    const children = Array.from({ length: items }, (_, index) => {
      const item = new Y.XmlElement("listItem");
      item.insert(0, [paragraph(`Item ${index + 1}`)]);
      return item;
    });
    list.insert(0, children);
  });
  return doc;
}

/** Replaces a memo's stored state with `doc`'s (the update log is left empty). */
export async function storeMemoState(db: PrismaClient, memoId: string, doc: Y.Doc): Promise<void> {
  await db.memo.update({
    where: { id: memoId },
    data: { ydocState: Y.encodeStateAsUpdate(doc) as Uint8Array<ArrayBuffer> },
    select: { id: true },
  });
}

/** `lines` lines of `- x`: the list that overflowed the stack before import ran in a worker. */
export const bulletLines = (bytes: number) => "- x\n".repeat(Math.floor(bytes / 4));
/** Short lines that each become a paragraph (they end in a full stop, so none is a heading). */
export const shortLines = (bytes: number) => "Ab.\n".repeat(Math.floor(bytes / 4));
