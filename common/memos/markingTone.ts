// The colour family of a classification or handling marking, after the usual banner conventions
// (green unclassified, blue confidential, red secret, orange top secret). Shared by the editor banner
// and the exports so both show a marking the same way.

/** How a marking is coloured. */
export type MarkingTone = "unclassified" | "confidential" | "secret" | "top-secret" | "other";

/** The tone of a marking, from its words ("UNCLASSIFIED // FOUO" is unclassified). */
export function markingTone(marking: string): MarkingTone {
  const words = marking.toUpperCase();
  if (/\bUNCLASSIFIED\b/u.test(words)) return "unclassified";
  if (/\bTOP SECRET\b/u.test(words)) return "top-secret";
  if (/\bSECRET\b/u.test(words)) return "secret";
  if (/\bCONFIDENTIAL\b/u.test(words)) return "confidential";
  return "other";
}

/** Print colour of each tone (dark enough for body-size text on white). */
export const MARKING_COLORS: Record<MarkingTone, string> = {
  unclassified: "#1d6b35",
  confidential: "#1f4e9c",
  secret: "#b3261e",
  "top-secret": "#b35900",
  other: "#3b3f45",
};
