import pino from "pino";
import { describe, expect, it } from "vitest";
import { PendingVersions, VersionScheduler } from "./versionScheduler";

// The scheduler against a recorder that fails on purpose, with real timers: a version that could
// not be stored is retried until it is, counted while it waits, and logged once each way.

const timing = { versionSettleMs: 60_000, versionMaxBurstMs: 600_000 };

function logged() {
  const lines: { level: number; msg: string }[] = [];
  const log = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}

describe("automatic versions", () => {
  it("retries a version that failed until it is stored, counted meanwhile, logged once when failing and once when stored", async () => {
    const { log, lines } = logged();
    const pending = new PendingVersions();
    let attempts = 0;
    const scheduler = new VersionScheduler(
      timing,
      async () => {
        if (++attempts < 3)
          throw Object.assign(new Error("Unable to start a transaction in the given time."), { code: "P2028" });
      },
      log,
      pending,
    );
    scheduler.noteStoredEdits();
    const flushed = scheduler.flush();
    expect(pending.waiting).toBe(1);
    await flushed;
    expect(attempts).toBe(3);
    expect(pending).toMatchObject({ waiting: 0, retrying: 0 });
    expect(lines.map((line) => line.msg)).toEqual([
      "automatic version failed; retrying until it is stored",
      "automatic version recorded after retrying",
    ]);
  });

  it("takes no version without stored edits, and one per burst", async () => {
    let recorded = 0;
    const scheduler = new VersionScheduler(timing, async () => void recorded++, logged().log);
    await scheduler.flush();
    expect(recorded).toBe(0);
    scheduler.noteStoredEdits();
    scheduler.noteStoredEdits();
    await scheduler.flush();
    await scheduler.flush();
    expect(recorded).toBe(1);
  });

  it("at shutdown, gives up after the time it was given and says what was not stored", async () => {
    const { log, lines } = logged();
    const pending = new PendingVersions();
    const scheduler = new VersionScheduler(
      timing,
      async () => {
        throw new Error("database down");
      },
      log,
      pending,
    );
    scheduler.noteStoredEdits();
    await scheduler.flush(1_000);
    expect(pending).toMatchObject({ waiting: 0, retrying: 0 });
    expect(lines.map((line) => line.msg)).toEqual([
      "automatic version failed; retrying until it is stored",
      "automatic version not recorded before shutdown",
    ]);
    expect(lines[1].level).toBe(50);
  });
});
