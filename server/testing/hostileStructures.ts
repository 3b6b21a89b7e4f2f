import fc from "fast-check";
import * as Y from "yjs";
import { memoSchema, type JSONContent } from "../../common/editor/memoDocument";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { memoFitsSchema } from "../../common/editor/memoSchemaFit";

// Updates built from the memo schema's names in the wrong places, for tests of the update check:
// every node name, empty, holding text or holding a paragraph, or bare text, inserted into each
// kind of container of a memo shaped like HOSTILE_BASE (a heading, a paragraph, a list, a quote).

/** A memo with one container of each kind: the indexes HOSTILE_TARGETS use. */
export const HOSTILE_BASE: JSONContent = {
  type: "doc",
  content: [
    { type: "heading", attrs: { level: 1 }, content: [{ type: "text", text: "Talks resume" }] },
    { type: "paragraph", content: [{ type: "text", text: "The delegation arrives on Monday." }] },
    {
      type: "bulletList",
      content: [{ type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "Trade" }] }] }],
    },
    { type: "blockquote", content: [{ type: "paragraph", content: [{ type: "text", text: "Quoted." }] }] },
  ],
};

/**
 * The oracle of the structure tests: whether the memo converts to a document of the schema, as
 * the browser converts it (nothing deleted, nothing dropped) and as the exports read it.
 */
export const fitsSchema = memoFitsSchema;

/** The paragraph's text at a top-level index of the memo. */
export const paragraphText = (doc: Y.Doc, index: number) =>
  (doc.getXmlFragment(MEMO_FRAGMENT).get(index) as Y.XmlElement).get(0) as Y.XmlText;

const NODE_NAMES = Object.keys(memoSchema().nodes);

/** The containers of a memo shaped like HOSTILE_BASE a hostile client can write into. */
export const HOSTILE_TARGETS: { name: string; at: (doc: Y.Doc) => Y.XmlFragment | Y.XmlElement | Y.XmlText }[] = [
  { name: "the root", at: (doc) => doc.getXmlFragment(MEMO_FRAGMENT) },
  { name: "a heading", at: (doc) => doc.getXmlFragment(MEMO_FRAGMENT).get(0) as Y.XmlElement },
  { name: "a paragraph", at: (doc) => doc.getXmlFragment(MEMO_FRAGMENT).get(1) as Y.XmlElement },
  { name: "a paragraph's text", at: (doc) => paragraphText(doc, 1) },
  { name: "a list", at: (doc) => doc.getXmlFragment(MEMO_FRAGMENT).get(2) as Y.XmlElement },
  {
    name: "a list item",
    at: (doc) => (doc.getXmlFragment(MEMO_FRAGMENT).get(2) as Y.XmlElement).get(0) as Y.XmlElement,
  },
  { name: "a quote", at: (doc) => doc.getXmlFragment(MEMO_FRAGMENT).get(3) as Y.XmlElement },
];

export type Child = { describe: string; make: () => Y.XmlElement | Y.XmlText | string };
export const hostileChild: fc.Arbitrary<Child> = fc.oneof(
  fc.constantFrom(...NODE_NAMES).map((name) => ({
    describe: `an empty ${name}`,
    make: () => new Y.XmlElement(name),
  })),
  fc.constantFrom(...NODE_NAMES).map((name) => ({
    describe: `a ${name} holding text`,
    make: () => {
      const element = new Y.XmlElement(name);
      element.insert(0, [new Y.XmlText("evil")]);
      return element;
    },
  })),
  fc.constantFrom(...NODE_NAMES).map((name) => ({
    describe: `a ${name} holding a paragraph`,
    make: () => {
      const element = new Y.XmlElement(name);
      const inner = new Y.XmlElement("paragraph");
      inner.insert(0, [new Y.XmlText("evil")]);
      element.insert(0, [inner]);
      return element;
    },
  })),
  fc.constant({ describe: "bare text", make: () => new Y.XmlText("evil") }),
  fc.constant({ describe: "a string", make: () => "evil" }),
);

export function insertInto(
  target: Y.XmlFragment | Y.XmlElement | Y.XmlText,
  index: number,
  made: Y.XmlElement | Y.XmlText | string,
): void {
  if (target instanceof Y.XmlText) {
    if (typeof made === "string") target.insert(Math.min(index, target.length), made);
    else target.insertEmbed(Math.min(index, target.length), made as never);
  } else {
    const at = Math.min(index, target.length);
    if (typeof made === "string") (target as unknown as Y.XmlElement).insert(at, [new Y.XmlText(made)]);
    else target.insert(at, [made]);
  }
}
