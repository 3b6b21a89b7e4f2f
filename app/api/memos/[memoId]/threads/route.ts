import { NextResponse } from "next/server";
import { requireUserForRoute } from "@/app/_auth/session";
import { handleRoute, readJsonBody } from "@/app/_http/routeHandler";
import { db } from "@/server/db";
import { createThread } from "@/server/comments/commentCommands";
import { listThreads } from "@/server/comments/commentQueries";

type Context = { params: Promise<{ memoId: string }> };

/** The memo's comment threads (anyone who may open it). */
export function GET(request: Request, { params }: Context) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const threads = await listThreads(db(), user.id, (await params).memoId);
    return NextResponse.json({ threads }, { headers: { "cache-control": "private, no-store" } });
  });
}

/** Opens a thread on a passage: { anchor: { start, end }, quote, body, mentions } (commenter and above). */
export function POST(request: Request, { params }: Context) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const thread = await createThread(db(), user.id, (await params).memoId, await readJsonBody(request, 64 * 1024));
    return NextResponse.json({ thread }, { status: 201 });
  });
}
