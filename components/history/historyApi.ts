import type { JSONContent } from "@tiptap/core";

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

async function call<T>(input: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(input, { cache: "no-store", ...init });
  } catch {
    throw new Error("Could not reach the server. Check your connection and try again.");
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `The server answered ${response.status}. Try again.`);
  }
  return (await response.json()) as T;
}

const json = (method: string, body: unknown): RequestInit => ({ method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

export function historyApi(memoId: string) {
  const base = `/api/memos/${memoId}/versions`;
  return {
    list: (before?: number) => call<{ versions: VersionSummary[]; nextBefore: number | null }>(`${base}${before ? `?before=${before}` : ""}`),
    get: (id: string) => call<{ number: number; name: string | null; createdAt: string; json: JSONContent }>(`${base}/${id}`),
    save: (name: string, note: string) => call<{ version: { id: string; number: number } }>(base, json("POST", { name, note })),
    label: (id: string, name: string, note: string) => call<{ ok: true }>(`${base}/${id}`, json("PATCH", { name, note })),
    restore: (id: string) => call<{ restore: { number: number } }>(`${base}/${id}/restore`, { method: "POST" }),
    compare: (from: string, to: string) => call<VersionComparison>(`${base}/compare?from=${from}&to=${to}`),
  };
}
