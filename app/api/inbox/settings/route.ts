import { NextResponse } from "next/server";
import { requireUserForRoute } from "@/app/_auth/session";
import { handleRoute, readJsonBody } from "@/app/_http/routeHandler";
import { db } from "@/server/db";
import { setInboxEmail } from "@/server/inbox/inboxSettings";

/** { email: boolean }: whether the signed-in user's inbox items are also emailed. */
export function PATCH(request: Request) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    return NextResponse.json(await setInboxEmail(db(), user.id, await readJsonBody(request, 4 * 1024)));
  });
}
