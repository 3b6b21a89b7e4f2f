import { describe, expect, it } from "vitest";
import { importSourceText } from "../import/importSourceText";
import { changedSections, diffTexts, sectionsOf } from "./versionDiff";

describe("diffTexts", () => {
  it("marks added and removed words, with counts and positions", () => {
    const diff = diffTexts("The minister will attend the summit.", "The deputy minister will not attend the summit.");
    expect(diff.parts.filter((part) => part.kind !== "same").map((part) => [part.kind, part.text])).toEqual([
      ["added", "deputy "],
      ["added", "not "],
    ]);
    expect(diff.wordsAdded).toBe(2);
    expect(diff.wordsRemoved).toBe(0);
    const after = "The deputy minister will not attend the summit.";
    for (const part of diff.parts.filter((p) => p.kind !== "removed"))
      expect(after.slice(part.start, part.start + part.text.length)).toBe(part.text);
  });

  it("rebuilds both texts from its parts", () => {
    const before = "Islamabad’s view — stated in May — is firm.\n\nSecond block.";
    const after = "Islamabad’s view — restated in June — is firm.\n\nSecond block, longer.";
    const diff = diffTexts(before, after);
    expect(
      diff.parts
        .filter((p) => p.kind !== "added")
        .map((p) => p.text)
        .join(""),
    ).toBe(before);
    expect(
      diff.parts
        .filter((p) => p.kind !== "removed")
        .map((p) => p.text)
        .join(""),
    ).toBe(after);
    // "stated", "May" out; "restated", "June", "longer" in.
    expect(diff.wordsRemoved).toBe(2);
    expect(diff.wordsAdded).toBe(3);
  });

  it("finds nothing to mark in identical texts", () => {
    const diff = diffTexts("Same text.", "Same text.");
    expect(diff.parts.every((part) => part.kind === "same")).toBe(true);
    expect(diff.wordsAdded + diff.wordsRemoved).toBe(0);
  });
});

describe("changedSections", () => {
  const before = importSourceText(
    "Opening line.\nBackground\nFacts here.\nAssessment\nOur view.\nNext steps\nCall them.",
  );
  it("names the sections whose text changed, was added or removed", () => {
    const after = importSourceText(
      "Opening line.\nBackground\nFacts here, updated.\nAssessment\nOur view.\nRecommendations\nAct now.",
    );
    expect(changedSections(before, after)).toEqual(["Background", "Recommendations", "Next steps"]);
  });
  it("splits a memo into its sections", () => {
    expect([...sectionsOf(before).keys()]).toEqual(["Opening", "Background", "Assessment", "Next steps"]);
  });
});
