import { describe, expect, it } from "vitest";
import type { JSONContent } from "../../common/editor/memoDocument";
import { memoSections, SECTION_CHARS } from "./memoSections";

const text = (value: string): JSONContent => ({ type: "text", text: value });
const paragraph = (value: string): JSONContent => ({ type: "paragraph", content: value ? [text(value)] : [] });
const heading = (value: string): JSONContent => ({ type: "heading", attrs: { level: 2 }, content: [text(value)] });
const doc = (...content: JSONContent[]): JSONContent => ({ type: "doc", content });

describe("memoSections", () => {
  it("starts a section at each top-level heading, and keeps what comes before the first one", () => {
    const sections = memoSections(
      doc(
        paragraph("Prepared for the minister."),
        heading("Summary"),
        paragraph("Exports fell."),
        { type: "bulletList", content: [{ type: "listItem", content: [paragraph("Grain"), paragraph("Steel")] }] },
        heading("Options"),
        paragraph(""),
        heading("Annex"),
      ),
    );
    expect(sections).toEqual([
      { ordinal: 0, blockIndex: 0, heading: "", text: "Prepared for the minister." },
      { ordinal: 1, blockIndex: 1, heading: "Summary", text: "Exports fell.\nGrain\nSteel" },
      { ordinal: 2, blockIndex: 4, heading: "Options", text: "" },
      { ordinal: 3, blockIndex: 6, heading: "Annex", text: "" },
    ]);
  });

  it("runs inline text together and breaks lines at hard breaks", () => {
    const [section] = memoSections(
      doc({
        type: "paragraph",
        content: [text("Sanc"), { ...text("tions"), marks: [{ type: "bold" }] }, { type: "hardBreak" }, text("relief")],
      }),
    );
    expect(section.text).toBe("Sanctions\nrelief");
  });

  it("cuts a long stretch into parts at block boundaries, each pointing at its own first block", () => {
    const block = "x".repeat(700);
    const sections = memoSections(doc(heading("Background"), ...Array.from({ length: 10 }, () => paragraph(block))));
    expect(sections.length).toBeGreaterThan(2);
    expect(sections.every((section) => section.heading === "Background")).toBe(true);
    expect(sections.every((section) => section.text.length <= SECTION_CHARS + block.length + 1)).toBe(true);
    expect(sections.map((section) => section.blockIndex)).toEqual([...new Set(sections.map((s) => s.blockIndex))]);
    expect(sections.map((section) => section.text).join("\n")).toBe(Array(10).fill(block).join("\n"));
  });

  it("cuts one long block too, at spaces, so no section nears PostgreSQL's limits", () => {
    const words = Array.from({ length: 60_000 }, (_, i) => `word${i}`).join(" ");
    const sections = memoSections(doc(paragraph(words)));
    expect(sections.length).toBeGreaterThan(100);
    expect(Math.max(...sections.map((section) => section.text.length))).toBeLessThanOrEqual(SECTION_CHARS);
    expect(sections.every((section) => section.blockIndex === 0)).toBe(true);
    expect(sections.map((section) => section.text).join(" ")).toBe(words);
    // Without spaces, at the limit.
    expect(memoSections(doc(paragraph("x".repeat(SECTION_CHARS * 3 + 5)))).map((s) => s.text.length)).toEqual([
      SECTION_CHARS,
      SECTION_CHARS,
      SECTION_CHARS,
      5,
    ]);
  });

  it("has nothing to index in an empty memo", () => {
    expect(memoSections(doc(paragraph("")))).toEqual([]);
    expect(memoSections({ type: "doc" })).toEqual([]);
  });
});
