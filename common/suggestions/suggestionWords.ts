import type { SuggestionSummary } from "./suggestionRanges";

// How a suggestion is told in words, in the review sidebar and the exports' summaries:
// "Replace “sobering” with “stark”", "Insert “new”", "Delete “very”", "Split the paragraph".

const QUOTE_CHARS = 60;

function quoted(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return `“${flat.length > QUOTE_CHARS ? `${flat.slice(0, QUOTE_CHARS - 1)}…` : flat}”`;
}

/** What the suggestion would do, as a short sentence. */
export function describeSuggestion(
  summary: Pick<SuggestionSummary, "inserted" | "deleted" | "splits" | "joins">,
): string {
  const inserted = summary.inserted.trim() !== "";
  const deleted = summary.deleted.trim() !== "";
  if (inserted && deleted) return `Replace ${quoted(summary.deleted)} with ${quoted(summary.inserted)}`;
  if (inserted) return `Insert ${quoted(summary.inserted)}${summary.splits ? " in a new paragraph" : ""}`;
  if (deleted) return `Delete ${quoted(summary.deleted)}${summary.joins ? " and join the paragraphs" : ""}`;
  if (summary.splits) return "Start a new paragraph";
  if (summary.joins) return "Join the paragraphs";
  if (summary.inserted !== "") return "Insert a space";
  return "Delete a space";
}
