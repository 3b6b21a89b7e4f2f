import { readdirSync, readFileSync } from "node:fs";

// CPU time from /proc, for processes we do not control over IPC: PostgreSQL (the postmaster and its
// backends) and the machine as a whole (to see how busy the shared machine was meanwhile).

const TICK_MS = 10; // USER_HZ is 100 on Linux (getconf CLK_TCK)

/** utime, stime, cutime, cstime (ms) and parent pid of a process, or null when it is gone. */
export function readProcStat(pid: number): { ppid: number; selfMs: number; childrenMs: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // The command name (field 2) may contain spaces; fields after it start past the last ')'.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const number = (field: number) => Number(fields[field - 3]);
  return {
    ppid: number(4),
    selfMs: (number(14) + number(15)) * TICK_MS,
    childrenMs: (number(16) + number(17)) * TICK_MS,
  };
}

/** Resident set size of a process in bytes (VmRSS), or null when it is gone. */
export function readRssBytes(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * CPU time (ms) used so far by a process tree one level deep: the root, its reaped children, and its
 * live children. Right for PostgreSQL, whose backends are children of the postmaster.
 */
export function processTreeCpuMs(rootPid: number): number {
  const root = readProcStat(rootPid);
  if (!root) return 0;
  let total = root.selfMs + root.childrenMs;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcStat(Number(entry));
    if (stat && stat.ppid === rootPid) total += stat.selfMs;
  }
  return total;
}

/** Busy and total CPU time of the whole machine so far (ms, summed over cores), from /proc/stat. */
export function machineCpuMs(): { busyMs: number; totalMs: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0];
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = values;
  const busy = user + nice + system + irq + softirq + steal;
  return { busyMs: busy * TICK_MS, totalMs: (busy + idle + iowait) * TICK_MS };
}
