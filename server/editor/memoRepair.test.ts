import fc from "fast-check";
import { prosemirrorJSONToYDoc } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { MAX_DEPTH } from "../collab/memoStructure";
import { memoJsonFromYdoc, memoSchema, type JSONContent } from "../../common/editor/memoDocument";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { findStructureProblems, repairMemoStructure, storedMemoJson, validMemoJson } from "./memoRepair";
import { memoFitsSchema } from "../../common/editor/memoSchemaFit";
import { HOSTILE_BASE as BASE } from "../testing/hostileStructures";

// Repairing memos stored before updates were checked: built from schema names in the wrong
// places (the structures issue 17 found, and random ones), each must come out as a document the
// editor shows without loss (memoFitsSchema: y-tiptap builds it without deleting anything, and its
// JSON passes the schema's check), with every character it held, in order, and with the valid
// blocks it had still the same Yjs items (so comment anchors survive).

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20261202;

function memoDoc(json: JSONContent = BASE): Y.Doc {
  const doc = new Y.Doc({ gc: false });
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(prosemirrorJSONToYDoc(memoSchema(), json, MEMO_FRAGMENT)));
  return doc;
}

const UNSTORABLE = /\u0000|\p{Cs}/gu;

/** Every character the memo's tree holds, in document order: texts (and what they embed), and strings in lists. */
function visibleText(doc: Y.Doc): string {
  const parts: string[] = [];
  const pending: unknown[] = [doc.getXmlFragment(MEMO_FRAGMENT)];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next === "string") parts.push(next.replace(UNSTORABLE, ""));
    else if (next instanceof Y.Text) {
      const inner: unknown[] = [];
      let run = "";
      for (let item = next._start; item; item = item.right) {
        if (item.deleted) continue;
        if (item.content instanceof Y.ContentString) run += item.content.str;
        else if (item.content instanceof Y.ContentType) {
          inner.push(run.replace(UNSTORABLE, ""), item.content.type);
          run = "";
        }
      }
      inner.push(run.replace(UNSTORABLE, ""));
      pending.push(...inner.reverse());
    } else if (next instanceof Y.XmlFragment) pending.push(...next.toArray().reverse());
  }
  return parts.join("");
}

/** The memo's Yjs types (elements and texts), for checking that they survive a repair. */
function typesOf(doc: Y.Doc): (Y.XmlFragment | Y.XmlText)[] {
  const types: (Y.XmlFragment | Y.XmlText)[] = [];
  const pending: (Y.XmlFragment | Y.XmlText)[] = [doc.getXmlFragment(MEMO_FRAGMENT)];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (next._item) types.push(next);
    if (next instanceof Y.XmlFragment)
      for (const child of next.toArray())
        if (child instanceof Y.XmlElement || child instanceof Y.XmlText) pending.push(child);
  }
  return types;
}

/** Repairs `doc` and checks what every repair must guarantee; returns the repair's update. */
function repairAndCheck(doc: Y.Doc): Uint8Array | null {
  const text = visibleText(doc);
  const updates: Uint8Array[] = [];
  doc.on("update", (update: Uint8Array) => updates.push(update));
  const result = repairMemoStructure(doc);
  expect(result.repaired).toBe(result.problems.length > 0);
  expect(findStructureProblems(doc)).toEqual([]);
  expect(memoFitsSchema(doc)).toBe(true);
  expect(visibleText(doc)).toBe(text);
  // A repaired memo needs no second repair.
  expect(repairMemoStructure(doc).repaired).toBe(false);
  return updates.length === 0 ? null : Y.mergeUpdates(updates);
}

const fragment = (doc: Y.Doc) => doc.getXmlFragment(MEMO_FRAGMENT);
const block = (doc: Y.Doc, index: number) => fragment(doc).get(index) as Y.XmlElement;
const textOf = (doc: Y.Doc, index: number) => block(doc, index).get(0) as Y.XmlText;
const element = (name: string, ...children: (Y.XmlElement | Y.XmlText)[]) => {
  const made = new Y.XmlElement(name);
  made.insert(0, children);
  return made;
};
const text = (value: string) => new Y.XmlText(value);

