import { callApi, type Jsonified } from "@/components/api/callApi";
import type { SearchPage } from "@/server/search/searchMemos";

export type { MarkedText, SearchHit } from "@/server/search/searchMemos";

/** One page of search results for `query`, from `offset`. */
export function fetchSearchPage(query: string, offset: number, signal?: AbortSignal): Promise<Jsonified<SearchPage>> {
  const params = new URLSearchParams({ q: query, offset: String(offset) });
  return callApi<Jsonified<SearchPage>>(`/api/search?${params}`, { signal });
}

/** Where a result opens the memo: at its section, at its comment thread, or at the top. */
export function hitHref(hit: { memoId: string; blockIndex: number | null; threadId: string | null }): string {
  const base = `/memos/${encodeURIComponent(hit.memoId)}`;
  if (hit.threadId) return `${base}?comment=${encodeURIComponent(hit.threadId)}`;
  if (hit.blockIndex !== null) return `${base}?passage=${hit.blockIndex}`;
  return base;
}
