import { NextResponse } from "next/server";
import { requireUserForRoute } from "@/app/_auth/session";
import { handleRoute } from "@/app/_http/routeHandler";
import { endOtherSessions, listSessions } from "@/server/accounts/userSessions";
import { db } from "@/server/db";

/** The signed-in user's live sessions ("Signed-in devices"), this one marked current. */
export function GET(request: Request) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const sessions = await listSessions(db(), user.id, user.sessionId);
    return NextResponse.json({ sessions }, { headers: { "cache-control": "no-store" } });
  });
}

/** Signs out everywhere else: ends every session of the user but this one, closing their open memos. */
export function DELETE(request: Request) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const ended = await endOtherSessions(db(), user.id, user.sessionId);
    return NextResponse.json({ ended });
  });
}
