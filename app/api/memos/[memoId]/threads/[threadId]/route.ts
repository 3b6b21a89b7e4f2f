import { NextResponse } from "next/server";
import { requireUserForRoute } from "@/app/_auth/session";
import { handleRoute, readJsonBody } from "@/app/_http/routeHandler";
import { db } from "@/server/db";
import { changeThread } from "@/server/comments/commentCommands";

type Context = { params: Promise<{ memoId: string; threadId: string }> };

/** Resolves or reopens a thread ({ resolved }), or re-anchors it ({ anchor, quote }) (commenter and above). */
export function PATCH(request: Request, { params }: Context) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const { memoId, threadId } = await params;
    const thread = await changeThread(db(), user.id, memoId, threadId, await readJsonBody(request, 64 * 1024));
    return NextResponse.json({ thread });
  });
}