describe("repairing the structures found in issue 17", () => {
  it.each<[string, (doc: Y.Doc) => void]>([
    ["a paragraph inside a paragraph", (doc) => block(doc, 1).insert(1, [element("paragraph", text("inner words"))])],
    ["an element named text", (doc) => block(doc, 1).insert(0, [element("text", text("named text"))])],
    ["an XmlText directly under the root", (doc) => fragment(doc).insert(0, [text("loose words")])],
    [
      "a list item at the root",
      (doc) => fragment(doc).insert(2, [element("listItem", element("paragraph", text("stray item")))]),
    ],
    ["text directly in a quote", (doc) => block(doc, 3).insert(0, [text("bare quote")])],
    ["a heading of level 99", (doc) => block(doc, 0).setAttribute("level", 99 as never)],
    ["a heading level as a string", (doc) => block(doc, 0).setAttribute("level", "2")],
    ["an attribute of another node type", (doc) => block(doc, 1).setAttribute("level", 2 as never)],
    ["an unknown mark", (doc) => textOf(doc, 1).format(0, 3, { blink: {} })],
    ["a bold mark with attributes", (doc) => textOf(doc, 1).format(0, 3, { bold: { style: "x" } })],
    ["a javascript: link", (doc) => textOf(doc, 1).format(0, 3, { link: { href: "java\tscript:alert(1)" } })],
    ["a NUL character and lone surrogates", (doc) => textOf(doc, 1).insert(3, "a\u0000b\uD800c\uDC00d")],
    ["an empty list", (doc) => fragment(doc).insert(1, [new Y.XmlElement("bulletList")])],
    ["an empty quote", (doc) => fragment(doc).insert(1, [new Y.XmlElement("blockquote")])],
    [
      "a list item that does not start with a paragraph",
      (doc) =>
        block(doc, 2).insert(1, [
          element("listItem", element("blockquote", element("paragraph", text("quoted item")))),
        ]),
    ],
    [
      "an unknown wrapper",
      (doc) =>
        fragment(doc).insert(2, [
          element("section", text("first"), element("paragraph", text("second")), text("third")),
        ]),
    ],
    [
      "an element embedded in a text",
      (doc) => textOf(doc, 1).insertEmbed(4, element("paragraph", text("embedded")) as never),
    ],
    ["an attribute on a text", (doc) => textOf(doc, 1).setAttribute("level", 1 as never)],
    ["text inside a hard break", (doc) => block(doc, 1).insert(1, [element("hardBreak", text("broken"))])],
    ["a paragraph in a list", (doc) => block(doc, 2).insert(0, [element("paragraph", text("list paragraph"))])],
    ["a heading inside a heading", (doc) => block(doc, 0).insert(1, [element("heading", text("sub"))])],
    ["a memo without any block", (doc) => fragment(doc).delete(0, fragment(doc).length)],
    [
      "a nested doc element",
      (doc) => fragment(doc).insert(0, [element("doc", element("paragraph", text("nested doc")))]),
    ],
  ])("%s", (_name, spoil) => {
    const doc = memoDoc();
    const before = typesOf(doc);
    spoil(doc);
    const valid = before.filter((type) => !type._item!.deleted);
    expect(findStructureProblems(doc)).not.toEqual([]);
    repairAndCheck(doc);
    // The memo's own blocks are kept where they stand, with their Yjs items.
    for (const type of valid) expect(type._item!.deleted, "a valid block was replaced").toBe(false);
  });

  it("puts loose text in a paragraph, a stray list item in a list, and resets a heading level", () => {
    const doc = memoDoc();
    fragment(doc).insert(0, [text("loose words")]);
    fragment(doc).insert(2, [element("listItem", element("paragraph", text("stray item")))]);
    block(doc, 1).setAttribute("level", 99 as never);
    repairAndCheck(doc);
    const json = memoJsonFromYdoc(doc);
    expect(json.content?.[0]).toEqual({ type: "paragraph", content: [{ type: "text", text: "loose words" }] });
    expect(json.content?.[1]).toMatchObject({ type: "heading", attrs: { level: 1 } });
    expect(json.content?.[2]).toEqual({
      type: "bulletList",
      content: [
        { type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "stray item" }] }] },
      ],
    });
  });

  it("keeps the characters of a text around a removed NUL with their Yjs items", () => {
    const doc = memoDoc();
    textOf(doc, 0).insert(0, "\u0000");
    const heading = textOf(doc, 0);
    const firstItems = [];
    for (let item = textOf(doc, 1)._start; item; item = item.right) firstItems.push(item.id);
    repairAndCheck(doc);
    expect(textOf(doc, 0)).toBe(heading);
    expect(textOf(doc, 0).toString()).toBe("Talks resume");
    const after = [];
    for (let item = textOf(doc, 1)._start; item; item = item.right) after.push(item.id);
    expect(after).toEqual(firstItems);
  });

  it("leaves a valid memo untouched: one pass, no update", () => {
    const doc = memoDoc();
    let updates = 0;
    doc.on("update", () => updates++);
    expect(repairMemoStructure(doc)).toEqual({ repaired: false, problems: [], collected: false });
    expect(updates).toBe(0);
  });

  it("gives exports a valid body without changing the memo", () => {
    const doc = memoDoc();
    fragment(doc).insert(0, [text("loose words")]);
    const state = Y.encodeStateAsUpdate(doc);
    const json = validMemoJson(doc);
    expect(memoSchema().nodeFromJSON(json).check()).toBeUndefined();
    expect(Y.encodeStateAsUpdate(doc)).toEqual(state);
    expect(memoFitsSchema(doc)).toBe(false);
  });

  it("derives stored copies from the memo as it is when the schema can read it, else as repaired", () => {
    const doc = memoDoc();
    block(doc, 1).insert(1, [element("paragraph", text("inner words"))]);
    expect(storedMemoJson(doc)).toEqual(memoJsonFromYdoc(doc));
    block(doc, 1).insert(0, [element("section", text("unknown"))]);
    expect(memoSchema().nodeFromJSON(storedMemoJson(doc)).check()).toBeUndefined();
  });
});

