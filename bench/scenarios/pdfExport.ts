import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

// Scenario e: PDF export of a 20-page memo. The exporter is being written on another branch, which
// adds bench/exportPdf.ts exporting `benchmarkPdfExport(options)`; until it is merged this scenario
// reports "not available". Expected contract:
//   benchmarkPdfExport({ pages, repetitions }) → Promise<{ ms: number[] } | number[] | number>
// (one duration per export, in milliseconds); any other object is kept as-is in the JSON.

export type PdfExportResult =
  | { available: false; reason: string }
  | { available: true; ms: number[]; raw: unknown };

type ExportModule = { benchmarkPdfExport?: (options: { pages: number; repetitions: number }) => Promise<unknown> };

function durations(raw: unknown): number[] {
  if (typeof raw === "number") return [raw];
  if (Array.isArray(raw)) return raw.filter((value): value is number => typeof value === "number");
  if (raw && typeof raw === "object" && "ms" in raw) return durations((raw as { ms: unknown }).ms);
  return [];
}

export async function runPdfExport(options: { pages: number; repetitions: number }): Promise<PdfExportResult> {
  const file = path.join(import.meta.dirname, "..", "exportPdf.ts");
  if (!existsSync(file)) return { available: false, reason: "bench/exportPdf.ts is not on this branch yet" };
  const exporter = (await import(pathToFileURL(file).href)) as ExportModule;
  if (typeof exporter.benchmarkPdfExport !== "function") {
    return { available: false, reason: "bench/exportPdf.ts does not export benchmarkPdfExport()" };
  }
  const raw = await exporter.benchmarkPdfExport(options);
  return { available: true, ms: durations(raw), raw };
}
