import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { cleanUp, cleanUpOnSignals, wasInterrupted } from "./childProcesses";
import { startClientWorkers } from "./clientWorkers";
import { largeMemoUpdate } from "./documents";
import { startBenchEnvironment, type BenchEnvironment } from "./environment";
import { figureRows, multiInstanceRows, type BenchResults } from "./figures";
import { parseOptions, USAGE, type BenchOptions } from "./options";
import { summarizeProfiles } from "./profileSummary";
import { startBenchRedis } from "./redis";
import { evaluateRow, formatNumber, renderComparison, renderMarkdownTable, renderTerminalTable } from "./report";
import { runColdLoad, seedColdLoadMemos, type ColdLoadMemos } from "./scenarios/coldLoad";
import { runDocumentWork } from "./scenarios/documentWork";
import { runManyMemos } from "./scenarios/manyMemos";
import { runPdfExport } from "./scenarios/pdfExport";
import { runPropagation } from "./scenarios/propagation";
import { runSearch } from "./scenarios/search";
import { runSuggestions } from "./scenarios/suggestions";
import { isOurs, SERVER_KINDS, startServer, type ServerHandle, type ServerId, type ServerKind } from "./serverKinds";
import { shuffled } from "./stats";

// `npm run bench`: our collaboration server and the anchors side by side, on 127.0.0.1, each in its
// own process, repetitions interleaved (servers shuffled in every repetition), medians with their
// range. Method and published results: bench/README.md.

const startedAt = Date.now();
const progress = (line: string) => {
  const seconds = Math.round((Date.now() - startedAt) / 1000);
  process.stderr.write(
    `${`${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`.padStart(5)} ${line}\n`,
  );
};

function machine() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model ?? "unknown",
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
  };
}

type StartServer = (kind: ServerKind, redisUrl?: string) => Promise<ServerHandle>;

async function propagation(
  options: BenchOptions,
  kinds: ServerKind[],
  start: StartServer,
  env: BenchEnvironment,
  results: BenchResults,
) {
  const onlyAck = !options.scenarios.includes("propagation");
  const clientCounts = onlyAck ? [10] : options.clients;
  const servers = onlyAck ? kinds.filter((kind) => kind.id === "ours") : kinds;
  const workers = await startClientWorkers(Math.max(1, Math.ceil(Math.max(...clientCounts) / 25)));
  for (let rep = 1; rep <= options.reps; rep++) {
    for (const kind of shuffled(servers)) {
      const server = await start(kind);
      try {
        for (const clients of clientCounts) {
          const run = await runPropagation(server, workers, env.postgresPid, {
            clients,
            durationMs: options.durationMs,
            warmupMs: options.warmupMs,
            rateHz: options.rateHz,
            seed: options.seed,
            rep,
          });
          results.propagation.push(run);
          progress(
            `  propagation rep ${rep}/${options.reps} ${kind.id.padEnd(19)} N=${String(clients).padEnd(3)} ` +
              `p50 ${formatNumber(run.latency.p50)} p99 ${formatNumber(run.latency.p99)} max ${formatNumber(run.latency.max)} ms, ` +
              `delivered ${run.received}/${run.expected}${run.converged ? "" : " NOT CONVERGED"}, ` +
              `server ${formatNumber(run.serverCpuMs / Math.max(1, run.edits))} ms/op, harness ${formatNumber(run.harnessCpuMs / run.windowMs)} cores` +
              (run.ack ? `, saved p99 ${formatNumber(run.ack.p99)} ms` : ""),
          );
        }
      } finally {
        await server.stop();
      }
    }
  }
  await Promise.all(workers.map((worker) => worker.stop()));
}

/**
 * Issue #9: the same editors on one memo, split over two of our instances sharing PostgreSQL and
 * one Redis, or all on one instance (started as a single instance is deployed, without Redis),
 * alternating in random order within each repetition of the same run.
 */
