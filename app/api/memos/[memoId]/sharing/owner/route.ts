import { NextResponse } from "next/server";
import { requireUserForRoute } from "@/app/_auth/session";
import { handleRoute, readJsonBody } from "@/app/_http/routeHandler";
import { db } from "@/server/db";
import { transferOwnership } from "@/server/sharing/sharingCommands";

type Context = { params: Promise<{ memoId: string }> };

/** Hands the memo to a member: { userId } (owner). */
export function POST(request: Request, { params }: Context) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const body = (await readJsonBody(request, 16 * 1024)) as { userId?: unknown } | null;
    await transferOwnership(db(), user.id, (await params).memoId, body?.userId);
    return NextResponse.json({ ok: true });
  });
}
