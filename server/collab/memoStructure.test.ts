import fc from "fast-check";
import { prosemirrorJSONToYDoc, updateYFragment } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { memoJsonFromYdoc, memoSchema, type JSONContent } from "../../common/editor/memoDocument";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { ATTRIBUTE_VALUES, MARK_VALUES } from "./memoAttributeValues";
import { MAX_DEPTH } from "./memoStructure";
import { checkClientUpdate } from "./memoUpdateRules";
import { ProtocolViolation } from "./collabRefusals";
import {
  fitsSchema,
  hostileChild,
  HOSTILE_BASE as BASE,
  HOSTILE_TARGETS,
  insertInto,
  paragraphText,
} from "../testing/hostileStructures";

// The update check against real y-tiptap output (every honest edit passes) and against updates
// built from schema names in the wrong structure (every one that would leave the memo outside its
// schema is refused). The oracle is ProseMirror itself: an update is harmful exactly when the memo
// it leaves no longer converts to a document that passes the schema's check.

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20261202;

/** The memo as the server holds it, with nothing waiting. */
const memoOf = (doc: Y.Doc) => ({
  doc,
  clocks: (client: number) => Y.getState(doc.store, client),
  waitingItem: () => undefined,
});

function refusal(doc: Y.Doc, update: Uint8Array): string | null {
  try {
    checkClientUpdate(memoOf(doc), update);
    return null;
  } catch (error) {
    if (error instanceof ProtocolViolation) return error.message;
    throw error;
  }
}

/** A copy of the server's memo as a client holds it, the update one edit on it makes. */
function editOnCopy(server: Y.Doc, edit: (copy: Y.Doc) => void, clientID = 9_000_001): Uint8Array {
  const copy = new Y.Doc({ gc: false });
  copy.clientID = clientID;
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(server));
  const before = Y.encodeStateVector(copy);
  edit(copy);
  return Y.encodeStateAsUpdate(copy, before);
}

/** An edit as the browser makes it: y-tiptap turns the memo into `next`. */
function editTo(server: Y.Doc, next: JSONContent, clientID?: number): Uint8Array {
  return editOnCopy(
    server,
    (copy) =>
      updateYFragment(copy, copy.getXmlFragment(MEMO_FRAGMENT), memoSchema().nodeFromJSON(next), {
        mapping: new Map(),
        isOMark: new Map(),
      } as never),
    clientID,
  );
}

const serverDoc = (json: JSONContent = BASE) => {
  const doc = new Y.Doc({ gc: false });
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(prosemirrorJSONToYDoc(memoSchema(), json, MEMO_FRAGMENT)));
  return doc;
};

// ── Honest memos, as a browser would write them ──────────────────────────────────────────────

const word = fc.constantFrom("talks", "ministry", "Lahore", "قرار", "résumé", "2025", "😀", " ", "—");
const marks = fc.subarray([
  { type: "bold" },
  { type: "italic" },
  { type: "underline" },
  { type: "link", attrs: { href: "https://example.org/a" } },
]);
const inline: fc.Arbitrary<JSONContent[]> = fc.array(
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .tuple(fc.array(word, { minLength: 1, maxLength: 4 }), marks)
        .map(([words, m]) => ({ type: "text", text: words.join(""), ...(m.length ? { marks: m } : {}) })),
    },
    { weight: 1, arbitrary: fc.constant({ type: "hardBreak" }) },
  ),
  { maxLength: 4 },
);
const paragraph = inline.map((content) => ({ type: "paragraph", ...(content.length ? { content } : {}) }));
const heading = fc
  .tuple(fc.constantFrom(1, 2, 3), inline)
  .map(([level, content]) => ({ type: "heading", attrs: { level }, ...(content.length ? { content } : {}) }));
const { block } = fc.letrec<{ block: JSONContent; list: JSONContent; item: JSONContent }>((tie) => ({
  block: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    paragraph,
    heading,
    tie("list"),
    tie("block").map((inner) => ({ type: "blockquote", content: [inner] })),
  ),
  list: fc
    .tuple(fc.constantFrom("bulletList", "orderedList"), fc.array(tie("item"), { minLength: 1, maxLength: 3 }))
    .map(([type, content]) => ({ type, content })),
  item: fc
    .tuple(paragraph, fc.array(tie("block"), { maxLength: 2 }))
    .map(([first, rest]) => ({ type: "listItem", content: [first, ...rest] })),
}));
const memo = fc.array(block, { minLength: 1, maxLength: 5 }).map((content) => ({ type: "doc", content }));

