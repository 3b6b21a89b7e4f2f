import { NextResponse } from "next/server";
import { requireUserForRoute } from "@/app/_auth/session";
import { handleRoute } from "@/app/_http/routeHandler";
import { db } from "@/server/db";
import { restoreVersion } from "@/server/versions/versionCommands";

type Context = { params: Promise<{ memoId: string; versionId: string }> };

/** Restores a version (the current state is saved first; the restore is a version too). */
export function POST(request: Request, { params }: Context) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const { memoId, versionId } = await params;
    return NextResponse.json(await restoreVersion(db(), user.id, memoId, versionId));
  });
}
