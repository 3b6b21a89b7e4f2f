import { NextResponse } from "next/server";
import { requireUserForRoute } from "@/app/_auth/session";
import { handleRoute } from "@/app/_http/routeHandler";
import { issueCollabTicket, TICKET_TTL_SECONDS } from "@/server/collab/collabTicket";
import { db } from "@/server/db";
import { loadEnv } from "@/server/env";
import { authorizeMemo } from "@/server/memos/memoAccess";

type Context = { params: Promise<{ memoId: string }> };

/**
 * A one-minute ticket to open this memo's WebSocket without the session cookie. Send it as the
 * subprotocols ["demarche", "ticket.<ticket>"], never in the URL.
 */
export function POST(request: Request, { params }: Context) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const { memoId } = await params;
    await authorizeMemo(db(), user.id, memoId, "open");
    const ticket = issueCollabTicket(loadEnv().SESSION_SECRET!, user.id, user.sessionId, memoId);
    return NextResponse.json(
      { ticket, expiresInSeconds: TICKET_TTL_SECONDS },
      { headers: { "cache-control": "no-store" } },
    );
  });
}