async function multiInstance(options: BenchOptions, start: StartServer, env: BenchEnvironment, results: BenchResults) {
  const redis = await startBenchRedis();
  const workers = await startClientWorkers(Math.max(1, Math.ceil(options.instanceClients / 25)));
  const ours = SERVER_KINDS.ours;
  try {
    for (let rep = 1; rep <= options.reps; rep++) {
      for (const instances of shuffled([1, 2])) {
        const servers =
          instances === 1 ? [await start(ours)] : await Promise.all([start(ours, redis.url), start(ours, redis.url)]);
        try {
          const run = await runPropagation(servers, workers, env.postgresPid, {
            clients: options.instanceClients,
            durationMs: options.durationMs,
            warmupMs: options.warmupMs,
            rateHz: options.rateHz,
            seed: options.seed,
            rep,
          });
          results.multiInstance.push(run);
          progress(
            `  multi-instance rep ${rep}/${options.reps} ${instances === 1 ? "one instance      " : "two instances+Redis"} N=${options.instanceClients} ` +
              `p50 ${formatNumber(run.latency.p50)} p99 ${formatNumber(run.latency.p99)} max ${formatNumber(run.latency.max)} ms` +
              (run.crossInstance
                ? ` (to the other instance p50 ${formatNumber(run.crossInstance.p50)} p99 ${formatNumber(run.crossInstance.p99)})`
                : "") +
              `, delivered ${run.received}/${run.expected}${run.converged ? "" : " NOT CONVERGED"}` +
              (run.ack ? `, saved p99 ${formatNumber(run.ack.p99)} ms` : ""),
          );
        } finally {
          await Promise.all(servers.map((server) => server.stop()));
        }
      }
    }
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
    await redis.stop();
  }
}

/**
 * Creates `count` memos, a few at a time: createMemo runs a transaction, and a thousand started at
 * once wait for the connection pool longer than Prisma lets a transaction wait to start (2 s).
 */
async function createMemos(env: BenchEnvironment, count: number): Promise<string[]> {
  const memos: string[] = new Array(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const index = next++;
      memos[index] = await env.createMemo();
    }
  };
  await Promise.all(Array.from({ length: 8 }, lane));
  return memos;
}

async function manyMemos(
  options: BenchOptions,
  kinds: ServerKind[],
  start: StartServer,
  env: BenchEnvironment,
  results: BenchResults,
) {
  const workers = await startClientWorkers(2);
  // Our memos exist in PostgreSQL first (created once, reused by every repetition); the anchors
  // create documents on first use.
  const ourMemos = kinds.some(isOurs) ? await createMemos(env, options.memos) : [];
  const anchorDocuments = Array.from({ length: options.memos }, (_, index) => `many-memos-${index}`);
  for (let rep = 1; rep <= options.reps; rep++) {
    for (const kind of shuffled(kinds)) {
      const server = await start(kind);
      try {
        const run = await runManyMemos(server, workers, isOurs(kind) ? ourMemos : anchorDocuments, {
          rep,
          concurrency: options.joinConcurrency,
        });
        results.manyMemos.push(run);
        progress(
          `  many memos rep ${rep}/${options.reps} ${kind.id.padEnd(19)} join p50 ${formatNumber(run.join.p50)} ms, ` +
            `all joined ${formatNumber(run.allJoinedMs / 1000)} s, ${formatNumber(run.rssPerMemoBytes / 1024)} KiB/memo`,
        );
      } finally {
        await server.stop();
      }
    }
  }
  await Promise.all(workers.map((worker) => worker.stop()));
}

async function coldLoad(options: BenchOptions, kinds: ServerKind[], start: StartServer, results: BenchResults) {
  const persistent = kinds.filter((kind) => kind.persistent);
  if (persistent.length === 0) return;
  const [worker] = await startClientWorkers(1);
  const update = largeMemoUpdate(options.coldTextBytes);
  const memos = new Map<ServerId, ColdLoadMemos>();
  for (const kind of persistent) {
    progress(
      `  cold load: writing ${options.coldEdits} edits and ${Math.round(options.coldTextBytes / 1000)} KB of text through ${kind.id}…`,
    );
    memos.set(
      kind.id,
      await seedColdLoadMemos(() => start(kind), worker, {
        edits: options.coldEdits,
        editsPerSecond: options.editsPerSecond,
        largeTextUpdate: update,
        seed: options.seed,
      }),
    );
  }
  for (let rep = 1; rep <= options.reps; rep++) {
    for (const kind of shuffled(persistent)) {
      const run = await runColdLoad(() => start(kind), worker, memos.get(kind.id)!, rep);
      results.coldLoad.push(run);
      progress(
        `  cold load rep ${rep}/${options.reps} ${kind.id.padEnd(19)} edits ${formatNumber(run.editsMs)} ms, text ${formatNumber(run.largeTextMs)} ms` +
          (run.complete ? "" : " INCOMPLETE"),
      );
    }
  }
  await worker.stop();
}

