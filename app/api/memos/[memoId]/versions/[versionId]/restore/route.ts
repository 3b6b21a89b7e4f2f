import { NextResponse } from "next/server";
import { requireUserForRoute } from "@/app/_auth/session";
import { handleRoute } from "@/app/_http/routeHandler";
import { db } from "@/server/db";
import { searchIndexer } from "@/server/search/searchIndexing";
import { restoreVersion } from "@/server/versions/versionCommands";

type Context = { params: Promise<{ memoId: string; versionId: string }> };

/** Restores a version (the current state is saved first; the restore is a version too). */
export function POST(request: Request, { params }: Context) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const { memoId, versionId } = await params;
    const restored = await restoreVersion(db(), user.id, memoId, versionId);
    // The restored text is searchable as edits are (the restore bypasses the collaboration server's storage).
    searchIndexer().changed(memoId);
    return NextResponse.json(restored);
  });
}
