import type { EditorState } from "@tiptap/pm/state";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { ydocFromMemoJson } from "../../common/editor/memoDocument";
import { suggestTransaction } from "../../common/suggestions/suggestingTransform";
import { editorEditUpdate } from "../testing/editorEdits";
import { findStructureProblems, validMemoJson } from "../editor/memoRepair";
import { applyCheckingSuggestions } from "./suggestionRules";

// The suggestion rules on updates a reconnecting client sends: its whole offline work as one
// update, which may create items and delete some of them (a suggestion typed, then a letter of
// it taken back).

const COMMENTER = "00000000-0000-4000-8000-0000000000c1";
const who = { author: COMMENTER, now: () => 1_800_000_000_000, newId: () => "c1offline000000001" };
const suggest = (edit: (state: EditorState) => ReturnType<EditorState["tr"]["insertText"]>) => (state: EditorState) =>
  suggestTransaction(state, edit(state), who)!;

function memo(): Y.Doc {
  return ydocFromMemoJson({
    type: "doc",
    content: [{ type: "paragraph", content: [{ type: "text", text: "The outlook is sobering." }] }],
  });
}

describe("applyCheckingSuggestions", () => {
  it("accepts a replay that creates a suggestion and deletes part of it in the same update", () => {
    const server = memo();
    const base = Y.encodeStateVector(server);
    const typed = editorEditUpdate(
      server,
      suggest((state) => state.tr.insertText("stark ", 16)),
    );
    const trimmed = editorEditUpdate(
      typed.copy,
      suggest((state) => state.tr.delete(21, 22)),
    );
    const replay = Y.encodeStateAsUpdate(trimmed.copy, base);
    const shadow = new Y.Doc();
    Y.applyUpdate(shadow, Y.encodeStateAsUpdate(server));
    expect(() => applyCheckingSuggestions(shadow, replay, COMMENTER, "onlySuggest")).not.toThrow();
    expect(shadow.getXmlFragment("default").toString()).toContain("stark");
  });

  it("leaves a stored suggested deletion (an overlapping mark, keyed with a hash) as it is", () => {
    const server = memo();
    const deleted = editorEditUpdate(
      server,
      suggest((state) => state.tr.delete(16, 24)),
    );
    Y.applyUpdate(server, deleted.update);
    expect(findStructureProblems(server)).toEqual([]);
    expect(JSON.stringify(validMemoJson(server))).toContain('"suggestedDeletion"');
  });
});