/** The command that reproduces this run (without --update-readme). */
function benchCommand(): string {
  const args = process.argv.slice(2).filter((arg) => arg !== "--update-readme");
  return args.length > 0 ? `npm run bench -- ${args.join(" ")}` : "npm run bench";
}

const README_START = "<!-- bench:start -->";
const README_END = "<!-- bench:end -->";

function readmeHeader(options: BenchOptions, started: Date, finished: Date, loadBefore: number[]): string {
  const { cores, cpuModel, memoryGiB, node } = machine();
  const minutes = Math.round((finished.getTime() - started.getTime()) / 60_000);
  return (
    `Run ${finished.toISOString().slice(0, 16).replace("T", " ")} UTC with \`${benchCommand()}\` ` +
    `(${minutes} min) on ${cores} cores (${cpuModel}), ${memoryGiB} GiB, Node ${node}; load average ${loadBefore[0].toFixed(1)} at the start ` +
    `(the machine is shared). Median [min–max] of ${options.reps} interleaved repetition(s), lower is better.`
  );
}

/** Replaces what lies between the bench markers of bench/README.md. */
async function updateReadme(file: string, content: string): Promise<void> {
  const text = await fs.readFile(file, "utf8");
  const start = text.indexOf(README_START);
  const end = text.indexOf(README_END);
  if (start < 0 || end < start)
    throw new Error(`${path.relative(process.cwd(), file)} has no ${README_START} … ${README_END} section`);
  await fs.writeFile(file, `${text.slice(0, start + README_START.length)}\n${content}\n${text.slice(end)}`);
}

