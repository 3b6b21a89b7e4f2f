import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import { EditorState, TextSelection, type Transaction } from "@tiptap/pm/state";
import { initProseMirrorDoc, updateYFragment } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { memoSchema, ydocFromMemoJson, type JSONContent } from "../../common/editor/memoDocument";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { suggestTransaction } from "../../common/suggestions/suggestingTransform";
import { decideSuggestions } from "../../common/suggestions/suggestionDecisions";
import { listSuggestions } from "../../common/suggestions/suggestionRanges";
import { checkClientUpdate } from "../../server/collab/memoUpdateRules";
import { seededRandom } from "../stats";

// Scenario h (issue 21): suggestions on a 20-page memo (100 paragraphs of about 600 characters),
// in this process, on the code both sides run. Accept all of 500 suggestions by five people: the
// client's work (decide, then y-tiptap writes the change to Yjs: the browser's script without
// layout) and the server's (the update check and applying the update). And typing: one letter
// per keystroke, in Suggesting and in Editing, the transaction and its Yjs write, 200 keystrokes
// each, interleaved. Targets: the server under 50 ms, Suggesting at most 1.5× Editing.

export type SuggestionsResult = {
  paragraphs: number;
  suggestions: number;
  acceptAllClientMs: number[];
  acceptAllServerMs: number[];
  keystrokeEditingMs: number[];
  keystrokeSuggestingMs: number[];
};

const PARAGRAPHS = 100;
const SUGGESTIONS = 500;
const KEYSTROKES = 200;
const AUTHORS = Array.from({ length: 5 }, (_, index) => `00000000-0000-4000-8000-00000000000${index + 1}`);
const WORDS = "the ministry embassy delegation council security trade talks agreement border region policy".split(" ");

function memoOf(random: () => number): Y.Doc {
  const content: JSONContent[] = [];
  for (let index = 0; index < PARAGRAPHS; index++) {
    const words: string[] = [];
    for (let length = 0; length < 600;) {
      const word = WORDS[Math.floor(random() * WORDS.length)];
      words.push(word);
      length += word.length + 1;
    }
    content.push({ type: "paragraph", content: [{ type: "text", text: `${words.join(" ")}.` }] });
  }
  return ydocFromMemoJson({ type: "doc", content });
}

/** A replica as the editor holds it: the Yjs document, its ProseMirror state and y-tiptap's mapping. */
class Replica {
  state: EditorState;
  private meta: ReturnType<typeof initProseMirrorDoc>["meta"];
  constructor(readonly doc: Y.Doc) {
    const { doc: node, meta } = initProseMirrorDoc(doc.getXmlFragment(MEMO_FRAGMENT), memoSchema());
    this.state = EditorState.create({ schema: memoSchema(), doc: node });
    this.meta = meta;
  }
  /** Applies `tr` and writes it to Yjs, as the editor's sync plugin does; returns the update. */
  apply(tr: Transaction): Uint8Array {
    this.state = this.state.apply(tr);
    const before = Y.encodeStateVector(this.doc);
    this.doc.transact(() =>
      updateYFragment(this.doc, this.doc.getXmlFragment(MEMO_FRAGMENT), this.state.doc, this.meta),
    );
    return Y.encodeStateAsUpdate(this.doc, before);
  }
}

function textPositions(doc: ProseMirrorNode): number[] {
  const positions: number[] = [];
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true;
    for (let at = pos + 1; at < pos + node.nodeSize - 1; at++) positions.push(at);
    return false;
  });
  return positions;
}

const time = (run: () => void) => {
  const started = performance.now();
  run();
  return performance.now() - started;
};

/** One repetition: a fresh memo, 500 suggestions, the accept-all, then the keystrokes. */
export function runSuggestions(reps: number): SuggestionsResult {
  const result: SuggestionsResult = {
    paragraphs: PARAGRAPHS,
    suggestions: 0,
    acceptAllClientMs: [],
    acceptAllServerMs: [],
    keystrokeEditingMs: [],
    keystrokeSuggestingMs: [],
  };
  for (let rep = 0; rep < reps; rep++) {
    const random = seededRandom(21 + rep);
    const replica = new Replica(memoOf(random));
    let next = 0;
    for (let made = 0; made < SUGGESTIONS; made++) {
      const author = AUTHORS[made % AUTHORS.length];
      const who = {
        author,
        now: () => 1_800_000_000_000 + made,
        newId: () => `bench${String(next++).padStart(12, "0")}`,
      };
      const positions = textPositions(replica.state.doc);
      const at = positions[Math.floor(random() * positions.length)];
      const tr =
        made % 2 === 0
          ? replica.state.tr.insertText(" new", at)
          : replica.state.tr.delete(at, Math.min(at + 4, replica.state.doc.resolve(at).end()));
      const suggested = suggestTransaction(replica.state, tr, who);
      if (suggested) replica.apply(suggested);
    }
    result.suggestions = listSuggestions(replica.state.doc).length;
    const server = new Y.Doc({ gc: false });
    Y.applyUpdate(server, Y.encodeStateAsUpdate(replica.doc));
    let update: Uint8Array = new Uint8Array();
    result.acceptAllClientMs.push(
      time(() => {
        update = replica.apply(decideSuggestions(replica.state.tr, "accept", () => true));
      }),
    );
    result.acceptAllServerMs.push(
      time(() => {
        checkClientUpdate(
          { doc: server, waitingItem: () => undefined, clocks: (client) => Y.getState(server.store, client) },
          update,
        );
        Y.applyUpdate(server, update);
      }),
    );
    // Typing, interleaved: one letter in Editing, one in Suggesting, at the end of a paragraph.
    const typist = { author: AUTHORS[0], now: Date.now, newId: () => `type${String(next++).padStart(12, "0")}` };
    for (let key = 0; key < KEYSTROKES; key++) {
      const end = replica.state.doc.child(key % PARAGRAPHS);
      let at = 0;
      for (let index = 0; index < key % PARAGRAPHS; index++) at += replica.state.doc.child(index).nodeSize;
      at += end.nodeSize - 1;
      const place = (state: EditorState) => state.tr.setSelection(TextSelection.create(state.doc, at)).insertText("x");
      result.keystrokeEditingMs.push(time(() => replica.apply(place(replica.state))));
      result.keystrokeSuggestingMs.push(
        time(() => {
          const suggested = suggestTransaction(replica.state, place(replica.state), typist);
          if (suggested) replica.apply(suggested);
        }),
      );
    }
  }
  return result;
}
