// Client calls for the memo's metadata and its exports. Every failure becomes an Error whose
// message can be shown as it is.

import type { z } from "zod";
import { callApi, fetchOk, jsonRequest } from "@/components/api/callApi";
import type { metadataChangeInput } from "@/server/memos/memoInput";
import type { ExportCopy, ExportFormat } from "@/common/export/exportFormats";
import type { MemoMetadata } from "@/server/memos/memoMetadata";

/** A memo's metadata as the server returns it (see server/memos/memoMetadata.ts). */
export type MemoDetails = MemoMetadata;

/** A change to some of the metadata fields, as PATCH …/metadata takes it (memoInput.ts). */
export type MemoDetailsChange = z.input<ReturnType<typeof metadataChangeInput>>;

/** Saves a change and returns the memo's metadata after it. */
export async function saveMemoDetails(memoId: string, change: MemoDetailsChange): Promise<MemoDetails> {
  const answer = await callApi<{ metadata: MemoDetails }>(
    `/api/memos/${memoId}/metadata`,
    jsonRequest("PATCH", change),
  );
  return answer.metadata;
}

/** The file name a Content-Disposition header gives (filename* preferred), or null. */
export function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const extended = /filename\*=UTF-8''([^;]+)/iu.exec(disposition)?.[1];
  if (extended) {
    try {
      return decodeURIComponent(extended);
    } catch {
      // Fall back to the plain name.
    }
  }
  return /filename="([^"]+)"/iu.exec(disposition)?.[1] ?? null;
}

/** Fetches an export and hands it to the browser as a download. */
export async function downloadExport(memoId: string, format: ExportFormat, copy: ExportCopy = "clean"): Promise<void> {
  const query = `format=${format}${copy === "review" ? "&copy=review" : ""}`;
  await downloadFrom(`/api/memos/${memoId}/export?${query}`, `memo.${format}`);
}

/** Downloads what `address` answers as a file, named as the answer says (else `fallbackName`). */
export async function downloadFrom(address: string, fallbackName: string): Promise<void> {
  const response = await fetchOk(address);
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileNameOf(response.headers.get("content-disposition")) ?? fallbackName;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started once click() returns; the object URL can go a moment later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
