import { describe, expect, it } from "vitest";
import { joinBackward, splitBlock } from "@tiptap/pm/commands";
import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import { EditorState, TextSelection, type Transaction } from "@tiptap/pm/state";
import { memoNodeFromJson, memoSchema, type JSONContent } from "../editor/memoDocument";
import { withSuggestionsDecided } from "./suggestionDecisions";
import { listSuggestions } from "./suggestionRanges";
import { suggestTransaction, type Suggester } from "./suggestingTransform";
import { SUGGESTION_BOUNDARY } from "./suggestionMarks";

const ALICE = "00000000-0000-4000-8000-00000000000a";
const BOB = "00000000-0000-4000-8000-00000000000b";

function suggester(author: string): Suggester {
  let next = 0;
  return {
    author,
    now: () => 1_700_000_000_000,
    newId: () => `${author.slice(-1)}suggestion${String(next++).padStart(4, "0")}`,
  };
}

const paragraphs = (...texts: string[]): JSONContent => ({
  type: "doc",
  content: texts.map((text) => ({ type: "paragraph", content: text ? [{ type: "text", text }] : [] })),
});

function stateOf(json: JSONContent, cursor: number): EditorState {
  const doc = memoNodeFromJson(json);
  return EditorState.create({ schema: memoSchema(), doc, selection: TextSelection.create(doc, cursor) });
}

/** Applies `edit` to `state` in suggesting mode as `who`; fails when the edit could not be suggested. */
function suggest(state: EditorState, edit: (state: EditorState) => Transaction, who: Suggester): EditorState {
  const suggested = suggestTransaction(state, edit(state), who);
  expect(suggested, "the edit could be suggested").not.toBeNull();
  return state.apply(suggested!);
}

const text = (state: EditorState) =>
  state.doc.textBetween(0, state.doc.content.size, "|").replaceAll(SUGGESTION_BOUNDARY, "⁰");
const blocks = (doc: ProseMirrorNode) => doc.textBetween(0, doc.content.size, "|", "|");
const accepted = (state: EditorState) => blocks(withSuggestionsDecided(state.doc, "accept", () => true));
const rejected = (state: EditorState) => blocks(withSuggestionsDecided(state.doc, "reject", () => true));

const typeText = (value: string) => (state: EditorState) => state.tr.insertText(value);
const backspace = (state: EditorState) => state.tr.delete(state.selection.from - 1, state.selection.from);
const command = (run: typeof splitBlock) => (state: EditorState) => {
  let result: Transaction | undefined;
  run(state, (tr) => (result = tr));
  expect(result, "the command applied").toBeDefined();
  return result!;
};

