import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  memoJsonFromYdoc,
  plainTextFromMemoJson,
  ydocFromMemoJson,
  type JSONContent,
} from "../../common/editor/memoDocument";
import { bulletLines } from "../testing/largeMemos";
import { encodeMemoUpdate, plainTextOfMemoJson } from "./encodeMemoUpdate";
import { importSourceText } from "./importSourceText";
import { readSampleSource } from "./sampleSource";

// encodeMemoUpdate writes Yjs's binary format by hand, so every case is checked against Yjs
// itself: the update is decoded by Y.applyUpdate and must read back as y-tiptap's own document.

const decoded = (update: Uint8Array) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc;
};

const SOURCES: Record<string, string> = {
  "headings, paragraphs and both kinds of list":
    "Background\nThe talks resumed.\n- first\n- second\n3) third\n4) fourth\nCloser.",
  "an empty source (one empty paragraph)": "",
  "text outside the Basic Multilingual Plane": "Émoji 🇵🇰 and ✓.\n- 𝒳 item",
};

describe("encodeMemoUpdate", () => {
  for (const [name, source] of Object.entries(SOURCES)) {
    it(`reads back as y-tiptap's document: ${name}`, () => {
      const body = importSourceText(source);
      const encoded = encodeMemoUpdate(body, 1234);
      const doc = decoded(encoded.update);
      const expected = memoJsonFromYdoc(ydocFromMemoJson(body));
      expect(memoJsonFromYdoc(doc)).toEqual(expected);
      expect(encoded.json).toEqual(expected);
      // The clock is the state vector a snapshot of the fresh document holds.
      expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(new Map([[1234, encoded.clock]]) as never));
      expect(plainTextOfMemoJson(encoded.json)).toBe(plainTextFromMemoJson(expected));
    });
  }

  it("reads back as y-tiptap's document: the sample memo", async () => {
    const body = importSourceText(await readSampleSource());
    const doc = decoded(encodeMemoUpdate(body, 7).update);
    expect(memoJsonFromYdoc(doc)).toEqual(memoJsonFromYdoc(ydocFromMemoJson(body)));
  });

  it("encodes 131,072 list items without recursion (y-tiptap overflowed the stack on them)", () => {
    const body = importSourceText(bulletLines(512 * 1024));
    const encoded = encodeMemoUpdate(body, 99);
    const list = decoded(encoded.update).getXmlFragment("default").get(0) as Y.XmlElement;
    expect(list.nodeName).toBe("bulletList");
    expect(list.length).toBe(131_072);
  }, 30_000); // 1.3 s on an idle machine; over 6 s on a loaded, shared one

  it("refuses marks and unknown node types rather than writing what it cannot", () => {
    const marked: JSONContent = {
      type: "doc",
      content: [{ type: "paragraph", content: [{ type: "text", text: "b", marks: [{ type: "bold" }] }] }],
    };
    expect(() => encodeMemoUpdate(marked, 1)).toThrow(/without marks/);
    expect(() => encodeMemoUpdate({ type: "doc", content: [{ type: "video" }] }, 1)).toThrow(/Unknown node type/);
  });
});
