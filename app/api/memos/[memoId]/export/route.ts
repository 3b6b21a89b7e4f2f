import { requireUserForRoute } from "@/app/_auth/session";
import { fileResponse } from "@/app/_http/fileResponse";
import { handleRoute } from "@/app/_http/routeHandler";
import { db, sql } from "@/server/db";
import { loadEnv } from "@/server/env";
import { exportMemo } from "@/server/export/exportMemo";

type Context = { params: Promise<{ memoId: string }> };

/** Downloads the memo as ?format=pdf, docx or md (&copy=review: suggestions as tracked changes). */
export function GET(request: Request, { params }: Context) {
  return handleRoute(
    request,
    async () => {
      const user = await requireUserForRoute();
      const { memoId } = await params;
      const { format, copy } = Object.fromEntries(new URL(request.url).searchParams);
      const file = await exportMemo(db(), user.id, memoId, format, {
        markings: loadEnv().MEMO_MARKINGS,
        copy,
        sql: sql(),
      });
      return fileResponse(file);
    },
    { route: "export" },
  );
}
