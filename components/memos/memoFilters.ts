import type { MemoRole } from "@/common/sharing/memoPermissions";

// The filters of the memos page, applied to the list the page already holds (every memo the user
// can open): whose, marking, when last edited, and who is involved.

/** What a filter reads of a memo. */
export type FilterableMemo = {
  role: MemoRole;
  marking: string | null;
  lastEditedAt: string;
  /** The owner, the last editor and who shared it: the people a memo is "with". */
  people: string[];
};

export type Whose = "all" | "mine" | "shared";
export type EditedWithin = "any" | "day" | "week" | "month";

export type MemoFilters = { whose: Whose; marking: string | null; edited: EditedWithin; person: string | null };

export const NO_FILTERS: MemoFilters = { whose: "all", marking: null, edited: "any", person: null };

const WITHIN_MS: Record<Exclude<EditedWithin, "any">, number> = {
  day: 24 * 60 * 60 * 1000,
  week: 7 * 24 * 60 * 60 * 1000,
  month: 30 * 24 * 60 * 60 * 1000,
};

/** Whether any filter is set. */
export const filtering = (filters: MemoFilters) =>
  filters.whose !== "all" || filters.marking !== null || filters.edited !== "any" || filters.person !== null;

/** The memos that pass every filter, in their order. */
export function filterMemos<T extends FilterableMemo>(memos: T[], filters: MemoFilters, now = Date.now()): T[] {
  return memos.filter((memo) => {
    if (filters.whose === "mine" && memo.role !== "owner") return false;
    if (filters.whose === "shared" && memo.role === "owner") return false;
    if (filters.marking !== null && memo.marking !== filters.marking) return false;
    if (filters.edited !== "any" && now - Date.parse(memo.lastEditedAt) > WITHIN_MS[filters.edited]) return false;
    if (filters.person !== null && !memo.people.includes(filters.person)) return false;
    return true;
  });
}

/** The choices a filter offers: the markings and people that occur in the list, sorted. */
export function filterChoices(memos: FilterableMemo[]): { markings: string[]; people: string[] } {
  const markings = new Set<string>();
  const people = new Set<string>();
  for (const memo of memos) {
    if (memo.marking) markings.add(memo.marking);
    for (const person of memo.people) people.add(person);
  }
  const sorted = (values: Set<string>) => [...values].sort((a, b) => a.localeCompare(b));
  return { markings: sorted(markings), people: sorted(people) };
}
