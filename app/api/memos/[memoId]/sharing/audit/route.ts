import { NextResponse } from "next/server";
import { requireUserForRoute } from "@/app/_auth/session";
import { handleRoute } from "@/app/_http/routeHandler";
import { db } from "@/server/db";
import { memoAuditLog } from "@/server/sharing/sharingQueries";

type Context = { params: Promise<{ memoId: string }> };

/** The memo's sharing history (owner). */
export function GET(request: Request, { params }: Context) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    return NextResponse.json({ events: await memoAuditLog(db(), user.id, (await params).memoId) });
  });
}
