import { NextResponse } from "next/server";
import { requireUserForRoute } from "@/app/_auth/session";
import { handleRoute, readJsonBody } from "@/app/_http/routeHandler";
import { db } from "@/server/db";
import { labelVersion } from "@/server/versions/versionCommands";
import { getVersion } from "@/server/versions/versionQueries";

type Context = { params: Promise<{ memoId: string; versionId: string }> };

/** A version's content, to view it read-only. */
export function GET(request: Request, { params }: Context) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const { memoId, versionId } = await params;
    return NextResponse.json(await getVersion(db(), user.id, memoId, versionId));
  });
}

/** Names or annotates a version: { name?, note? }. */
export function PATCH(request: Request, { params }: Context) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const { memoId, versionId } = await params;
    await labelVersion(db(), user.id, memoId, versionId, await readJsonBody(request, 16 * 1024));
    return NextResponse.json({ ok: true });
  });
}