describe("deep nesting", () => {
  /** A list nested `levels` deep, each item with a paragraph (every 1,000th one with words), built top-down so Yjs does not recurse. */
  function deeplyNested(levels: number): Y.Doc {
    const doc = memoDoc();
    doc.transact(() => {
      let at: Y.XmlElement | Y.XmlFragment = fragment(doc);
      for (let level = 0; level < levels; level++) {
        const list = new Y.XmlElement("bulletList");
        at.insert(at.length, [list]);
        const item = new Y.XmlElement("listItem");
        list.insert(0, [item]);
        item.insert(0, [element("paragraph", ...(level % 1000 === 0 ? [text(`level ${level}`)] : []))]);
        at = item;
      }
    });
    return doc;
  }

  it("flattens a list nested 10,000 deep without overflowing the stack, and the result loads anywhere", () => {
    const doc = deeplyNested(10_000);
    const update = repairAndCheck(doc);
    expect(update).not.toBeNull();
    expect(visibleText(doc)).toContain("level 9000");
    // The deletion of so tall a subtree is garbage-collected: browsers (gc on) and the server
    // (gc off) load the repaired state without recursing through it.
    for (const gc of [true, false]) {
      const replica = new Y.Doc({ gc });
      Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
      expect(memoFitsSchema(replica)).toBe(true);
      expect(visibleText(replica)).toBe(visibleText(doc));
    }
  });

  it("keeps the levels a memo may have and flattens only the ones past MAX_DEPTH", () => {
    const doc = deeplyNested(MAX_DEPTH);
    const result = repairMemoStructure(doc);
    expect(result.problems).toEqual(["content nested too deeply"]);
    expect(result.collected).toBe(false);
    expect(memoFitsSchema(doc)).toBe(true);
    let depth = 0;
    for (let node: JSONContent | undefined = memoJsonFromYdoc(doc).content?.at(-1); node; node = node.content?.at(-1))
      depth++;
    expect(depth).toBeGreaterThan(MAX_DEPTH - 3);
    expect(depth).toBeLessThanOrEqual(MAX_DEPTH);
  });
});

// ── Random structures from schema names in wrong places ──────────────────────────────────────

type Spec =
  | { kind: "text"; value: string; marks?: Record<string, unknown> }
  | { kind: "element"; name: string; attrs: Record<string, unknown>; children: Spec[] };

const NAMES = [...Object.keys(memoSchema().nodes), "section", "span"];
const words = fc.constantFrom("talks", "ministry", "قرار", "résumé", "😀", " ", "a\u0000b", "\uD800", "x\uDFFFy");
const textSpec: fc.Arbitrary<Spec> = fc
  .tuple(
    fc.array(words, { minLength: 1, maxLength: 3 }),
    fc.constantFrom<Record<string, unknown> | undefined>(
      undefined,
      { bold: {} },
      { blink: {} },
      { link: { href: "https://example.org" } },
      { link: { href: "javascript:x" } },
    ),
  )
  .map(([parts, marks]) => ({ kind: "text", value: parts.join(""), marks }));
