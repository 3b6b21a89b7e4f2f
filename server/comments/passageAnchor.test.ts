import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { ydocFromMemoJson } from "../../common/editor/memoDocument";
import { anchorContextOf, anchoredText } from "./anchorInDoc";
import { anchorPassage, resolveAnchor } from "../../common/comments/passageAnchor";
import { findUniquePassage } from "../../common/comments/passageText";

// Passage anchors (common/comments/passageAnchor.ts) followed through edits, resolved with the
// context the server builds from a Y.Doc (anchorInDoc.ts): here, not beside passageAnchor.ts,
// because common/ imports nothing from the server.

function memo(...paragraphs: string[]): Y.Doc {
  return ydocFromMemoJson({
    type: "doc",
    content: paragraphs.map((text) => ({ type: "paragraph", content: text ? [{ type: "text", text }] : [] })),
  });
}

function anchorOn(doc: Y.Doc, quote: string) {
  const context = anchorContextOf(doc);
  const passage = findUniquePassage(context.doc, quote);
  if (!passage) throw new Error(`"${quote}" is not in the memo exactly once`);
  return anchorPassage(context, passage.from, passage.to);
}

const textOf = (doc: Y.Doc, block: number) =>
  (doc.getXmlFragment(MEMO_FRAGMENT).get(block) as Y.XmlElement).get(0) as Y.XmlText;

describe("passage anchors", () => {
  it("follow insertions before, inside and after the passage", () => {
    const doc = memo("Alpha beta gamma delta.", "Second paragraph.");
    const anchor = anchorOn(doc, "beta gamma");
    textOf(doc, 0).insert(0, "Before ");
    expect(anchoredText(doc, anchor)).toBe("beta gamma");
    textOf(doc, 0).insert("Before Alpha ".length, ">>");
    expect(anchoredText(doc, anchor)).toBe("beta gamma");
    textOf(doc, 0).insert("Before Alpha >>beta".length, " and");
    expect(anchoredText(doc, anchor)).toBe("beta and gamma");
    textOf(doc, 0).insert("Before Alpha >>beta and gamma".length, "<<");
    expect(anchoredText(doc, anchor)).toBe("beta and gamma");
  });

  it("anchors a passage at the very start of the memo and one spanning blocks", () => {
    const doc = memo("First words here.", "Next block.");
    const atStart = anchorOn(doc, "First");
    const spanning = anchorOn(doc, "here.\nNext");
    expect(anchoredText(doc, atStart)).toBe("First");
    expect(anchoredText(doc, spanning)).toBe("here.\nNext");
    textOf(doc, 0).insert(0, "Very ");
    expect(anchoredText(doc, atStart)).toBe("First");
  });

  it("collapses to removed when the passage is deleted, and when its whole block is", () => {
    const doc = memo("Keep this. Drop this. Keep that.", "A whole block.");
    const inline = anchorOn(doc, "Drop this.");
    const block = anchorOn(doc, "whole");
    textOf(doc, 0).delete("Keep this. ".length, "Drop this.".length);
    expect(resolveAnchor(anchorContextOf(doc), inline)).toEqual({ status: "removed" });
    doc.getXmlFragment(MEMO_FRAGMENT).delete(1, 1);
    expect(resolveAnchor(anchorContextOf(doc), block)).toEqual({ status: "removed" });
  });

  it("comes back when the deletion is undone (Yjs follows undone deletions)", () => {
    const doc = memo("Keep this. Drop this. Keep that.");
    const anchor = anchorOn(doc, "Drop this.");
    const undo = new Y.UndoManager(doc.getXmlFragment(MEMO_FRAGMENT));
    textOf(doc, 0).delete("Keep this. ".length, "Drop this.".length);
    expect(anchoredText(doc, anchor)).toBeNull();
    undo.undo();
    expect(anchoredText(doc, anchor)).toBe("Drop this.");
  });

  it("keeps what is left when part of the passage is deleted", () => {
    const doc = memo("One two three four.");
    const anchor = anchorOn(doc, "two three four");
    textOf(doc, 0).delete("One ".length, "two ".length);
    expect(anchoredText(doc, anchor)).toBe("three four");
  });

  it("says unknown for a position in text this replica has not received", () => {
    const doc = memo("Shared text.");
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    textOf(other, 0).insert(0, "Fresh words. ");
    const anchor = anchorOn(other, "Fresh");
    expect(resolveAnchor(anchorContextOf(doc), anchor)).toEqual({ status: "unknown" });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
    expect(anchoredText(doc, anchor)).toBe("Fresh");
  });
});
