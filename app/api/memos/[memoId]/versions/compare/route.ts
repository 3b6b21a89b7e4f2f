import { NextResponse } from "next/server";
import { requireUserForRoute } from "@/app/_auth/session";
import { handleRoute } from "@/app/_http/routeHandler";
import { db } from "@/server/db";
import { invalidInput } from "@/server/errors";
import { compareVersions } from "@/server/versions/versionQueries";

type Context = { params: Promise<{ memoId: string }> };

/** Compares two versions: ?from=<versionId>&to=<versionId> (any order; the older one comes first). */
export function GET(request: Request, { params }: Context) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const search = new URL(request.url).searchParams;
    const from = search.get("from");
    const to = search.get("to");
    if (!from || !to) throw invalidInput("Choose two versions to compare.");
    return NextResponse.json(await compareVersions(db(), user.id, (await params).memoId, from, to));
  });
}
