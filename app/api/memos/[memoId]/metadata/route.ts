import { NextResponse } from "next/server";
import { requireUserForRoute } from "@/app/_auth/session";
import { handleRoute, readJsonBody } from "@/app/_http/routeHandler";
import { db } from "@/server/db";
import { loadEnv } from "@/server/env";
import { getMemoMetadata, updateMemoMetadata } from "@/server/memos/memoMetadata";

type Context = { params: Promise<{ memoId: string }> };

/** The memo's metadata and the markings it may carry. */
export function GET(request: Request, { params }: Context) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const { memoId } = await params;
    const markings = loadEnv().MEMO_MARKINGS;
    return NextResponse.json({ metadata: await getMemoMetadata(db(), user.id, memoId, markings), markings });
  });
}

/** Changes some of the memo's metadata: { to?, from?, date?, subject?, distribution?, marking? }. */
export function PATCH(request: Request, { params }: Context) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const { memoId } = await params;
    const body = await readJsonBody(request, 64 * 1024);
    const metadata = await updateMemoMetadata(db(), user.id, memoId, body, loadEnv().MEMO_MARKINGS);
    return NextResponse.json({ metadata });
  });
}
