import fc from "fast-check";
import { joinBackward, splitBlock } from "@tiptap/pm/commands";
import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import { EditorState, TextSelection, type Transaction } from "@tiptap/pm/state";
import { initProseMirrorDoc, updateYFragment } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { memoJsonFromYdoc, memoSchema, ydocFromMemoJson } from "../../common/editor/memoDocument";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { suggestTransaction, withoutInheritedSuggestions } from "../../common/suggestions/suggestingTransform";
import { decideSuggestions, withSuggestionsDecided } from "../../common/suggestions/suggestionDecisions";
import { suggestionAttrsOf, suggestionMarkTypes } from "../../common/suggestions/suggestionMarks";
import { listSuggestions } from "../../common/suggestions/suggestionRanges";
import { ProtocolViolation } from "./collabRefusals";
import { landsInSuggestedText, suggestionAuthorOf } from "./memoUpdateRules";
import { applyCheckingSuggestions, type SuggestionRule } from "./suggestionRules";

// Three people on one memo through a server, as Yjs replicas: two suggesting (one of them offline
// for stretches), one editing and deciding. Random typing, deleting, splitting and joining
// paragraphs, accepting and rejecting. Checked: with each edit made on the latest memo, every
// update an honest client sends passes the server's suggestion rules (an honest client refused would be
// refused again on every reconnect); offline and concurrent, all replicas converge, every
// suggestion id has one author and one time, and accepting or rejecting everything leaves a
// document of the memo schema with no suggestion left.
// Not claimed: that concurrent edits at the same spot always pass the rules. Yjs gives text typed
// inside a range another client formatted concurrently that range's formatting, and a suggested
// split moves the text after it (Yjs has no move), leaving a colleague's concurrent insertion
// behind; the server refuses the update that made such a difference (docs/suggestions.md).

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20261204;
const AUTHORS = [
  "00000000-0000-4000-8000-0000000000a1",
  "00000000-0000-4000-8000-0000000000b2",
  "00000000-0000-4000-8000-0000000000e3",
];
const SUGGESTING = [true, true, false];

type Op =
  | { kind: "type"; client: number; at: number; text: string }
  | { kind: "delete"; client: number; at: number; length: number }
  | { kind: "split" | "join"; client: number; at: number }
  | { kind: "decide"; at: number; accept: boolean }
  | { kind: "sync"; client: number }
  | { kind: "offline" | "online" };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("type" as const),
      client: fc.nat(2),
      at: fc.nat(),
      text: fc.constantFrom("a", "xy", " the ", "Ω"),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("delete" as const),
      client: fc.nat(2),
      at: fc.nat(),
      length: fc.integer({ min: 1, max: 6 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constantFrom("split" as const, "join" as const), client: fc.nat(2), at: fc.nat() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("decide" as const), at: fc.nat(), accept: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("sync" as const), client: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.constantFrom({ kind: "offline" as const }, { kind: "online" as const }) },
);

/** Text positions of the document, in order (inside textblocks). */
function textPositions(doc: ProseMirrorNode): number[] {
  const positions: number[] = [];
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true;
    for (let at = pos + 1; at <= pos + node.nodeSize - 1; at++) positions.push(at);
    return false;
  });
  return positions;
}

class Replica {
  readonly doc = new Y.Doc();
  readonly outbox: Uint8Array[] = [];
  private next = 0;
  constructor(
    readonly index: number,
    start: Uint8Array,
  ) {
    Y.applyUpdate(this.doc, start, "server");
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin !== "server") this.outbox.push(update);
    });
  }
  get author() {
    return AUTHORS[this.index];
  }
  /** Makes an edit as the editor would: on a ProseMirror state of the replica, written by y-tiptap. */
  edit(make: (state: EditorState, positions: number[]) => Transaction | null): void {
    const fragment = this.doc.getXmlFragment(MEMO_FRAGMENT);
    const { doc, meta } = initProseMirrorDoc(fragment, memoSchema());
    const state = EditorState.create({ schema: memoSchema(), doc });
    let tr = make(state, textPositions(doc));
    if (!tr || !tr.docChanged) return;
    if (!SUGGESTING[this.index]) tr = withoutInheritedSuggestions(tr);
    else {
      tr = suggestTransaction(state, tr, {
        author: this.author,
        now: () => 1_800_000_000_000 + this.next,
        newId: () => `${this.index}id${String(this.next++).padStart(10, "0")}`,
      });
      if (!tr) return;
    }
    const next = state.apply(tr).doc;
    this.doc.transact(() => updateYFragment(this.doc, fragment, next, meta));
  }
}

function at(positions: number[], value: number): number {
  return positions[value % positions.length];
}

/**
 * Plays `ops`. With `checked`, every update reaches the server through its suggestion rules and
 * each edit is exchanged at once (sync after every step); without, updates arrive in any order,
 * with one suggester offline for stretches, and the server takes them all.
 */
