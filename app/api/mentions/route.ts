import { NextResponse } from "next/server";
import { requireUserForRoute } from "@/app/_auth/session";
import { handleRoute } from "@/app/_http/routeHandler";
import { db } from "@/server/db";
import { listMentions } from "@/server/comments/commentQueries";

/** Comments that mention the signed-in user, newest first. */
export function GET(request: Request) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    return NextResponse.json(
      { mentions: await listMentions(db(), user.id) },
      { headers: { "cache-control": "private, no-store" } },
    );
  });
}
