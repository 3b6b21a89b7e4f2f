import { describe, expect, it } from "vitest";
import { evaluateRow, formatSpread, renderMarkdownTable, renderTerminalTable, type FigureRow } from "./report";
import { spread } from "./stats";

const p99: FigureRow = {
  section: "Propagation, N = 50",
  figure: "p99 latency",
  unit: "ms",
  values: {
    ours: spread([8, 9, 10]),
    hocuspocus: spread([5, 6, 7]),
    "hocuspocus-postgres": spread([10, 12, 14]),
    "y-websocket-leveldb": spread([30, 40]),
  },
  target: { kind: "ratio", limit: 0.8 },
};

describe("results table", () => {
  it("compares ours with the best persistent anchor for the target, and with every anchor for context", () => {
    const row = evaluateRow(p99);
    expect(row.ratioPersistent).toBeCloseTo(9 / 12);
    expect(row.ratioAll).toBeCloseTo(9 / 6);
    expect(row.met).toBe(true);
  });

  it("checks absolute targets against our median", () => {
    const ack: FigureRow = {
      section: "Ack",
      figure: "p99",
      unit: "ms",
      values: { ours: spread([140, 160, 170]) },
      target: { kind: "absolute", limit: 150 },
    };
    expect(evaluateRow(ack).met).toBe(false);
  });

  it("leaves context figures without ratio", () => {
    expect(evaluateRow({ ...p99, compare: false, target: undefined }).ratioAll).toBeUndefined();
  });

  it("formats medians with their range", () => {
    expect(formatSpread(spread([1.234, 2.5, 3]))).toBe("2.50 [1.23–3.00]");
    expect(formatSpread(spread([120.4]))).toBe("120");
    expect(formatSpread(undefined)).toBe("–");
  });

  it("renders every server's column and the verdict", () => {
    const rows = [evaluateRow(p99)];
    const servers = ["ours", "hocuspocus", "hocuspocus-postgres", "y-websocket-leveldb"] as const;
    const terminal = renderTerminalTable(rows, [...servers]);
    expect(terminal).toContain("Hocuspocus + Postgres");
    expect(terminal).toContain("0.75×");
    expect(terminal).toContain("met");
    const markdown = renderMarkdownTable(rows, [...servers]);
    expect(markdown.split("\n")[0]).toMatch(/^\| figure \| Demarche \+ Postgres \|/);
    expect(markdown).toContain("| **Propagation, N = 50** |");
  });
});
