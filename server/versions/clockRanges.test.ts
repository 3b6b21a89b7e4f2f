import { describe, expect, it } from "vitest";
import {
  deleteSetOf,
  rangesHave,
  rangesOf,
  rangesWithin,
  subtractRanges,
  unionRanges,
  type ClockRanges,
} from "./clockRanges";

const ranges = (entries: [number, [number, number][]][]): ClockRanges => new Map(entries);

describe("clock ranges", () => {
  it("subtracts, unites and cuts at a state vector", () => {
    const a = ranges([
      [
        1,
        [
          [0, 10],
          [20, 30],
        ],
      ],
      [2, [[5, 6]]],
    ]);
    const b = ranges([
      [
        1,
        [
          [3, 5],
          [8, 22],
        ],
      ],
      [3, [[0, 1]]],
    ]);
    expect(subtractRanges(a, b)).toEqual(
      ranges([
        [
          1,
          [
            [0, 3],
            [5, 8],
            [22, 30],
          ],
        ],
        [2, [[5, 6]]],
      ]),
    );
    expect(unionRanges(a, b)).toEqual(
      ranges([
        [1, [[0, 30]]],
        [2, [[5, 6]]],
        [3, [[0, 1]]],
      ]),
    );
    expect(rangesWithin(a, new Map([[1, 25]]))).toEqual(
      ranges([
        [
          1,
          [
            [0, 10],
            [20, 25],
          ],
        ],
      ]),
    );
    expect(subtractRanges(a, a).size).toBe(0);
    expect(rangesHave(a, { client: 1, clock: 29 })).toBe(true);
    expect(rangesHave(a, { client: 1, clock: 30 })).toBe(false);
  });

  it("round-trips through a Yjs delete set", () => {
    const a = ranges([
      [
        7,
        [
          [0, 2],
          [4, 9],
        ],
      ],
    ]);
    expect(rangesOf(deleteSetOf(a))).toEqual(a);
  });
});
