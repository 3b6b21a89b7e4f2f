import { diffWordsWithSpace } from "diff";
import type { JSONContent } from "../../common/editor/memoDocument";
import { countWords } from "./versionContent";

// Word-level comparison of two versions (jsdiff), and which sections of the memo changed.

/** A run of text that both versions share, or that one of them adds or removes. */
export type DiffPart = {
  kind: "same" | "added" | "removed";
  text: string;
  /** Where the run starts in the newer text (same, added) or in the older one (removed). */
  start: number;
};

export type TextDiff = { parts: DiffPart[]; wordsAdded: number; wordsRemoved: number };

/** Compares two plain texts word by word (whitespace and punctuation kept as they are). */
export function diffTexts(before: string, after: string): TextDiff {
  const parts: DiffPart[] = [];
  let inBefore = 0;
  let inAfter = 0;
  let wordsAdded = 0;
  let wordsRemoved = 0;
  for (const change of diffWordsWithSpace(before, after)) {
    if (change.added) {
      parts.push({ kind: "added", text: change.value, start: inAfter });
      inAfter += change.value.length;
      wordsAdded += countWords(change.value);
    } else if (change.removed) {
      parts.push({ kind: "removed", text: change.value, start: inBefore });
      inBefore += change.value.length;
      wordsRemoved += countWords(change.value);
    } else {
      parts.push({ kind: "same", text: change.value, start: inAfter });
      inBefore += change.value.length;
      inAfter += change.value.length;
    }
  }
  return { parts, wordsAdded, wordsRemoved };
}

const textOf = (node: JSONContent): string => node.text ?? (node.content ?? []).map(textOf).join(" ");

/** The memo split into sections: the text under each heading (the opening has no heading). */
export function sectionsOf(doc: JSONContent): Map<string, string> {
  const sections = new Map<string, string>();
  let current = "Opening";
  let body: string[] = [];
  const close = () => {
    const previous = sections.get(current);
    sections.set(current, previous === undefined ? body.join("\n") : `${previous}\n${body.join("\n")}`);
  };
  for (const block of doc.content ?? []) {
    if (block.type === "heading") {
      close();
      current = textOf(block).trim() || "(Untitled section)";
      body = [];
    } else {
      body.push(textOf(block));
    }
  }
  close();
  if (sections.get("Opening") === "") sections.delete("Opening");
  return sections;
}

/** Names of the sections that were added, removed or changed between two versions. */
export function changedSections(before: JSONContent, after: JSONContent): string[] {
  const a = sectionsOf(before);
  const b = sectionsOf(after);
  const names = [...new Set([...b.keys(), ...a.keys()])];
  return names.filter((name) => a.get(name) !== b.get(name));
}
