import type { ComparisonRow, FigureRow, Target } from "./report";
import type { ColdLoadRun } from "./scenarios/coldLoad";
import type { ManyMemosRun } from "./scenarios/manyMemos";
import { IDLE_TASK, type DocumentWorkResult } from "./scenarios/documentWork";
import type { PdfExportResult } from "./scenarios/pdfExport";
import type { SearchResult } from "./scenarios/search";
import type { SuggestionsResult } from "./scenarios/suggestions";
import type { PropagationRun } from "./scenarios/propagation";
import type { ServerId } from "./serverKinds";
import { percentileOfSorted, spread } from "./stats";

// The figures of the results table, each the median over repetitions of a per-run value, with the
// targets of issue #8 attached where it sets one.

export type BenchResults = {
  propagation: PropagationRun[];
  manyMemos: ManyMemosRun[];
  coldLoad: ColdLoadRun[];
  pdfExport?: PdfExportResult;
  /** Issue 18: imports and exports through the document worker pool, with this event loop's pauses. */
  documents?: DocumentWorkResult;
  /** Issue 22: queries over 50,000 memo sections, with a baseline query of the same run. */
  search?: SearchResult;
  /** Issue 21: accepting 500 suggestions, and a keystroke in Suggesting beside one in Editing. */
  suggestions?: SuggestionsResult;
  /** Issue #9: our server, the same editors on one instance (instances = 1) or split over two with Redis. */
  multiInstance: PropagationRun[];
};

function row<T extends { server: ServerId }>(
  runs: T[],
  section: string,
  figure: string,
  unit: string,
  pick: (run: T) => number,
  target?: Target,
  compare = true,
): FigureRow {
  const values: FigureRow["values"] = {};
  for (const server of new Set(runs.map((run) => run.server))) {
    values[server] = spread(runs.filter((run) => run.server === server).map(pick));
  }
  return { section, figure, unit, values, target, compare };
}

function propagationRows(runs: PropagationRun[], clients: number): FigureRow[] {
  const atN = runs.filter((run) => run.clients === clients);
  if (atN.length === 0) return [];
  const section = `Propagation, N = ${clients}`;
  const p99Target: Target | undefined =
    clients === 50 ? { kind: "ratio", limit: 0.8 } : clients === 10 ? { kind: "ratio", limit: 1 } : undefined;
  const delivered = row(
    atN,
    section,
    "delivered / expected",
    "%",
    (run) => (100 * run.received) / Math.max(1, run.expected),
    undefined,
    false,
  );
  delivered.notes = {};
  for (const server of Object.keys(delivered.values) as ServerId[]) {
    const mine = atN.filter((run) => run.server === server);
    const converged = mine.filter((run) => run.converged).length;
    const received = mine.reduce((sum, run) => sum + run.received, 0);
    const expected = mine.reduce((sum, run) => sum + run.expected, 0);
    delivered.notes[server] =
      `${received}/${expected}${converged === mine.length ? "" : ` (${mine.length - converged} not converged)`}`;
  }
  return [
    row(atN, section, "p50 latency", "ms", (run) => run.latency.p50),
    row(atN, section, "p95 latency", "ms", (run) => run.latency.p95),
    row(atN, section, "p99 latency", "ms", (run) => run.latency.p99, p99Target),
    row(atN, section, "max latency", "ms", (run) => run.latency.max),
    delivered,
    row(
      atN,
      section,
      "server CPU per op",
      "ms",
      (run) => run.serverCpuMs / Math.max(1, run.edits),
      clients === 50 ? { kind: "ratio", limit: 0.8 } : undefined,
    ),
    row(atN, section, "server CPU per delivery", "µs", (run) => (1000 * run.serverCpuMs) / Math.max(1, run.received)),
    row(atN, section, "PostgreSQL CPU per op", "ms", (run) => run.postgresCpuMs / Math.max(1, run.edits)),
    row(
      atN,
      section,
      "server event-loop delay p99",
      "ms",
      (run) => run.serverLoopDelay?.p99 ?? Number.NaN,
      undefined,
      false,
    ),
    row(
      atN,
      section,
      "server event-loop delay max",
      "ms",
      (run) => run.serverLoopDelay?.max ?? Number.NaN,
      undefined,
      false,
    ),
    row(atN, section, "harness CPU", "cores", (run) => run.harnessCpuMs / run.windowMs, undefined, false),
    row(atN, section, "machine busy, all processes", "%", (run) => run.machineBusyPercent, undefined, false),
  ];
}