describe("honest edits", () => {
  it("every edit y-tiptap makes between two memos of the schema is accepted", () => {
    fc.assert(
      fc.property(memo, memo, (first, second) => {
        const doc = serverDoc(BASE);
        for (const [index, next] of [first, second].entries()) {
          // Generated memos may nest past the limit; the browser would be refused there too.
          if (depthOf(next) > MAX_DEPTH) return;
          const update = editTo(doc, next, 9_000_001 + index);
          expect(refusal(doc, update)).toBeNull();
          Y.applyUpdate(doc, update);
          expect(fitsSchema(doc)).toBe(true);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // RUNS pairs of generated memos: 2.4 s alone, over 5 s (vitest's default) on a loaded machine.
  }, 30_000);

  it("typing into a paragraph, formatting, a heading level, a list's start are accepted", () => {
    const doc = serverDoc();
    const edits: ((copy: Y.Doc) => void)[] = [
      (copy) => paragraphText(copy, 1).insert(4, "formal "),
      (copy) => paragraphText(copy, 1).format(0, 3, { bold: {}, link: { href: "mailto:desk@example.org" } }),
      (copy) => (copy.getXmlFragment(MEMO_FRAGMENT).get(0) as Y.XmlElement).setAttribute("level", 2 as never),
      (copy) => paragraphText(copy, 1).delete(0, 4),
    ];
    for (const edit of edits) {
      const update = editOnCopy(doc, edit);
      expect(refusal(doc, update)).toBeNull();
      Y.applyUpdate(doc, update);
    }
  });
});

function depthOf(json: JSONContent): number {
  return 1 + Math.max(0, ...(json.content ?? []).map(depthOf));
}

// ── Hostile updates: schema names in the wrong places ────────────────────────────────────────

describe("hostile updates", () => {
  it("an insertion is refused exactly when the memo it leaves would not fit the schema", () => {
    const seen = { accepted: 0, refused: 0 };
    fc.assert(
      fc.property(fc.constantFrom(...HOSTILE_TARGETS), hostileChild, fc.nat(3), (target, made, index) => {
        const doc = serverDoc();
        const before = memoJsonFromYdoc(doc);
        const update = editOnCopy(doc, (copy) => insertInto(target.at(copy), index, made.make()));
        const refused = refusal(doc, update);
        const applied = new Y.Doc({ gc: false });
        Y.applyUpdate(applied, Y.encodeStateAsUpdate(doc));
        Y.applyUpdate(applied, update);
        const fits = fitsSchema(applied);
        expect(refused === null, `${made.describe} in ${target.name}: ${refused ?? "accepted"}`).toBe(fits);
        // A refusal changes nothing (the server never applies a refused update).
        expect(memoJsonFromYdoc(doc)).toEqual(before);
        seen[refused === null ? "accepted" : "refused"]++;
      }),
      { numRuns: RUNS * 2, seed: SEED },
    );
    // Not vacuous: both outcomes occur.
    expect(seen.accepted).toBeGreaterThan(RUNS / 20);
    expect(seen.refused).toBeGreaterThan(RUNS / 2);
  });

  it.each([
    [
      "a paragraph inside a paragraph",
      (copy: Y.Doc) =>
        (copy.getXmlFragment(MEMO_FRAGMENT).get(1) as Y.XmlElement).insert(0, [new Y.XmlElement("paragraph")]),
    ],
    [
      "an element named text",
      (copy: Y.Doc) =>
        (copy.getXmlFragment(MEMO_FRAGMENT).get(1) as Y.XmlElement).insert(0, [new Y.XmlElement("text")]),
    ],
    [
      "text directly under the root",
      (copy: Y.Doc) => copy.getXmlFragment(MEMO_FRAGMENT).insert(0, [new Y.XmlText("evil")]),
    ],
    [
      "a list item at the root",
      (copy: Y.Doc) => copy.getXmlFragment(MEMO_FRAGMENT).insert(0, [new Y.XmlElement("listItem")]),
    ],
    [
      "text directly in a quote",
      (copy: Y.Doc) => (copy.getXmlFragment(MEMO_FRAGMENT).get(3) as Y.XmlElement).insert(0, [new Y.XmlText("evil")]),
    ],
    [
      "a heading of level 99",
      (copy: Y.Doc) => (copy.getXmlFragment(MEMO_FRAGMENT).get(0) as Y.XmlElement).setAttribute("level", 99 as never),
    ],
    [
      "a heading level as a string",
      (copy: Y.Doc) => (copy.getXmlFragment(MEMO_FRAGMENT).get(0) as Y.XmlElement).setAttribute("level", "2"),
    ],
    [
      "an attribute of another node type",
      (copy: Y.Doc) => (copy.getXmlFragment(MEMO_FRAGMENT).get(1) as Y.XmlElement).setAttribute("level", 2 as never),
    ],
    [
      "an empty new list",
      (copy: Y.Doc) => copy.getXmlFragment(MEMO_FRAGMENT).insert(0, [new Y.XmlElement("bulletList")]),
    ],
    [
      "a list item that does not start with a paragraph",
      (copy: Y.Doc) => {
        const item = new Y.XmlElement("listItem");
        item.insert(0, [new Y.XmlElement("blockquote")]);
        const list = new Y.XmlElement("orderedList");
        list.insert(0, [item]);
        copy.getXmlFragment(MEMO_FRAGMENT).insert(0, [list]);
      },
    ],
    ["a mark the text block does not know", (copy: Y.Doc) => paragraphText(copy, 1).format(0, 3, { blink: {} })],
    ["a bold mark with attributes", (copy: Y.Doc) => paragraphText(copy, 1).format(0, 3, { bold: { style: "x" } })],
    [
      "a javascript: link with a tab in its scheme",
      (copy: Y.Doc) => paragraphText(copy, 1).format(0, 3, { link: { href: "java\tscript:alert(1)" } }),
    ],
    [
      "a javascript: link behind a control character",
      (copy: Y.Doc) => paragraphText(copy, 1).format(0, 3, { link: { href: "\u0001javascript:alert(1)" } }),
    ],
    [
      "a link that sets rel",
      (copy: Y.Doc) => paragraphText(copy, 1).format(0, 3, { link: { href: "https://example.org", rel: "opener" } }),
    ],
    [
      "a link with a class",
      (copy: Y.Doc) => paragraphText(copy, 1).format(0, 3, { link: { href: "https://example.org", class: "evil" } }),
    ],
    ["a NUL character", (copy: Y.Doc) => paragraphText(copy, 1).insert(0, "a\u0000b")],
    ["an attribute on text", (copy: Y.Doc) => paragraphText(copy, 1).setAttribute("level", 1 as never)],
    [
      "an element in a text's formatting",
      (copy: Y.Doc) => paragraphText(copy, 1).insertEmbed(0, new Y.XmlElement("paragraph") as never),
    ],
    ["content outside the memo's fragment", (copy: Y.Doc) => copy.getMap("evil").set("x", 1)],
    [
      "lists nested past the limit",
      (copy: Y.Doc) => {
        let inner = new Y.XmlElement("paragraph");
        for (let level = 0; level < MAX_DEPTH; level++) {
          const item = new Y.XmlElement("listItem");
          item.insert(0, level === 0 ? [inner] : [new Y.XmlElement("paragraph"), inner]);
          const list = new Y.XmlElement("bulletList");
          list.insert(0, [item]);
          inner = list;
        }
        copy.getXmlFragment(MEMO_FRAGMENT).insert(0, [inner]);
      },
    ],
  ])("refuses %s", (_name, edit) => {
    const doc = serverDoc();
    expect(refusal(doc, editOnCopy(doc, edit))).not.toBeNull();
  });

  it("a chain of 20,000 items building on each other is checked without deep recursion", () => {
    const doc = serverDoc();
    const update = editOnCopy(doc, (copy) => {
      const text = paragraphText(copy, 1);
      // Alternating formats keep 10,000 separate runs (and their format items) apart. One delta,
      // applied in one pass: 10,000 inserts at the end, each searching from the start, took 4 s.
      const runs = Array.from({ length: 10_000 }, (_, i) =>
        i % 2 ? { insert: "ab", attributes: { bold: {} } } : { insert: "ab" },
      );
      copy.transact(() => text.applyDelta([{ retain: text.length }, ...runs]));
    });
    expect(Y.decodeUpdate(update).structs.length).toBeGreaterThanOrEqual(20_000);
    expect(refusal(doc, update)).toBeNull();
  });

  it("every attribute and mark of the schema has its values described", () => {
    const schema = memoSchema();
    for (const node of Object.values(schema.nodes)) {
      for (const attribute of Object.keys(node.spec.attrs ?? {}))
        expect(ATTRIBUTE_VALUES[node.name]?.[attribute], `${node.name}.${attribute}`).toBeDefined();
    }
    for (const mark of Object.keys(schema.marks)) expect(MARK_VALUES[mark], mark).toBeDefined();
  });
});
