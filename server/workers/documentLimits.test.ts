import { describe, expect, it } from "vitest";
import type { JSONContent } from "../../common/editor/memoDocument";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { flatListDoc, nestedListDoc } from "../testing/largeMemos";
import { exceededLimit, MAX_BLOCKS, MAX_NESTING, measureMemoFragment, measureMemoJson } from "./documentLimits";

/** `depth` nested bullet lists as Tiptap JSON, built without recursion. */
function nestedJson(depth: number): JSONContent {
  const doc: JSONContent = { type: "doc", content: [] };
  let parent = doc;
  for (let level = 0; level < depth; level++) {
    const item: JSONContent = {
      type: "listItem",
      content: [{ type: "paragraph", content: [{ type: "text", text: "x" }] }],
    };
    parent.content!.push({ type: "bulletList", content: [item] });
    parent = item;
  }
  return doc;
}

describe("document limits", () => {
  it("measures nesting in JSON and in a Yjs fragment alike", () => {
    expect(measureMemoJson(nestedJson(3))).toEqual({ nesting: 3, blocks: 9, inline: 3 });
    expect(measureMemoFragment(nestedListDoc(3).getXmlFragment(MEMO_FRAGMENT))).toEqual({
      nesting: 3,
      blocks: 9,
      inline: 3,
    });
  });

  it("accepts the deepest allowed nesting and refuses one level more", () => {
    expect(exceededLimit(measureMemoJson(nestedJson(MAX_NESTING)))).toBeNull();
    expect(exceededLimit(measureMemoJson(nestedJson(MAX_NESTING + 1)))).toEqual({ limit: "nesting", max: MAX_NESTING });
    expect(exceededLimit(measureMemoFragment(nestedListDoc(MAX_NESTING + 1).getXmlFragment(MEMO_FRAGMENT)))).toEqual({
      limit: "nesting",
      max: MAX_NESTING,
    });
  });

  it("measures 100,000 nested lists without overflowing the stack, and stops at the first limit", () => {
    const shape = measureMemoJson(nestedJson(100_000));
    expect(exceededLimit(shape)?.limit).toBe("nesting");
    // It stopped early: far fewer blocks counted than the 300,000 there are.
    expect(shape.blocks).toBeLessThan(100);
    expect(exceededLimit(measureMemoFragment(nestedListDoc(20_000).getXmlFragment(MEMO_FRAGMENT)))?.limit).toBe(
      "nesting",
    );
  });

  it("counts blocks up to the limit", () => {
    const shape = measureMemoFragment(flatListDoc(10_000).getXmlFragment(MEMO_FRAGMENT));
    expect(shape).toEqual({ nesting: 1, blocks: 20_001, inline: 10_000 });
    expect(exceededLimit({ nesting: 0, blocks: MAX_BLOCKS + 1, inline: 0 })).toEqual({
      limit: "blocks",
      max: MAX_BLOCKS,
    });
  });
});
