import fs from "node:fs/promises";
import path from "node:path";

// Reads V8 CPU profiles (node --cpu-prof) and prints where the time went: the hottest functions by
// self time, and self time per module (a file of ours, or an npm package). Run on its own with
//   node --import tsx bench/profileSummary.ts <file.cpuprofile | folder>

type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
};
type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

/** Short name of the module a function lives in: "yjs", "ws", "server/collab/memoRoom.ts", "(garbage collector)". */
export function moduleOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packageMatch) return packageMatch[1];
  if (url.startsWith("node:")) return url;
  const project = /\/(server|bench)\/(.*)$/.exec(url);
  return project ? `${project[1]}/${project[2]}` : path.basename(url);
}

/** Self time (ms) by function and by module, and the busy total (everything but idle). */
export function selfTimes(profile: CpuProfile) {
  const byNode = new Map<number, number>();
  profile.samples.forEach((node, index) =>
    byNode.set(node, (byNode.get(node) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000),
  );
  const functions = new Map<string, number>();
  const modules = new Map<string, number>();
  let busyMs = 0;
  for (const node of profile.nodes) {
    const ms = byNode.get(node.id) ?? 0;
    if (ms === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === "(idle)") continue;
    busyMs += ms;
    const owner = moduleOf(url, functionName);
    const name = `${functionName || "(anonymous)"} ${owner}${url ? `:${lineNumber + 1}` : ""}`;
    functions.set(name, (functions.get(name) ?? 0) + ms);
    modules.set(owner, (modules.get(owner) ?? 0) + ms);
  }
  const top = (map: Map<string, number>, count: number) => [...map].sort((a, b) => b[1] - a[1]).slice(0, count);
  return {
    busyMs,
    wallMs: (profile.endTime - profile.startTime) / 1000,
    functions: top(functions, 25),
    modules: top(modules, 15),
  };
}

/** A readable summary of one profile file. */
export async function summarizeProfile(file: string): Promise<string> {
  const profile = JSON.parse(await fs.readFile(file, "utf8")) as CpuProfile;
  const { busyMs, wallMs, functions, modules } = selfTimes(profile);
  const share = (ms: number) => `${((100 * ms) / busyMs).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(6)} ms`;
  return [
    `${path.basename(file)}: busy ${busyMs.toFixed(0)} ms of ${wallMs.toFixed(0)} ms`,
    "  self time by module:",
    ...modules.map(([name, ms]) => `    ${share(ms)}  ${name}`),
    "  hottest functions (self time):",
    ...functions.map(([name, ms]) => `    ${share(ms)}  ${name}`),
  ].join("\n");
}

async function profileFiles(target: string): Promise<string[]> {
  if (!(await fs.stat(target)).isDirectory()) return target.endsWith(".cpuprofile") ? [target] : [];
  const entries = (await fs.readdir(target)).sort().map((name) => path.join(target, name));
  return (await Promise.all(entries.map(profileFiles))).flat();
}

/**
 * Summaries of the profiles in a folder (searched recursively) or of one file. Profiles of threads
 * that were nearly idle (tsx's module loader) are left out.
 */
export async function summarizeProfiles(target: string): Promise<string> {
  const files = await profileFiles(target);
  const busy = await Promise.all(
    files.map(async (file) => selfTimes(JSON.parse(await fs.readFile(file, "utf8")) as CpuProfile).busyMs),
  );
  const threshold = Math.max(0, ...busy) * 0.1;
  const kept = files.filter((_, index) => busy[index] >= threshold);
  return (
    await Promise.all(
      kept.map(async (file) => `${path.relative(target, file) || file}\n${await summarizeProfile(file)}`),
    )
  ).join("\n\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const target = process.argv[2];
  if (!target) {
    process.stderr.write("Usage: node --import tsx bench/profileSummary.ts <file.cpuprofile | folder>\n");
    process.exit(2);
  }
  summarizeProfiles(target).then((summary) => process.stdout.write(`${summary}\n`));
}
