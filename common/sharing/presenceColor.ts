// Each person gets a stable colour for their caret, selection and avatar, derived from their id,
// from a palette with enough contrast on white.
const PALETTE = [
  "#1f6feb",
  "#c2410c",
  "#15803d",
  "#9333ea",
  "#be123c",
  "#0e7490",
  "#a16207",
  "#4338ca",
  "#b45309",
  "#047857",
];

/** The presence colour of a user. */
export function presenceColor(userId: string): string {
  let hash = 0;
  for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length];
}