describe("suggesting mode", () => {
  it("marks typed text as one insertion of its author, which Accept keeps and Reject drops", () => {
    const alice = suggester(ALICE);
    let state = stateOf(paragraphs("The outlook is sobering."), 16);
    for (const letter of "stark ") state = suggest(state, typeText(letter), alice);
    expect(text(state)).toBe("The outlook is stark sobering.");
    const suggestions = listSuggestions(state.doc);
    expect(suggestions).toHaveLength(1);
    expect(suggestions[0]).toMatchObject({ author: ALICE, inserted: "stark ", deleted: "" });
    expect(accepted(state)).toBe("The outlook is stark sobering.");
    expect(rejected(state)).toBe("The outlook is sobering.");
  });

  it("makes typing over a selection one replacement", () => {
    let state = stateOf(paragraphs("The outlook is sobering."), 16);
    state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, 16, 24)));
    state = suggest(state, typeText("stark"), suggester(ALICE));
    expect(listSuggestions(state.doc)).toMatchObject([{ inserted: "stark", deleted: "sobering" }]);
    expect(accepted(state)).toBe("The outlook is stark.");
    expect(rejected(state)).toBe("The outlook is sobering.");
  });

  it("keeps deleted text marked, and deleting one's own suggested text removes it", () => {
    const alice = suggester(ALICE);
    let state = stateOf(paragraphs("abcdef"), 4);
    state = suggest(state, backspace, alice);
    state = suggest(state, backspace, alice);
    expect(text(state)).toBe("abcdef");
    expect(state.selection.from).toBe(2);
    expect(listSuggestions(state.doc)).toMatchObject([{ deleted: "bc", inserted: "" }]);
    state = suggest(state, typeText("XY"), alice);
    state = suggest(state, backspace, alice);
    expect(text(state)).toBe("aXbcdef");
    expect(accepted(state)).toBe("aXdef");
    expect(rejected(state)).toBe("abcdef");
  });

  it("suggests a new paragraph at the end of one, which Reject joins back", () => {
    const alice = suggester(ALICE);
    let state = stateOf(paragraphs("abcdef"), 7);
    state = suggest(state, command(splitBlock), alice);
    expect(state.doc.childCount).toBe(2);
    state = suggest(state, typeText("X"), alice);
    expect(accepted(state)).toBe("abcdef|X");
    expect(rejected(state)).toBe("abcdef");
    // Deleting what one typed and the new paragraph itself takes it back.
    state = suggest(state, backspace, alice);
    state = suggest(state, backspace, alice);
    expect(text(state)).toBe("abcdef");
    expect(listSuggestions(state.doc)).toHaveLength(0);
  });

  it("suggests a break in mid-paragraph as a marker, made a real break when accepted", () => {
    const alice = suggester(ALICE);
    let state = stateOf(paragraphs("abcdef"), 4);
    state = suggest(state, command(splitBlock), alice);
    // Nothing moves until an editor decides: the text after the break stays in its paragraph.
    expect(state.doc.childCount).toBe(1);
    state = suggest(state, typeText("X"), alice);
    expect(listSuggestions(state.doc)).toMatchObject([{ inserted: "X", splits: true }]);
    expect(accepted(state)).toBe("abc|Xdef");
    expect(rejected(state)).toBe("abcdef");
  });

  it("makes an accepted break even where a colleague suggested deleting it, and a new item in a list", () => {
    let state = stateOf(paragraphs("abcdef"), 4);
    state = suggest(state, command(splitBlock), suggester(ALICE));
    // Bob deletes "c⁰d", the break marker with it.
    state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, 3, 6)));
    state = suggest(state, (s) => s.tr.deleteSelection(), suggester(BOB));
    const acceptAlice = withSuggestionsDecided(state.doc, "accept", (attrs) => attrs.author === ALICE);
    expect(acceptAlice.childCount).toBe(2);
    expect(blocks(withSuggestionsDecided(acceptAlice, "reject", () => true))).toBe("abc|def");

    const list = memoNodeFromJson({
      type: "doc",
      content: [
        {
          type: "bulletList",
          content: [
            { type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "one two" }] }] },
          ],
        },
      ],
    });
    let inList = EditorState.create({ schema: memoSchema(), doc: list, selection: TextSelection.create(list, 6) });
    inList = suggest(inList, command(splitBlock), suggester(ALICE));
    const made = withSuggestionsDecided(inList.doc, "accept", () => true);
    expect(made.child(0).childCount).toBe(2);
    expect(blocks(made)).toBe("one| two");
  });

  it("suggests Enter at the start of a paragraph as a break before it", () => {
    let state = stateOf(paragraphs("abc"), 1);
    state = suggest(state, command(splitBlock), suggester(ALICE));
    expect(state.doc.childCount).toBe(1);
    expect(accepted(state)).toBe("|abc");
  });

  it("does not suggest what the server could not check: a line break", () => {
    const state = stateOf(paragraphs("abcdef"), 4);
    const lineBreak = state.tr.replaceSelectionWith(memoSchema().nodes.hardBreak.create());
    expect(suggestTransaction(state, lineBreak, suggester(ALICE))).toBeNull();
  });

  it("suggests a paragraph join that Accept makes", () => {
    const alice = suggester(ALICE);
    let state = stateOf(paragraphs("abc", "def"), 6);
    state = suggest(state, command(joinBackward), alice);
    expect(state.doc.childCount).toBe(2);
    expect(accepted(state)).toBe("abcdef");
    expect(rejected(state)).toBe("abc|def");
  });

  it("keeps one person's insertion marked for deletion by another as a pending pair", () => {
    let state = stateOf(paragraphs("ab"), 2);
    state = suggest(state, typeText("XYZ"), suggester(ALICE));
    state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, 4)));
    state = suggest(state, backspace, suggester(BOB));
    expect(text(state)).toBe("aXYZb");
    const withoutBob = withSuggestionsDecided(state.doc, "reject", (attrs) => attrs.author === BOB);
    expect(withoutBob.textContent).toBe("aXYZb");
    expect(accepted(state)).toBe("aXZb");
    expect(rejected(state)).toBe("ab");
  });
});
