import type { JSONContent } from "@tiptap/core";
import type { z } from "zod";
import { callApi, jsonRequest, type Jsonified } from "@/components/api/callApi";
import type { namedVersionInput, versionLabelInput } from "@/server/versions/versionInput";
import type {
  VersionComparison as ServerVersionComparison,
  VersionSummary as ServerVersionSummary,
} from "@/server/versions/versionQueries";

// Client for the version routes; failures become Errors with a message to show.

export type { VersionKind } from "@/server/versions/recordVersion";
export type { ComparedPart } from "@/server/versions/versionQueries";
/** A line of the history timeline, as the browser receives it. */
export type VersionSummary = Jsonified<ServerVersionSummary>;
/** Two versions compared, as the browser receives it. */
export type VersionComparison = Jsonified<ServerVersionComparison>;

// The bodies the version routes take, from the server's schemas (versionInput.ts).
type NamedVersionRequest = z.input<typeof namedVersionInput>;
type VersionLabelRequest = z.input<typeof versionLabelInput>;

export function historyApi(memoId: string) {
  const base = `/api/memos/${memoId}/versions`;
  return {
    list: (before?: number) =>
      callApi<{ versions: VersionSummary[]; nextBefore: number | null }>(`${base}${before ? `?before=${before}` : ""}`),
    get: (id: string) =>
      callApi<{ number: number; name: string | null; createdAt: string; json: JSONContent }>(`${base}/${id}`),
    save: (name: string, note: string) =>
      callApi<{ version: { id: string; number: number } }>(
        base,
        jsonRequest("POST", { name, note } satisfies NamedVersionRequest),
      ),
    label: (id: string, name: string, note: string) =>
      callApi<{ ok: true }>(`${base}/${id}`, jsonRequest("PATCH", { name, note } satisfies VersionLabelRequest)),
    restore: (id: string) => callApi<{ restore: { number: number } }>(`${base}/${id}/restore`, { method: "POST" }),
    compare: (from: string, to: string) => callApi<VersionComparison>(`${base}/compare?from=${from}&to=${to}`),
  };
}
