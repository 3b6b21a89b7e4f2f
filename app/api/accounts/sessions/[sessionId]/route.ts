import { NextResponse } from "next/server";
import { requireUserForRoute } from "@/app/_auth/session";
import { handleRoute } from "@/app/_http/routeHandler";
import { endSession } from "@/server/accounts/userSessions";
import { db } from "@/server/db";

type Context = { params: Promise<{ sessionId: string }> };

/** Ends one of the signed-in user's sessions (404 for anyone else's), closing its open memos. */
export function DELETE(request: Request, { params }: Context) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const { sessionId } = await params;
    await endSession(db(), user.id, sessionId);
    return NextResponse.json({ ended: 1, current: sessionId === user.sessionId });
  });
}