const attrs = fc.constantFrom<Record<string, unknown>>(
  {},
  {},
  { level: 2 },
  { level: 99 },
  { start: 3 },
  { colour: "red" },
);
const { spec } = fc.letrec<{ spec: Spec }>((tie) => ({
  spec: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    textSpec,
    fc
      .tuple(fc.constantFrom(...NAMES), attrs, fc.array(tie("spec"), { maxLength: 3 }))
      .map(([name, attributes, children]) => ({ kind: "element", name, attrs: attributes, children }) as Spec),
  ),
}));

/** Builds the specs into `parent` at `index`, top-down (each type integrated before its content). */
function build(doc: Y.Doc, parent: Y.XmlFragment, index: number, specs: Spec[]): void {
  doc.transact(() => {
    const pending: { parent: Y.XmlFragment; index: number; spec: Spec }[] = specs.map((s, i) => ({
      parent,
      index: index + i,
      spec: s,
    }));
    for (const { parent: into, index: at, spec: s } of pending) {
      if (s.kind === "text") {
        const made = new Y.XmlText();
        into.insert(Math.min(at, into.length), [made]);
        made.insert(0, s.value, s.marks);
      } else {
        const made = new Y.XmlElement(s.name);
        into.insert(Math.min(at, into.length), [made]);
        for (const [name, value] of Object.entries(s.attrs)) made.setAttribute(name, value as string);
        s.children.forEach((child, i) => pending.push({ parent: made, index: i, spec: child }));
      }
    }
  });
}

describe("random structures", () => {
  it("every structure built from schema names, anywhere in a memo, is repaired without losing a character", () => {
    const targets = [
      (doc: Y.Doc) => fragment(doc),
      (doc: Y.Doc) => block(doc, 1),
      (doc: Y.Doc) => block(doc, 2),
      (doc: Y.Doc) => block(doc, 2).get(0) as Y.XmlElement,
      (doc: Y.Doc) => block(doc, 3),
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...targets),
        fc.array(spec, { minLength: 1, maxLength: 4 }),
        fc.nat(3),
        (target, specs, index) => {
          const doc = memoDoc();
          const before = typesOf(doc);
          build(doc, target(doc), index, specs);
          repairAndCheck(doc);
          for (const type of before) expect(type._item!.deleted, "a valid block was replaced").toBe(false);
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it("finds no problem in memos the editor writes", () => {
    const inline = fc.array(
      fc.oneof(
        {
          weight: 4,
          arbitrary: fc
            .tuple(
              fc.constantFrom("talks", "قرار", "😀", " x "),
              fc.subarray([
                { type: "bold" },
                { type: "italic" },
                { type: "underline" },
                { type: "link", attrs: { href: "https://example.org/a" } },
              ]),
            )
            .map(([t, marks]) => ({ type: "text", text: t, ...(marks.length ? { marks } : {}) })),
        },
        { weight: 1, arbitrary: fc.constant({ type: "hardBreak" }) },
      ),
      { maxLength: 3 },
    );
    const paragraph = inline.map((content) => ({ type: "paragraph", ...(content.length ? { content } : {}) }));
    const heading = fc
      .tuple(fc.constantFrom(1, 2, 3), inline)
      .map(([level, content]) => ({ type: "heading", attrs: { level }, ...(content.length ? { content } : {}) }));
    const { blockNode } = fc.letrec<{ blockNode: JSONContent; item: JSONContent }>((tie) => ({
      blockNode: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        paragraph,
        heading,
        fc
          .tuple(fc.constantFrom("bulletList", "orderedList"), fc.array(tie("item"), { minLength: 1, maxLength: 2 }))
          .map(([type, content]) => ({ type, content })),
        tie("blockNode").map((inner) => ({ type: "blockquote", content: [inner] })),
      ),
      item: fc
        .tuple(paragraph, fc.array(tie("blockNode"), { maxLength: 2 }))
        .map(([first, rest]) => ({ type: "listItem", content: [first, ...rest] })),
    }));
    const depthOf = (json: JSONContent): number =>
      1 + Math.max(0, ...(json.content ?? []).filter((child) => child.type !== "text").map(depthOf));
    fc.assert(
      fc.property(fc.array(blockNode, { minLength: 1, maxLength: 4 }), (content) => {
        const json = { type: "doc", content };
        if (depthOf(json) - 1 > MAX_DEPTH) return;
        expect(findStructureProblems(memoDoc(json))).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
