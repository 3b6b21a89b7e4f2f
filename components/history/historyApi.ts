import type { JSONContent } from "@tiptap/core";
import { callApi, jsonRequest } from "@/components/api/callApi";

// Client for the version routes; failures become Errors with a message to show.

export type VersionKind = "automatic" | "named" | "restore" | "export";
export type VersionSummary = {
  id: string;
  number: number;
  kind: VersionKind;
  name: string | null;
  note: string | null;
  createdAt: string;
  createdByName: string | null;
  editorNames: string[];
  restoredFrom: number | null;
  words: number;
};
export type ComparedPart = { kind: "same" | "added" | "removed"; text: string; start: number; authors?: string[] };
export type VersionComparison = {
  from: { number: number; name: string | null; createdAt: string };
  to: { number: number; name: string | null; createdAt: string };
  parts: ComparedPart[];
  wordsAdded: number;
  wordsRemoved: number;
  sectionsChanged: string[];
};


export function historyApi(memoId: string) {
  const base = `/api/memos/${memoId}/versions`;
  return {
    list: (before?: number) => callApi<{ versions: VersionSummary[]; nextBefore: number | null }>(`${base}${before ? `?before=${before}` : ""}`),
    get: (id: string) => callApi<{ number: number; name: string | null; createdAt: string; json: JSONContent }>(`${base}/${id}`),
    save: (name: string, note: string) => callApi<{ version: { id: string; number: number } }>(base, jsonRequest("POST", { name, note })),
    label: (id: string, name: string, note: string) => callApi<{ ok: true }>(`${base}/${id}`, jsonRequest("PATCH", { name, note })),
    restore: (id: string) => callApi<{ restore: { number: number } }>(`${base}/${id}/restore`, { method: "POST" }),
    compare: (from: string, to: string) => callApi<VersionComparison>(`${base}/compare?from=${from}&to=${to}`),
  };
}
