import { describe, expect, it } from "vitest";
import { memoNodeFromJson } from "../editor/memoDocument";
import { findUniquePassage, passageOfSelection, passageText, textIndex } from "./passageText";

const doc = memoNodeFromJson({
  type: "doc",
  content: [
    { type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: "Key judgements" }] },
    {
      type: "paragraph",
      content: [
        { type: "text", text: "Talks " },
        { type: "text", text: "resume", marks: [{ type: "bold" }] },
        { type: "text", text: " on Monday." },
      ],
    },
    {
      type: "bulletList",
      content: [
        {
          type: "listItem",
          content: [
            {
              type: "paragraph",
              content: [{ type: "text", text: "First" }, { type: "hardBreak" }, { type: "text", text: "line two" }],
            },
          ],
        },
      ],
    },
  ],
});

describe("passage text", () => {
  it("reads blocks separated by a new line, across marks, with hard breaks as new lines", () => {
    expect(textIndex(doc).text).toBe("Key judgements\nTalks resume on Monday.\nFirst\nline two");
  });

  it("cuts the passage of a selection, trimmed of white space at both ends", () => {
    const found = findUniquePassage(doc, "resume on")!;
    expect(passageText(doc, found.from, found.to)).toBe("resume on");
    expect(passageOfSelection(doc, found.from - 1, found.to + 1)).toEqual({ ...found, quote: "resume on" });
    expect(passageOfSelection(doc, found.from - 1, found.from)).toBeNull();
  });

  it("crosses blocks, and finds a quote only when it occurs exactly once", () => {
    const across = findUniquePassage(doc, "Monday.\nFirst")!;
    expect(passageText(doc, across.from, across.to)).toBe("Monday.\nFirst");
    expect(findUniquePassage(doc, "o")).toBeNull();
    expect(findUniquePassage(doc, "absent")).toBeNull();
    expect(findUniquePassage(doc, "")).toBeNull();
  });
});
