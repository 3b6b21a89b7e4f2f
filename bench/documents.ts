import * as Y from "yjs";
import type { JSONContent } from "../common/editor/memoDocument";
import { ydocFromMemoJson } from "../common/editor/memoDocument";
import { seededRandom } from "./stats";

// The documents of the benchmark, generated deterministically (seeded), so every server gets the
// same ones in every run.

/** The paragraph every benchmark memo starts with. */
export const OPENING_LINE = "Opening line of the benchmark memo.";

const WORDS = (
  "the ministry embassy delegation council security trade talks agreement border region policy analysts " +
  "recommend that government should consider options risks economic sanctions treaty negotiations partners " +
  "in of and to a for with on by from regional stability cooperation framework strategic dialogue"
).split(" ");

/** A memo body with about `bytes` of text: headings every ten paragraphs of about 600 characters. */
export function largeMemoJson(bytes: number, seed = 42): JSONContent {
  const random = seededRandom(seed);
  const content: JSONContent[] = [];
  let total = 0;
  for (let index = 0; total < bytes; index++) {
    if (index % 10 === 0) {
      const heading = `Section ${index / 10 + 1}: ${WORDS[Math.floor(random() * WORDS.length)]}`;
      content.push({ type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: heading }] });
      total += heading.length;
    }
    const words: string[] = [];
    let length = 0;
    while (length < 600) {
      const word = WORDS[Math.floor(random() * WORDS.length)];
      words.push(word);
      length += word.length + 1;
    }
    const text = `${words.join(" ")}.`;
    content.push({ type: "paragraph", content: [{ type: "text", text }] });
    total += text.length;
  }
  return { type: "doc", content };
}

/** The same memo as one Yjs update, as our importer would build it. */
export function largeMemoUpdate(bytes: number): Uint8Array {
  const doc = ydocFromMemoJson(largeMemoJson(bytes));
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}
