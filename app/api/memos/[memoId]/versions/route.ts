import { NextResponse } from "next/server";
import { requireUserForRoute } from "@/app/_auth/session";
import { handleRoute, readJsonBody } from "@/app/_http/routeHandler";
import { db } from "@/server/db";
import { saveNamedVersion } from "@/server/versions/versionCommands";
import { listVersions } from "@/server/versions/versionQueries";

type Context = { params: Promise<{ memoId: string }> };

/** A page of versions, newest first: ?before=<number>&limit=<1–200>. */
export function GET(request: Request, { params }: Context) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const search = new URL(request.url).searchParams;
    const page = { before: search.get("before"), limit: search.get("limit") };
    return NextResponse.json(await listVersions(db(), user.id, (await params).memoId, page));
  });
}

/** Saves the memo as it is now as a named version: { name, note? }. */
export function POST(request: Request, { params }: Context) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const version = await saveNamedVersion(
      db(),
      user.id,
      (await params).memoId,
      await readJsonBody(request, 16 * 1024),
    );
    return NextResponse.json({ version }, { status: 201 });
  });
}
