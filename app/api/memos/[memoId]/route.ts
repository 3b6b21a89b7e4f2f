import { NextResponse } from "next/server";
import { requireUserForRoute } from "@/app/_auth/session";
import { handleRoute, readJsonBody } from "@/app/_http/routeHandler";
import { db } from "@/server/db";
import { renameMemo, deleteMemo } from "@/server/memos/memoCommands";
import { getMemoForEditor } from "@/server/memos/memoQueries";

type Context = { params: Promise<{ memoId: string }> };

/** The memo's title and last edit time (the editor uses it to tell lost access from a network problem). */
export function GET(request: Request, { params }: Context) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const { memoId } = await params;
    return NextResponse.json({ memo: await getMemoForEditor(db(), user.id, memoId) });
  });
}

/** Renames a memo: { title }. */
export function PATCH(request: Request, { params }: Context) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const { memoId } = await params;
    const body = (await readJsonBody(request, 16 * 1024)) as { title?: unknown } | null;
    await renameMemo(db(), user.id, memoId, body?.title);
    return NextResponse.json({ ok: true });
  });
}

/** Deletes a memo and closes its open editors. */
export function DELETE(request: Request, { params }: Context) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const { memoId } = await params;
    await deleteMemo(db(), user.id, memoId);
    return new NextResponse(null, { status: 204 });
  });
}
