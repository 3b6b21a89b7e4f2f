import { prosemirrorJSONToYDoc } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { memoSchema } from "./memoDocument";
import { MEMO_FRAGMENT } from "./memoExtensions";
import { memoFitsSchema } from "./memoSchemaFit";

const memo = () =>
  prosemirrorJSONToYDoc(
    memoSchema(),
    { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "Olga's paragraph." }] }] },
    MEMO_FRAGMENT,
  );

describe("whether the editor can show a memo as it is", () => {
  it("yes for a memo of the schema", () => {
    expect(memoFitsSchema(memo())).toBe(true);
  });

  it.each([
    [
      "a paragraph inside a paragraph",
      (doc: Y.Doc) =>
        (doc.getXmlFragment(MEMO_FRAGMENT).get(0) as Y.XmlElement).insert(0, [new Y.XmlElement("paragraph")]),
    ],
    [
      "an element named text",
      (doc: Y.Doc) => (doc.getXmlFragment(MEMO_FRAGMENT).get(0) as Y.XmlElement).insert(0, [new Y.XmlElement("text")]),
    ],
    ["text under the root", (doc: Y.Doc) => doc.getXmlFragment(MEMO_FRAGMENT).insert(0, [new Y.XmlText("x")])],
    ["an unknown element", (doc: Y.Doc) => doc.getXmlFragment(MEMO_FRAGMENT).insert(0, [new Y.XmlElement("script")])],
  ])("no for %s, and checking deletes nothing", (_name, spoil) => {
    const doc = memo();
    spoil(doc);
    const before = Y.encodeStateAsUpdate(doc);
    expect(memoFitsSchema(doc)).toBe(false);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });
});
