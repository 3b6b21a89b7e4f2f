import { describe, expect, it } from "vitest";
import type { ClientRecord } from "./clients/clientWorker";
import { ackLatencies, deliveryLatencies } from "./latency";

/** A sparse array with `values` at the given indexes, as the clients record clocks. */
function at(entries: Record<number, number>): number[] {
  const array: number[] = [];
  for (const [index, value] of Object.entries(entries)) array[Number(index)] = value;
  return array;
}

function record(
  clientId: number,
  sends: number[],
  arrivals: [number, number[]][] = [],
  acks: number[] = [],
): ClientRecord {
  return { clientId, sends, arrivals: new Map(arrivals), acks, saved: true, disconnects: 0 };
}

describe("joining what the clients recorded", () => {
  it("measures each edit in the window at every other client, and counts what never arrived", () => {
    const alice = record(1, at({ 3: 100 /* before the window: ignored */, 4: 1_000, 5: 1_010 }));
    const bob = record(2, [], [[1, at({ 3: 101, 4: 1_004, 5: 1_030 })]]);
    const carol = record(3, [], [[1, at({ 4: 1_008 })]]);
    const result = deliveryLatencies([alice, bob, carol], { from: 500, to: 2_000 });
    expect(result.edits).toBe(2);
    expect(result.expected).toBe(4);
    expect(result.received).toBe(3);
    expect([...result.latencies].sort((a, b) => a - b)).toEqual([4, 8, 20]);
  });

  it("times each edit to the saved acknowledgement that covered it", () => {
    const result = ackLatencies([record(1, at({ 0: 1_000, 1: 1_020 }), [], at({ 0: 1_060 }))], { from: 0, to: 2_000 });
    expect([...result.latencies]).toEqual([60]);
    expect(result.unacknowledged).toBe(1);
  });
});
