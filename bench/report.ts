import { SERVER_KINDS, type ServerId } from "./serverKinds";
import type { Spread } from "./stats";

// Turns per-run figures into the results table: per figure and server the median over repetitions
// with its range, ours divided by the best anchor, and the target when there is one.

/** A target of issue #8: ours ≤ limit × best anchor (ratio), or ours < limit (absolute). */
export type Target = { kind: "ratio" | "absolute"; limit: number };

/** One line of the table. Lower is better for every figure. */
export type FigureRow = {
  section: string;
  figure: string;
  unit: string;
  values: Partial<Record<ServerId, Spread>>;
  /** Shown instead of numbers (e.g. "3/3 converged"). */
  notes?: Partial<Record<ServerId, string>>;
  target?: Target;
  /** False for context figures (deliveries, harness and machine load), which get no ratio. */
  compare?: boolean;
};

/** A row with its comparison worked out. */
export type EvaluatedRow = FigureRow & {
  /** Ours (with PostgreSQL) ÷ the best anchor with persistence on, the basis of the targets. */
  ratioPersistent?: number;
  /** Ours ÷ the best anchor of all, in memory or not. */
  ratioAll?: number;
  met?: boolean;
};

function best(row: FigureRow, include: (id: ServerId) => boolean): number | undefined {
  const medians = (Object.entries(row.values) as [ServerId, Spread][])
    .filter(([id, value]) => SERVER_KINDS[id].anchor && include(id) && Number.isFinite(value.median))
    .map(([, value]) => value.median);
  return medians.length > 0 ? Math.min(...medians) : undefined;
}

/** Works out ratios and whether the target is met (comparing our server with PostgreSQL). */
export function evaluateRow(row: FigureRow): EvaluatedRow {
  const ours = row.values.ours?.median;
  if (row.compare === false || ours === undefined || !Number.isFinite(ours)) return { ...row };
  const bestPersistent = best(row, (id) => SERVER_KINDS[id].persistent);
  const bestAll = best(row, () => true);
  const evaluated: EvaluatedRow = {
    ...row,
    ratioPersistent: bestPersistent ? ours / bestPersistent : undefined,
    ratioAll: bestAll ? ours / bestAll : undefined,
  };
  if (row.target?.kind === "absolute") evaluated.met = ours < row.target.limit;
  if (row.target?.kind === "ratio" && evaluated.ratioPersistent !== undefined)
    evaluated.met = evaluated.ratioPersistent <= row.target.limit;
  return evaluated;
}

/** 3 significant figures, without exponent notation. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return "–";
  const magnitude = Math.abs(value);
  const decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3;
  return value.toFixed(decimals);
}

/** "median [min–max]" (just the median when there was one repetition). */
export function formatSpread(value: Spread | undefined): string {
  if (!value || value.n === 0) return "–";
  if (value.n === 1 || value.min === value.max) return formatNumber(value.median);
  return `${formatNumber(value.median)} [${formatNumber(value.min)}–${formatNumber(value.max)}]`;
}

function formatTarget(target: Target | undefined): string {
  if (!target) return "";
  return target.kind === "ratio" ? `≤ ${target.limit}×` : `< ${target.limit}`;
}

function cells(row: EvaluatedRow, servers: ServerId[]): string[] {
  return [
    `${row.figure} (${row.unit})`,
    ...servers.map((id) => row.notes?.[id] ?? formatSpread(row.values[id])),
    row.ratioPersistent === undefined ? "" : `${row.ratioPersistent.toFixed(2)}×`,
    row.ratioAll === undefined ? "" : `${row.ratioAll.toFixed(2)}×`,
    formatTarget(row.target),
    row.met === undefined ? "" : row.met ? "met" : "MISSED",
  ];
}

const HEADINGS = ["ours ÷ best persistent", "ours ÷ best any", "target", ""];

/** The table for the terminal, one section after another. */
export function renderTerminalTable(rows: EvaluatedRow[], servers: ServerId[]): string {
  const header = ["figure", ...servers.map((id) => SERVER_KINDS[id].label), ...HEADINGS];
  const body = rows.map((row) => cells(row, servers));
  const widths = header.map((heading, column) => Math.max(heading.length, ...body.map((line) => line[column].length)));
  const line = (values: string[]) =>
    values
      .map((value, column) => (column === 0 ? value.padEnd(widths[column]) : value.padStart(widths[column])))
      .join("  ");
  const output: string[] = [line(header), widths.map((width) => "─".repeat(width)).join("  ")];
  let section = "";
  rows.forEach((row, index) => {
    if (row.section !== section) {
      section = row.section;
      output.push(`${section}:`);
    }
    output.push(line(body[index]));
  });
  return output.join("\n");
}

/** The same table in Markdown, for bench/README.md. */
export function renderMarkdownTable(rows: EvaluatedRow[], servers: ServerId[]): string {
  const header = ["figure", ...servers.map((id) => SERVER_KINDS[id].label), ...HEADINGS.slice(0, 3), "met?"];
  const output = [
    `| ${header.join(" | ")} |`,
    `|${header.map((_, index) => (index === 0 ? "---" : "---:")).join("|")}|`,
  ];
  let section = "";
  for (const row of rows) {
    if (row.section !== section) {
      section = row.section;
      output.push(`| **${section}** |${" |".repeat(header.length - 1)}`);
    }
    output.push(`| ${cells(row, servers).join(" | ")} |`);
  }
  return output.join("\n");
}

/** A line of the two-column comparison of issue #9 (one instance, two instances), lower is better. */
export type ComparisonRow = {
  figure: string;
  unit: string;
  one?: Spread;
  two?: Spread;
  oneNote?: string;
  twoNote?: string;
  compare?: boolean;
};

export const COMPARISON_HEADER = ["figure", "one instance", "two instances + Redis", "two ÷ one"];

/** The cells of a comparison row; the ratio divides the medians. */
export function comparisonCells(row: ComparisonRow): string[] {
  const ratio =
    row.compare !== false &&
    row.one &&
    row.two &&
    Number.isFinite(row.one.median) &&
    Number.isFinite(row.two.median) &&
    row.one.median > 0
      ? `${(row.two.median / row.one.median).toFixed(2)}×`
      : "";
  return [
    row.unit ? `${row.figure} (${row.unit})` : row.figure,
    row.oneNote ?? formatSpread(row.one),
    row.twoNote ?? formatSpread(row.two),
    ratio,
  ];
}

/** The comparison as a terminal table or in Markdown. */
export function renderComparison(rows: ComparisonRow[], format: "terminal" | "markdown"): string {
  const body = rows.map(comparisonCells);
  if (format === "markdown") {
    return [
      `| ${COMPARISON_HEADER.join(" | ")} |`,
      `|${COMPARISON_HEADER.map((_, index) => (index === 0 ? "---" : "---:")).join("|")}|`,
      ...body.map((cells) => `| ${cells.join(" | ")} |`),
    ].join("\n");
  }
  const widths = COMPARISON_HEADER.map((heading, column) =>
    Math.max(heading.length, ...body.map((cells) => cells[column].length)),
  );
  const line = (values: string[]) =>
    values
      .map((value, column) => (column === 0 ? value.padEnd(widths[column]) : value.padStart(widths[column])))
      .join("  ");
  return [line(COMPARISON_HEADER), widths.map((width) => "─".repeat(width)).join("  "), ...body.map(line)].join("\n");
}
