import { NextResponse } from "next/server";
import { requireUserForRoute } from "@/app/_auth/session";
import { handleRoute, readJsonBody } from "@/app/_http/routeHandler";
import { db } from "@/server/db";
import { replyToThread } from "@/server/comments/commentCommands";

type Context = { params: Promise<{ memoId: string; threadId: string }> };

/** Replies to a thread: { body, mentions } (commenter and above). */
export function POST(request: Request, { params }: Context) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const { memoId, threadId } = await params;
    const thread = await replyToThread(db(), user.id, memoId, threadId, await readJsonBody(request, 64 * 1024));
    return NextResponse.json({ thread }, { status: 201 });
  });
}
