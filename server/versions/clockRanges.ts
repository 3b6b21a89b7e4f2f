import * as Y from "yjs";
import type { DeleteSet } from "../../common/protocol/saveAck";

// Sets of Yjs items as clock ranges per client, with the arithmetic Yjs does not export for its
// delete sets (it only merges them): what a restore hid is "deleted, minus what anyone deleted on
// purpose", and the memo without a restore is "its deletions, minus the restore's".

/** Items as sorted, disjoint, non-adjacent [start, end) clock ranges per Yjs client. */
export type ClockRanges = Map<number, [number, number][]>;

function normalized(ranges: [number, number][]): [number, number][] {
  const sorted = ranges.filter(([start, end]) => end > start).sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** The items of a delete set. */
export function rangesOf(ds: DeleteSet): ClockRanges {
  const ranges: ClockRanges = new Map();
  for (const [client, items] of ds.clients) {
    const list = normalized(items.map((item) => [item.clock, item.clock + item.len]));
    if (list.length > 0) ranges.set(client, list);
  }
  return ranges;
}

/** A delete set of these items (sorted and merged, as Yjs expects one to be). */
export function deleteSetOf(ranges: ClockRanges): DeleteSet {
  const ds = Y.createDeleteSet();
  for (const [client, list] of ranges)
    ds.clients.set(
      client,
      list.map(([start, end]) => ({ clock: start, len: end - start })),
    );
  return ds;
}

/** Items in `a` or in `b`. */
export function unionRanges(a: ClockRanges, b: ClockRanges): ClockRanges {
  const union: ClockRanges = new Map();
  for (const client of new Set([...a.keys(), ...b.keys()]))
    union.set(client, normalized([...(a.get(client) ?? []), ...(b.get(client) ?? [])]));
  return union;
}

/** Items in `a` and not in `b`. */
export function subtractRanges(a: ClockRanges, b: ClockRanges): ClockRanges {
  const rest: ClockRanges = new Map();
  for (const [client, list] of a) {
    const cuts = b.get(client) ?? [];
    const kept: [number, number][] = [];
    for (const [start, end] of list) {
      let from = start;
      for (const [cutStart, cutEnd] of cuts) {
        if (cutEnd <= from || cutStart >= end) continue;
        if (cutStart > from) kept.push([from, cutStart]);
        from = Math.max(from, cutEnd);
      }
      if (from < end) kept.push([from, end]);
    }
    if (kept.length > 0) rest.set(client, kept);
  }
  return rest;
}

/** The items of `a` that a state vector covers (for each client, the clocks below its entry). */
export function rangesWithin(a: ClockRanges, stateVector: Map<number, number>): ClockRanges {
  const within: ClockRanges = new Map();
  for (const [client, list] of a) {
    const limit = stateVector.get(client) ?? 0;
    const kept = list
      .filter(([start]) => start < limit)
      .map(([start, end]): [number, number] => [start, Math.min(end, limit)]);
    if (kept.length > 0) within.set(client, kept);
  }
  return within;
}

/** Whether the item with this id is one of `ranges`. */
export function rangesHave(ranges: ClockRanges, id: Y.ID): boolean {
  return (ranges.get(id.client) ?? []).some(([start, end]) => id.clock >= start && id.clock < end);
}

/** How many items (clock units) the ranges hold. */
export function rangesSize(ranges: ClockRanges): number {
  let size = 0;
  for (const list of ranges.values()) for (const [start, end] of list) size += end - start;
  return size;
}
