import { NextResponse } from "next/server";
import { requireUserForRoute } from "@/app/_auth/session";
import { handleRoute, readJsonBody } from "@/app/_http/routeHandler";
import { db } from "@/server/db";
import { deleteComment, editComment } from "@/server/comments/commentCommands";

type Context = { params: Promise<{ memoId: string; threadId: string; commentId: string }> };

/** Edits one's own comment: { body, mentions }. */
export function PATCH(request: Request, { params }: Context) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const { memoId, threadId, commentId } = await params;
    const thread = await editComment(
      db(),
      user.id,
      memoId,
      threadId,
      commentId,
      await readJsonBody(request, 64 * 1024),
    );
    return NextResponse.json({ thread });
  });
}

/** Deletes a comment (its author, or the memo's owner); answers with the thread, or null when it went. */
export function DELETE(request: Request, { params }: Context) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const { memoId, threadId, commentId } = await params;
    return NextResponse.json({ thread: await deleteComment(db(), user.id, memoId, threadId, commentId) });
  });
}
