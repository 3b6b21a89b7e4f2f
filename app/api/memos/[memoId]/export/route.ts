import { z } from "zod";
import { requireUserForRoute } from "@/app/_auth/session";
import { handleRoute } from "@/app/_http/routeHandler";
import { db, sql } from "@/server/db";
import { loadEnv } from "@/server/env";
import { invalidInput } from "@/server/errors";
import { EXPORT_FORMATS, exportMemo } from "@/server/export/exportMemo";

type Context = { params: Promise<{ memoId: string }> };

const query = z.object({ format: z.enum(EXPORT_FORMATS) });

/** Downloads the memo as ?format=pdf, docx or md. */
export function GET(request: Request, { params }: Context) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const { memoId } = await params;
    const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) throw invalidInput(`Choose an export format: ${EXPORT_FORMATS.join(", ")}.`, { field: "format" });
    const file = await exportMemo(db(), user.id, memoId, parsed.data.format, { markings: loadEnv().MEMO_MARKINGS, sql: sql() });
    return new Response(file.bytes as Uint8Array<ArrayBuffer>, {
      headers: {
        "content-type": file.contentType,
        "content-disposition": file.contentDisposition,
        "content-length": String(file.bytes.byteLength),
        // A memo may carry a handling marking: no shared cache may keep a copy.
        "cache-control": "private, no-store",
      },
    });
  }, { route: "export" });
}