function run(ops: Op[], checked: boolean): void {
  const start = ydocFromMemoJson({
    type: "doc",
    content: [
      { type: "paragraph", content: [{ type: "text", text: "The outlook for the talks is sobering." }] },
      { type: "paragraph", content: [{ type: "text", text: "Talks resume on Monday in Doha." }] },
    ],
  });
  const server = new Y.Doc({ gc: false });
  Y.applyUpdate(server, Y.encodeStateAsUpdate(start));
  const shadow = new Y.Doc();
  Y.applyUpdate(shadow, Y.encodeStateAsUpdate(start));
  const replicas = [0, 1, 2].map((index) => new Replica(index, Y.encodeStateAsUpdate(start)));
  let offline = false;

  const sync = (replica: Replica) => {
    if (offline && replica.index === 1) return;
    for (const update of replica.outbox.splice(0)) {
      // As the server decides (messageHandlers.ts): every update of a suggester, an editor's
      // when it sets a suggestion mark in someone else's name.
      const structs = Y.decodeUpdate(update).structs;
      const origins = structs.flatMap((struct) =>
        struct instanceof Y.Item && struct.content instanceof Y.ContentString && struct.origin ? [struct.origin] : [],
      );
      const foreign =
        structs.some((struct) => {
          const author = suggestionAuthorOf(struct);
          return author !== null && author !== replica.author;
        }) || landsInSuggestedText(server, origins);
      const rule: SuggestionRule | null = SUGGESTING[replica.index] ? "onlySuggest" : foreign ? "attribution" : null;
      try {
        if (rule && checked) applyCheckingSuggestions(shadow, update, replica.author, rule);
        else Y.applyUpdate(shadow, update);
      } catch (error) {
        if (error instanceof ProtocolViolation)
          throw new Error(`client ${replica.index}'s honest update was refused: ${error.reason}`);
        throw error;
      }
      Y.applyUpdate(server, update);
    }
    Y.applyUpdate(replica.doc, Y.encodeStateAsUpdate(server, Y.encodeStateVector(replica.doc)), "server");
  };

  for (const step of ops) {
    // Checked: each edit is made on the latest memo (everyone's edits exchanged after each step).
    if (checked) for (let round = 0; round < 2; round++) for (const replica of replicas) sync(replica);
    switch (step.kind) {
      case "type":
        replicas[step.client].edit((state, positions) => state.tr.insertText(step.text, at(positions, step.at)));
        break;
      case "delete":
        replicas[step.client].edit((state, positions) => {
          const from = positions.indexOf(at(positions, step.at));
          const to = positions[Math.min(positions.length - 1, from + step.length)];
          return to > positions[from] ? state.tr.delete(positions[from], to) : null;
        });
        break;
      case "split":
      case "join":
        // A suggested split moves the text after it into a new paragraph (Yjs has no move), and
        // text a colleague typed there concurrently stays behind: the server refuses that update
        // as changing someone else's suggestion (a known limit, docs/suggestions.md). Splits are
        // made here with everyone's edits exchanged first.
        if (step.kind === "split" && SUGGESTING[step.client]) {
          const wasOffline: boolean = offline;
          offline = false;
          for (const replica of replicas) sync(replica);
          for (const replica of replicas) sync(replica);
          offline = wasOffline;
        }
        replicas[step.client].edit((state, positions) => {
          const pos = at(positions, step.at);
          const placed = state.apply(state.tr.setSelection(TextSelection.create(state.doc, pos)));
          let result: Transaction | null = null;
          const command = step.kind === "split" ? splitBlock : joinBackward;
          // A join from the start of the block the position is in.
          const target =
            step.kind === "join"
              ? placed.apply(placed.tr.setSelection(TextSelection.create(placed.doc, placed.doc.resolve(pos).start())))
              : placed;
          command(target, (tr) => (result = tr));
          if (!result) return null;
          // The command's transaction is built on `target`: rebuild it on `state` step by step.
          const rebuilt = state.tr;
          for (const s of (result as Transaction).steps) rebuilt.step(s);
          return rebuilt;
        });
        if (step.kind === "split" && SUGGESTING[step.client]) sync(replicas[step.client]);
        break;
      case "decide":
        replicas[2].edit((state) => {
          const suggestions = listSuggestions(state.doc);
          if (suggestions.length === 0) return null;
          const chosen = suggestions[step.at % suggestions.length];
          return decideSuggestions(state.tr, step.accept ? "accept" : "reject", (attrs) => attrs.id === chosen.id);
        });
        break;
      case "sync":
        sync(replicas[step.client]);
        break;
      case "offline":
        offline = !checked;
        break;
      case "online":
        offline = false;
        break;
    }
  }
  offline = false;
  for (let round = 0; round < 2; round++) for (const replica of replicas) sync(replica);

  const json = JSON.stringify(memoJsonFromYdoc(server));
  for (const replica of replicas) expect(JSON.stringify(memoJsonFromYdoc(replica.doc))).toBe(json);
  const doc = memoSchema().nodeFromJSON(memoJsonFromYdoc(server));
  doc.check();
  const seen = new Map<string, string>();
  const { insertion, deletion } = suggestionMarkTypes(memoSchema());
  doc.descendants((node) => {
    for (const mark of node.marks) {
      if (mark.type !== insertion && mark.type !== deletion) continue;
      const attrs = suggestionAttrsOf(mark);
      expect(attrs, "a suggestion mark with an id, author and time").not.toBeNull();
      const identity = `${attrs!.author}@${attrs!.time}`;
      expect(seen.get(attrs!.id) ?? identity, `suggestion ${attrs!.id} has one author and time`).toBe(identity);
      seen.set(attrs!.id, identity);
    }
  });
  for (const decision of ["accept", "reject"] as const) {
    const decided = withSuggestionsDecided(doc, decision, () => true);
    decided.check();
    expect(listSuggestions(decided)).toEqual([]);
  }
}

describe(`suggestions among three replicas (seed ${SEED}, ${RUNS} runs)`, () => {
  it("never refuses an honest suggester's or editor's update made on the latest memo", () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 20, maxLength: 80 }), (ops) => run(ops, true)),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it("converges, offline and concurrent, with one author and time per suggestion and decisions that leave a valid memo", () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 20, maxLength: 80 }), (ops) => run(ops, false)),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
