import type { ExportedFile } from "@/server/export/exportMemo";

/** An exported file as a download; a memo may carry a handling marking, so no shared cache keeps a copy. */
export function fileResponse(file: ExportedFile): Response {
  return new Response(file.bytes as Uint8Array<ArrayBuffer>, {
    headers: {
      "content-type": file.contentType,
      "content-disposition": file.contentDisposition,
      "content-length": String(file.bytes.byteLength),
      "cache-control": "private, no-store",
    },
  });
}
