// Small client for the memo routes: every failure becomes an Error with a message to show.

import { callApi, jsonRequest } from "@/components/api/callApi";

export type CreateMemoRequest =
  | { from: "blank"; title?: string }
  | { from: "source"; title?: string; source: string }
  | { from: "sample" };

export const memoApi = {
  create: (request: CreateMemoRequest) =>
    callApi<{ memo: { id: string } }>("/api/memos", jsonRequest("POST", request)),
  importFile: (file: File, title?: string) =>
    callApi<{ memo: { id: string } }>(`/api/memos/import${title ? `?title=${encodeURIComponent(title)}` : ""}`, {
      method: "POST",
      headers: { "content-type": file.type || "application/octet-stream" },
      body: file,
    }),
  rename: (id: string, title: string) => callApi<{ ok: true }>(`/api/memos/${id}`, jsonRequest("PATCH", { title })),
  remove: (id: string) => callApi<void>(`/api/memos/${id}`, { method: "DELETE" }),
};