async function main(): Promise<void> {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  if (process.argv.includes("--help")) return void process.stdout.write(`${USAGE}\n`);
  cleanUpOnSignals();
  const started = new Date();
  const loadBefore = os.loadavg();
  const kinds = options.servers.map((id) => SERVER_KINDS[id]);
  const resultsDir = path.dirname(options.out);
  const profileDir = path.join(resultsDir, "profiles", started.toISOString().replace(/[:.]/g, "-"));
  if (options.profile) await fs.mkdir(profileDir, { recursive: true });
  progress(
    `Demarche benchmark: ${options.scenarios.join(", ")} on ${options.servers.join(", ")}; ${options.reps} interleaved repetition(s)`,
  );

  const env = await startBenchEnvironment();
  const start: StartServer = (kind, redisUrl) =>
    startServer(kind, env, { cpuProfileDir: options.profile === kind.id ? profileDir : undefined, redisUrl });
  const results: BenchResults = { propagation: [], manyMemos: [], coldLoad: [], multiInstance: [] };
  if (options.scenarios.includes("propagation") || options.scenarios.includes("ack"))
    await propagation(options, kinds, start, env, results);
  if (options.scenarios.includes("multi-instance") && options.servers.includes("ours"))
    await multiInstance(options, start, env, results);
  if (options.scenarios.includes("many-memos")) await manyMemos(options, kinds, start, env, results);
  if (options.scenarios.includes("cold-load")) await coldLoad(options, kinds, start, results);
  if (options.scenarios.includes("export")) {
    results.pdfExport = await runPdfExport(options.quick ? 3 : 10);
    progress(
      `  PDF export: ${results.pdfExport.pages} pages, median ${formatNumber(results.pdfExport.medianMs)} ms of ${results.pdfExport.runs} runs`,
    );
  }
  if (options.scenarios.includes("documents")) {
    const documents = await runDocumentWork(env, options.reps);
    results.documents = documents;
    for (const run of documents.runs)
      progress(
        `  documents: ${run.task} ${formatNumber(run.ms)} ms, event loop paused at most ${formatNumber(run.maxPauseMs)} ms`,
      );
    progress(
      `  documents: RSS ${formatNumber(documents.rssBeforeBytes / 1024 ** 2)} → ${formatNumber(documents.rssAfterBytes / 1024 ** 2)} MB`,
    );
  }

  if (options.scenarios.includes("search")) {
    results.search = await runSearch(env);
    for (const run of results.search.runs)
      progress(`  search: ${run.query} median ${formatNumber(run.timesMs.toSorted((a, b) => a - b)[15])} ms`);
  }

  if (options.scenarios.includes("suggestions")) {
    results.suggestions = runSuggestions(options.reps);
    const median = (values: number[]) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)];
    progress(
      `  suggestions: accept all of ${results.suggestions.suggestions}: client ${formatNumber(median(results.suggestions.acceptAllClientMs))} ms, server ${formatNumber(median(results.suggestions.acceptAllServerMs))} ms`,
    );
  }

  const rows = figureRows(results).map(evaluateRow);
  const servers = options.servers.filter((id) => rows.some((row) => row.values[id] || row.notes?.[id]));
  const finished = new Date();
  const header =
    `Demarche benchmark, ${finished.toISOString()} (${Math.round((finished.getTime() - started.getTime()) / 1000)} s), ` +
    `${machine().cores} cores, ${machine().memoryGiB} GiB, ${process.version}, load average ${loadBefore[0].toFixed(2)} → ${os.loadavg()[0].toFixed(2)}\n` +
    `Median [min–max] of ${options.reps} interleaved repetition(s). Lower is better. Targets compare ours (PostgreSQL) with the best anchor with persistence on.`;
  const instanceRows = multiInstanceRows(results.multiInstance);
  const instanceTitle = `Several instances (issue #9): ${options.instanceClients} editors on one memo, ours on PostgreSQL, one instance vs two sharing one Redis`;
  process.stdout.write(`\n${header}\n\n${renderTerminalTable(rows, servers)}\n`);
  if (instanceRows.length > 0)
    process.stdout.write(`\n${instanceTitle}:\n${renderComparison(instanceRows, "terminal")}\n`);
  const markdown =
    renderMarkdownTable(rows, servers) +
    (instanceRows.length > 0 ? `\n\n**${instanceTitle}.**\n\n${renderComparison(instanceRows, "markdown")}` : "");
  await fs.mkdir(resultsDir, { recursive: true });
  await fs.writeFile(
    options.out,
    JSON.stringify(
      {
        startedAt: started.toISOString(),
        finishedAt: finished.toISOString(),
        command: benchCommand(),
        machine: { ...machine(), loadAverageBefore: loadBefore, loadAverageAfter: os.loadavg() },
        options,
        figures: rows,
        multiInstance: instanceRows,
        runs: results,
        markdown,
      },
      null,
      2,
    ),
  );
  await fs.writeFile(options.out.replace(/\.json$/, ".md"), `${header}\n\n${markdown}\n`);
  progress(`\nResults: ${path.relative(process.cwd(), options.out)} (and .md)`);
  if (options.updateReadme) {
    await updateReadme(
      path.join(process.cwd(), "bench", "README.md"),
      `${readmeHeader(options, started, finished, loadBefore)}\n\n${markdown}`,
    );
    await fs.copyFile(options.out, path.join(process.cwd(), "bench", "published-results.json"));
    progress("bench/README.md: results table updated; bench/published-results.json holds this run");
  }
  await cleanUp();
  if (options.profile && existsSync(profileDir)) progress(await summarizeProfiles(profileDir));
}

main().catch(async (error: unknown) => {
  // After Ctrl-C the signal handler stops everything and exits; a scenario failing meanwhile is expected.
  if (wasInterrupted()) return;
  process.stderr.write(`\nbenchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  await cleanUp();
  process.exit(1);
});