function ackRows(runs: PropagationRun[]): FigureRow[] {
  const withAcks = runs.filter((run) => run.server === "ours" && run.ack);
  const section = "Durable acknowledgement (ours only)";
  return [...new Set(withAcks.map((run) => run.clients))].flatMap((clients) => {
    const atN = withAcks.filter((run) => run.clients === clients);
    return [
      row(atN, section, `edit → saved p50, N = ${clients}`, "ms", (run) => run.ack?.p50 ?? Number.NaN),
      row(
        atN,
        section,
        `edit → saved p99, N = ${clients}`,
        "ms",
        (run) => run.ack?.p99 ?? Number.NaN,
        clients === 10 ? { kind: "absolute", limit: 150 } : undefined,
      ),
    ];
  });
}

/** All rows, in the order of the issue's scenarios. */
export function figureRows(results: BenchResults): FigureRow[] {
  const rows: FigureRow[] = [];
  const counts = [...new Set(results.propagation.map((run) => run.clients))].sort((a, b) => a - b);
  for (const clients of counts) rows.push(...propagationRows(results.propagation, clients));
  rows.push(...ackRows(results.propagation));
  if (results.manyMemos.length > 0) {
    const memos = results.manyMemos[0].memos;
    const section = `Many memos: ${memos} memos × 2 clients`;
    rows.push(
      row(results.manyMemos, section, "join p50", "ms", (run) => run.join.p50),
      row(results.manyMemos, section, "join p95", "ms", (run) => run.join.p95),
      row(results.manyMemos, section, "all joined", "s", (run) => run.allJoinedMs / 1000),
      row(results.manyMemos, section, "server CPU per memo joined", "ms", (run) => run.cpuPerMemoMs),
      row(results.manyMemos, section, "memory per open memo (RSS)", "KiB", (run) => run.rssPerMemoBytes / 1024, {
        kind: "ratio",
        limit: 1,
      }),
      row(results.manyMemos, section, "JS heap per open memo", "KiB", (run) => run.heapPerMemoBytes / 1024),
    );
  }
  if (results.coldLoad.length > 0) {
    const section = "Cold load from storage (fresh server process)";
    rows.push(
      row(results.coldLoad, section, "memo of single-letter edits", "ms", (run) => run.editsMs, {
        kind: "ratio",
        limit: 0.8,
      }),
      row(results.coldLoad, section, "memo of imported text", "ms", (run) => run.largeTextMs, {
        kind: "ratio",
        limit: 0.8,
      }),
    );
  }
  if (results.pdfExport) {
    const { pages, timesMs } = results.pdfExport;
    // One process, runs after a warm-up: the median and range are over those runs, not repetitions.
    rows.push({
      section: "Export (bench/exportPdf.ts)",
      figure: `PDF of a ${pages}-page memo, median of ${timesMs.length} runs`,
      unit: "ms",
      values: { ours: spread(timesMs) },
      target: { kind: "absolute", limit: 1500 },
    });
  }
  if (results.documents) rows.push(...documentRows(results.documents));
  if (results.search) rows.push(...searchRows(results.search));
  if (results.suggestions) rows.push(...suggestionRows(results.suggestions));
  return rows;
}

/** Issue 21's targets: accept-all under 50 ms on the server; a suggested keystroke at most 1.5× an edited one. */
function suggestionRows(result: SuggestionsResult): FigureRow[] {
  const section = `Suggestions on a ${result.paragraphs}-paragraph memo (issue 21, in-process)`;
  const median = (values: number[]) =>
    percentileOfSorted(
      [...values].sort((a, b) => a - b),
      50,
    );
  const editing = median(result.keystrokeEditingMs);
  const suggesting = median(result.keystrokeSuggestingMs);
  return [
    {
      section,
      figure: `accept all ${result.suggestions} suggestions: decide and write to Yjs (browser script, no layout)`,
      unit: "ms",
      values: { ours: spread(result.acceptAllClientMs) },
      target: { kind: "absolute", limit: 200 },
    },
    {
      section,
      figure: "accept all: the server's update check and apply",
      unit: "ms",
      values: { ours: spread(result.acceptAllServerMs) },
      target: { kind: "absolute", limit: 50 },
    },
    { section, figure: "a keystroke in Editing, median", unit: "ms", values: { ours: spread([editing]) } },
    { section, figure: "a keystroke in Suggesting, median", unit: "ms", values: { ours: spread([suggesting]) } },
    {
      section,
      figure: "Suggesting ÷ Editing per keystroke",
      unit: "×",
      values: { ours: spread([suggesting / Math.max(1e-6, editing)]) },
      target: { kind: "absolute", limit: 1.5 },
    },
  ];
}

