import path from "node:path";
import { SERVER_IDS, type ServerId } from "./serverKinds";

// Command-line options of `npm run bench`. Defaults follow issue #8; --quick is a smoke run.

export const SCENARIOS = [
  "propagation",
  "ack",
  "multi-instance",
  "many-memos",
  "cold-load",
  "export",
  "documents",
  "search",
  "suggestions",
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export type BenchOptions = {
  quick: boolean;
  scenarios: ScenarioName[];
  servers: ServerId[];
  /** Interleaved repetitions of every measurement. */
  reps: number;
  /** Propagation: client counts, measured typing time, warm-up before it, letters per second per client. */
  clients: number[];
  durationMs: number;
  warmupMs: number;
  rateHz: number;
  /** Several instances (issue #9): editors on one memo, split over two instances or all on one. */
  instanceClients: number;
  /** Many memos: how many memos (two clients each), and how many clients join at once per worker. */
  memos: number;
  joinConcurrency: number;
  /** Cold load: single-letter edits of the first memo (sent at most editsPerSecond), bytes of text of the second. */
  coldEdits: number;
  editsPerSecond: number;
  coldTextBytes: number;
  /** Start this server with `node --cpu-prof` (profiles land in the results folder). */
  profile?: ServerId;
  /** Replace the results table in bench/README.md (between the bench markers) with this run's. */
  updateReadme: boolean;
  out: string;
  seed: number;
};

export const USAGE = `Usage: npm run bench -- [options]
  --quick                 smoke run (2-3 minutes): 1 repetition, 2 s runs, 50 memos, small cold-load memos
  --scenario=a,b          ${SCENARIOS.join(", ")} (default: all)
  --servers=a,b           ${SERVER_IDS.join(", ")} (default: all)
  --reps=3                interleaved repetitions
  --clients=2,10,50       propagation: clients on one memo
  --duration=15           propagation: seconds of measured typing per run
  --instance-clients=10   multi-instance: editors on one memo, over two instances (Redis) or one
  --memos=1000            many memos: memos with two clients each
  --profile=<server>      run that server under node --cpu-prof
  --out=<file>            JSON results (default bench/results/latest.json)
  --update-readme         put this run's table into bench/README.md, "Published results"`;

function list<T extends string>(value: string, allowed: readonly T[], what: string): T[] {
  const items = value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
  for (const item of items)
    if (!allowed.includes(item as T)) throw new Error(`unknown ${what} "${item}" (one of: ${allowed.join(", ")})`);
  return items as T[];
}

function positive(value: string, what: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`${what} must be a positive number, not "${value}"`);
  return number;
}

/** Parses `--name=value` arguments; throws a readable error on anything unknown. */
export function parseOptions(argv: string[], projectDir = process.cwd()): BenchOptions {
  const quick = argv.includes("--quick");
  const options: BenchOptions = {
    quick,
    scenarios: [...SCENARIOS],
    servers: [...SERVER_IDS],
    reps: quick ? 1 : 3,
    clients: [2, 10, 50],
    durationMs: quick ? 2_000 : 15_000,
    warmupMs: quick ? 300 : 1_000,
    rateHz: 5,
    instanceClients: 10,
    memos: quick ? 50 : 1_000,
    joinConcurrency: 25,
    coldEdits: quick ? 1_000 : 20_000,
    editsPerSecond: 2_000,
    coldTextBytes: quick ? 50_000 : 500_000,
    updateReadme: argv.includes("--update-readme"),
    out: path.join(projectDir, "bench", "results", "latest.json"),
    seed: 8,
  };
  for (const arg of argv) {
    if (arg === "--quick" || arg === "--update-readme" || arg === "--help") continue;
    const match = /^--([a-z-]+)=(.*)$/.exec(arg);
    if (!match) throw new Error(`unknown argument "${arg}"\n${USAGE}`);
    const [, name, value] = match;
    switch (name) {
      case "scenario":
        options.scenarios = list(value, SCENARIOS, "scenario");
        break;
      case "servers":
        options.servers = list(value, SERVER_IDS, "server");
        break;
      case "reps":
        options.reps = Math.round(positive(value, "--reps"));
        break;
      case "clients":
        options.clients = value.split(",").map((item) => Math.round(positive(item, "--clients")));
        break;
      case "duration":
        options.durationMs = positive(value, "--duration") * 1000;
        break;
      case "instance-clients":
        options.instanceClients = Math.round(positive(value, "--instance-clients"));
        break;
      case "memos":
        options.memos = Math.round(positive(value, "--memos"));
        break;
      case "profile":
        options.profile = list(value, SERVER_IDS, "server")[0];
        break;
      case "out":
        options.out = path.resolve(projectDir, value);
        break;
      default:
        throw new Error(`unknown option --${name}\n${USAGE}`);
    }
  }
  return options;
}
