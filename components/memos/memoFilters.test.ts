import { describe, expect, it } from "vitest";
import { filterChoices, filterMemos, filtering, NO_FILTERS, type FilterableMemo } from "./memoFilters";

const NOW = Date.parse("2026-12-03T12:00:00Z");
const hoursAgo = (hours: number) => new Date(NOW - hours * 3_600_000).toISOString();

const memos: (FilterableMemo & { id: string })[] = [
  { id: "mine-today", role: "owner", marking: "SECRET", lastEditedAt: hoursAgo(2), people: ["Olga"] },
  { id: "shared-week", role: "editor", marking: null, lastEditedAt: hoursAgo(72), people: ["Pat", "Olga"] },
  { id: "shared-old", role: "viewer", marking: "SECRET", lastEditedAt: hoursAgo(24 * 40), people: ["Pat"] },
];
const ids = (list: { id: string }[]) => list.map((memo) => memo.id);

describe("memo filters", () => {
  it("keeps everything without filters, in order", () => {
    expect(ids(filterMemos(memos, NO_FILTERS, NOW))).toEqual(["mine-today", "shared-week", "shared-old"]);
    expect(filtering(NO_FILTERS)).toBe(false);
  });

  it("filters by whose, marking, when last edited and person, all at once", () => {
    expect(ids(filterMemos(memos, { ...NO_FILTERS, whose: "mine" }, NOW))).toEqual(["mine-today"]);
    expect(ids(filterMemos(memos, { ...NO_FILTERS, whose: "shared" }, NOW))).toEqual(["shared-week", "shared-old"]);
    expect(ids(filterMemos(memos, { ...NO_FILTERS, marking: "SECRET" }, NOW))).toEqual(["mine-today", "shared-old"]);
    expect(ids(filterMemos(memos, { ...NO_FILTERS, edited: "day" }, NOW))).toEqual(["mine-today"]);
    expect(ids(filterMemos(memos, { ...NO_FILTERS, edited: "week" }, NOW))).toEqual(["mine-today", "shared-week"]);
    expect(ids(filterMemos(memos, { ...NO_FILTERS, person: "Pat" }, NOW))).toEqual(["shared-week", "shared-old"]);
    const all = { whose: "shared", marking: "SECRET", edited: "month", person: "Pat" } as const;
    expect(ids(filterMemos(memos, all, NOW))).toEqual([]);
    expect(filtering(all)).toBe(true);
  });

  it("offers the markings and people of the list", () => {
    expect(filterChoices(memos)).toEqual({ markings: ["SECRET"], people: ["Olga", "Pat"] });
  });
});
