import { benchmarkPdfExport, type PdfExportBenchmark } from "../exportPdf";

// Scenario e: PDF export of a 20-page memo. The measurement is bench/exportPdf.ts (issue #7), the
// one place that builds the benchmark memo and times renderMemoPdf. `npm run bench` runs it last, in
// the harness process, once every server and client it started has stopped.

export type PdfExportResult = PdfExportBenchmark;

/** Exports the 20-page memo `runs` times after a warm-up. */
export function runPdfExport(runs: number): Promise<PdfExportResult> {
  return benchmarkPdfExport(runs);
}
