import { NextResponse } from "next/server";
import { requireUserForRoute } from "@/app/_auth/session";
import { handleRoute, readJsonBody } from "@/app/_http/routeHandler";
import { db } from "@/server/db";
import { inviteToMemo } from "@/server/sharing/sharingCommands";
import { memoSharing } from "@/server/sharing/sharingQueries";

type Context = { params: Promise<{ memoId: string }> };

/** Who has access (any member), and pending invitations (owner). */
export function GET(request: Request, { params }: Context) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    return NextResponse.json(await memoSharing(db(), user.id, (await params).memoId));
  });
}

/** Invites a colleague: { email, role }. */
export function POST(request: Request, { params }: Context) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const body = (await readJsonBody(request, 16 * 1024)) as { email?: unknown; role?: unknown } | null;
    const result = await inviteToMemo(db(), user.id, (await params).memoId, { email: body?.email, role: body?.role });
    return NextResponse.json(result, { status: 201 });
  });
}
