import { readFile } from "node:fs/promises";
import path from "node:path";

/** The sample source that ships with Demarche: an op-ed on Pakistan–U.S. relations in 2025. */
export const SAMPLE_SOURCE = {
  title: "Pakistan–U.S. Relations in 2025: A Strategic Realignment",
  fileName: "pakistan-us-realignment-2025.txt",
} as const;

/** Reads the sample source text (the working directory is the project folder). */
export async function readSampleSource(): Promise<string> {
  // A path spelled out in full, so the Next.js build traces just this file.
  return readFile(path.join(process.cwd(), "server", "import", "samples", "pakistan-us-realignment-2025.txt"), "utf8");
}
