import { NextResponse } from "next/server";
import { requireUserForRoute } from "@/app/_auth/session";
import { handleRoute } from "@/app/_http/routeHandler";
import { db } from "@/server/db";
import { listInbox, unreadCount } from "@/server/inbox/inboxQueries";

/**
 * The signed-in user's inbox, newest first (`?before=<createdAt>` for the next page), or only its
 * unread count with `?count=1` (what the header asks for).
 */
export function GET(request: Request) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const params = new URL(request.url).searchParams;
    const headers = { "cache-control": "private, no-store" };
    if (params.get("count") === "1")
      return NextResponse.json({ unread: await unreadCount(db(), user.id) }, { headers });
    const before = params.get("before");
    return NextResponse.json(await listInbox(db(), user.id, before === null ? {} : { before }), { headers });
  });
}
