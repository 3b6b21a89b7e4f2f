import { describe, expect, it } from "vitest";
import { parseOptions, SCENARIOS } from "./options";
import { SERVER_IDS } from "./serverKinds";

describe("bench options", () => {
  it("defaults to the issue's protocol", () => {
    const options = parseOptions([], "/project");
    expect(options).toMatchObject({
      reps: 3,
      clients: [2, 10, 50],
      durationMs: 15_000,
      rateHz: 5,
      instanceClients: 10,
      memos: 1_000,
      coldEdits: 20_000,
      coldTextBytes: 500_000,
    });
    expect(options.scenarios).toEqual([...SCENARIOS]);
    expect(options.servers).toEqual([...SERVER_IDS]);
    expect(options.out).toBe("/project/bench/results/latest.json");
  });

  it("shortens everything with --quick and accepts filters", () => {
    const options = parseOptions(
      ["--quick", "--scenario=propagation,ack", "--servers=ours,hocuspocus", "--clients=10", "--duration=2"],
      "/p",
    );
    expect(options).toMatchObject({
      quick: true,
      reps: 1,
      scenarios: ["propagation", "ack"],
      servers: ["ours", "hocuspocus"],
      clients: [10],
      durationMs: 2_000,
    });
  });

  it("refuses what it does not know", () => {
    expect(() => parseOptions(["--scenario=latency"])).toThrow(/unknown scenario "latency"/);
    expect(() => parseOptions(["--servers=etherpad"])).toThrow(/unknown server/);
    expect(() => parseOptions(["--reps=0"])).toThrow(/positive/);
    expect(() => parseOptions(["--fast"])).toThrow(/unknown argument/);
  });
});
