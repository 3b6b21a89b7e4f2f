import { NextResponse } from "next/server";
import { requireUserForRoute } from "@/app/_auth/session";
import { handleRoute } from "@/app/_http/routeHandler";
import { db } from "@/server/db";
import { compareVersions } from "@/server/versions/versionQueries";

type Context = { params: Promise<{ memoId: string }> };

/** Compares two versions: ?from=<versionId>&to=<versionId> (any order; the older one comes first). */
export function GET(request: Request, { params }: Context) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const search = new URL(request.url).searchParams;
    return NextResponse.json(
      await compareVersions(db(), user.id, (await params).memoId, search.get("from"), search.get("to")),
    );
  });
}
