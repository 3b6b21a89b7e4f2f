import { requireUserForRoute } from "@/app/_auth/session";
import { fileResponse } from "@/app/_http/fileResponse";
import { handleRoute } from "@/app/_http/routeHandler";
import { db } from "@/server/db";
import { loadEnv } from "@/server/env";
import { exportRedline } from "@/server/versions/versionRedline";

type Context = { params: Promise<{ memoId: string }> };

/** Downloads the redline of two versions: ?from=<versionId>&to=<versionId>&format=docx or pdf. */
export function GET(request: Request, { params }: Context) {
  return handleRoute(
    request,
    async () => {
      const user = await requireUserForRoute();
      const { memoId } = await params;
      const { from, to, format } = Object.fromEntries(new URL(request.url).searchParams);
      const file = await exportRedline(
        db(),
        user.id,
        memoId,
        { from, to, format },
        { markings: loadEnv().MEMO_MARKINGS },
      );
      return fileResponse(file);
    },
    { route: "redline" },
  );
}
