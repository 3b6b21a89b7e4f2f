// Small client for the memo routes: every failure becomes an Error with a message to show.

import type { z } from "zod";
import { callApi, jsonRequest } from "@/components/api/callApi";
import type { createMemoInput, titleInput } from "@/server/memos/memoInput";

/** A new memo, as POST /api/memos takes it (the schema is the server's, memoInput.ts). */
export type CreateMemoRequest = z.input<typeof createMemoInput>;
/** A rename, as PATCH /api/memos/:id takes it. */
type RenameRequest = z.input<typeof titleInput>;

export const memoApi = {
  create: (request: CreateMemoRequest) => callApi<{ memo: { id: string } }>("/api/memos", jsonRequest("POST", request)),
  importFile: (file: File, title?: string) =>
    callApi<{ memo: { id: string } }>(`/api/memos/import${title ? `?title=${encodeURIComponent(title)}` : ""}`, {
      method: "POST",
      headers: { "content-type": file.type || "application/octet-stream" },
      body: file,
    }),
  rename: (id: string, title: string) =>
    callApi<{ ok: true }>(`/api/memos/${id}`, jsonRequest("PATCH", { title } satisfies RenameRequest)),
  remove: (id: string) => callApi<void>(`/api/memos/${id}`, { method: "DELETE" }),
};
