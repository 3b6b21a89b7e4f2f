import { NextResponse } from "next/server";
import { requireUserForRoute } from "@/app/_auth/session";
import { handleRoute, readJsonBody } from "@/app/_http/routeHandler";
import { db } from "@/server/db";
import { changeMemberRole, removeMember } from "@/server/sharing/sharingCommands";

type Context = { params: Promise<{ memoId: string; userId: string }> };

/** Changes a member's role: { role } (owner). */
export function PATCH(request: Request, { params }: Context) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const { memoId, userId } = await params;
    const body = (await readJsonBody(request, 16 * 1024)) as { role?: unknown } | null;
    await changeMemberRole(db(), user.id, memoId, userId, body?.role);
    return NextResponse.json({ ok: true });
  });
}

/** Removes a member (owner), or leaves the memo (the member themselves). */
export function DELETE(request: Request, { params }: Context) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const { memoId, userId } = await params;
    await removeMember(db(), user.id, memoId, userId);
    return new NextResponse(null, { status: 204 });
  });
}
