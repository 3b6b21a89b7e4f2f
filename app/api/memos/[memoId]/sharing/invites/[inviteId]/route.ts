import { NextResponse } from "next/server";
import { requireUserForRoute } from "@/app/_auth/session";
import { handleRoute } from "@/app/_http/routeHandler";
import { db } from "@/server/db";
import { revokeInvite } from "@/server/sharing/sharingCommands";

type Context = { params: Promise<{ memoId: string; inviteId: string }> };

/** Cancels a pending invitation (owner). */
export function DELETE(request: Request, { params }: Context) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const { memoId, inviteId } = await params;
    await revokeInvite(db(), user.id, memoId, inviteId);
    return new NextResponse(null, { status: 204 });
  });
}