/** Issue 22's target: p95 under 100 ms per kind of query, beside the baseline of the same run. */
function searchRows({ sections, readableMemos, baselineMs, runs }: SearchResult): FigureRow[] {
  const section = `Search over ${sections.toLocaleString("en-US")} memo sections (issue 22; ${readableMemos.toLocaleString("en-US")} memos readable)`;
  const p = (times: number[], at: number) =>
    percentileOfSorted(
      [...times].sort((a, b) => a - b),
      at,
    );
  const rows: FigureRow[] = [
    {
      section,
      figure: "baseline: the 20 latest readable memos, p95",
      unit: "ms",
      values: { ours: spread([p(baselineMs, 95)]) },
    },
  ];
  for (const run of runs) {
    rows.push({
      section,
      figure: `${run.query} (${run.hits} hits on the first page), p50`,
      unit: "ms",
      values: { ours: spread([p(run.timesMs, 50)]) },
    });
    rows.push({
      section,
      figure: `${run.query}, p95 (× baseline ${(p(run.timesMs, 95) / Math.max(0.01, p(baselineMs, 95))).toFixed(1)})`,
      unit: "ms",
      values: { ours: spread([p(run.timesMs, 95)]) },
      target: { kind: "absolute", limit: 100 },
    });
  }
  return rows;
}

/** Issue 18's targets: each task under 2 s, the event loop never paused 50 ms, RSS back within 50 MB. */
function documentRows({ runs, rssBeforeBytes, rssAfterBytes }: DocumentWorkResult): FigureRow[] {
  const section = "Document work off the event loop (issue 18, harness process)";
  const rows: FigureRow[] = [];
  for (const task of [...new Set(runs.map((run) => run.task))]) {
    const ofTask = runs.filter((run) => run.task === task);
    if (task === IDLE_TASK) {
      rows.push({
        section,
        figure: `${task}: longest event-loop pause`,
        unit: "ms",
        values: { ours: spread(ofTask.map((run) => run.maxPauseMs)) },
      });
      continue;
    }
    rows.push({
      section,
      figure: task,
      unit: "ms",
      values: { ours: spread(ofTask.map((run) => run.ms)) },
      target: { kind: "absolute", limit: 2000 },
    });
    rows.push({
      section,
      figure: `${task}: longest event-loop pause`,
      unit: "ms",
      values: { ours: spread(ofTask.map((run) => run.maxPauseMs)) },
      target: { kind: "absolute", limit: 50 },
    });
  }
  const grownMb = (rssAfterBytes - rssBeforeBytes) / 1024 ** 2;
  rows.push({
    section,
    figure: "RSS after all of them − before",
    unit: "MB",
    values: { ours: spread([grownMb]) },
    target: { kind: "absolute", limit: 50 },
  });
  return rows;
}

/**
 * Issue #9's comparison: the same editors on one memo, all on one instance of ours or split over two
 * instances sharing PostgreSQL and Redis, measured in the same run (interleaved repetitions).
 */
export function multiInstanceRows(runs: PropagationRun[]): ComparisonRow[] {
  if (runs.length === 0) return [];
  const one = runs.filter((run) => run.instances === 1);
  const two = runs.filter((run) => run.instances > 1);
  const figure = (name: string, unit: string, pick: (run: PropagationRun) => number | undefined): ComparisonRow => ({
    figure: name,
    unit,
    one: spread(one.map((run) => pick(run) ?? Number.NaN)),
    two: spread(two.map((run) => pick(run) ?? Number.NaN)),
  });
  const delivered = (list: PropagationRun[]) =>
    `${list.reduce((sum, run) => sum + run.received, 0)}/${list.reduce((sum, run) => sum + run.expected, 0)}` +
    (list.every((run) => run.converged) ? "" : ` (${list.filter((run) => !run.converged).length} not converged)`);
  return [
    figure("p50 latency, every delivery", "ms", (run) => run.latency.p50),
    figure("p99 latency, every delivery", "ms", (run) => run.latency.p99),
    figure("max latency", "ms", (run) => run.latency.max),
    figure("p50 latency, to the other instance", "ms", (run) => run.crossInstance?.p50),
    figure("p99 latency, to the other instance", "ms", (run) => run.crossInstance?.p99),
    { figure: "delivered / expected", unit: "", oneNote: delivered(one), twoNote: delivered(two), compare: false },
    figure("edit → saved p50", "ms", (run) => run.ack?.p50),
    figure("edit → saved p99", "ms", (run) => run.ack?.p99),
    figure("server CPU per op, all instances", "ms", (run) => run.serverCpuMs / Math.max(1, run.edits)),
    figure("PostgreSQL CPU per op", "ms", (run) => run.postgresCpuMs / Math.max(1, run.edits)),
  ];
}
