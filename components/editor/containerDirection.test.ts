import fc from "fast-check";
import { EditorState } from "@tiptap/pm/state";
import type { DecorationSet } from "@tiptap/pm/view";
import { describe, expect, it } from "vitest";
import { memoSchema } from "@/common/editor/memoDocument";
import { containerDirectionPlugin, directionsFromScratch } from "./containerDirection";

const schema = memoSchema();
const TEXTS = ["بند أول", "First item", "שלום", "", "123"];
const para = (text: string) => schema.node("paragraph", null, text ? [schema.text(text)] : []);
const list = (...items: string[]) =>
  schema.node(
    "bulletList",
    null,
    items.map((item) => schema.node("listItem", null, [para(item)])),
  );
const spans = (set: DecorationSet) => set.find().map((decoration) => [decoration.from, decoration.to]);

describe("ContainerDirection", () => {
  it("marks a list or quote right to left after its first paragraph, nested ones too", () => {
    const doc = schema.node("doc", null, [
      list("بند أول", "English"),
      list("English", "بند"),
      schema.node("blockquote", null, [para("اقتباس")]),
      para("plain"),
    ]);
    const state = EditorState.create({ doc, plugins: [containerDirectionPlugin()] });
    const set = containerDirectionPlugin().spec.state!.init({}, state) as DecorationSet;
    expect(spans(set)).toEqual([
      [0, doc.child(0).nodeSize],
      [
        doc.child(0).nodeSize + doc.child(1).nodeSize,
        doc.child(0).nodeSize + doc.child(1).nodeSize + doc.child(2).nodeSize,
      ],
    ]);
  });

  it("after any sequence of edits, holds what deciding from scratch gives", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            at: fc.nat(),
            text: fc.constantFrom(...TEXTS),
            kind: fc.constantFrom("insert", "delete", "list"),
          }),
          { maxLength: 12 },
        ),
        (edits) => {
          let state = EditorState.create({
            doc: schema.node("doc", null, [list("بند", "x"), para("p"), list("y")]),
            plugins: [containerDirectionPlugin()],
          });
          for (const edit of edits) {
            const size = state.doc.content.size;
            const tr = state.tr;
            if (edit.kind === "list") {
              const index = edit.at % (state.doc.childCount + 1);
              let pos = 0;
              for (let i = 0; i < index; i++) pos += state.doc.child(i).nodeSize;
              tr.insert(pos, list(edit.text, "z"));
            } else if (edit.kind === "insert" && edit.text) {
              const pos = edit.at % (size + 1);
              if (!state.doc.resolve(pos).parent.isTextblock) continue;
              tr.insertText(edit.text, pos);
            } else {
              const from = edit.at % (size + 1);
              tr.delete(from, Math.min(size, from + 3));
            }
            state = state.apply(tr);
          }
          const plugin = state.plugins[0];
          expect(spans(plugin.getState(state) as DecorationSet)).toEqual(spans(directionsFromScratch(state.doc)));
        },
      ),
      { numRuns: 300, seed: 20261202 },
    );
  });
});
