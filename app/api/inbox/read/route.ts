import { NextResponse } from "next/server";
import { requireUserForRoute } from "@/app/_auth/session";
import { handleRoute, readJsonBody } from "@/app/_http/routeHandler";
import { db } from "@/server/db";
import { markInboxRead } from "@/server/inbox/inboxQueries";

/** Marks inbox items read: { ids: [...] } or { all: true }. Answers the unread count after. */
export function POST(request: Request) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const unread = await markInboxRead(db(), user.id, await readJsonBody(request, 16 * 1024));
    return NextResponse.json({ unread });
  });
}
