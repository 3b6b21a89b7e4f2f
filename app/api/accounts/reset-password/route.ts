import { NextResponse } from "next/server";
import { handleRoute, readJsonBody } from "@/app/_http/routeHandler";
import { resetPassword } from "@/server/accounts/passwordReset";
import { requirePasswordSignIn } from "@/app/_auth/signInMethods";
import { db } from "@/server/db";

/** Sets a new password with a one-time link's token (issued by `npm run accounts -- reset-password`). */
export function POST(request: Request) {
  return handleRoute(request, async () => {
    requirePasswordSignIn();
    const { email } = await resetPassword(db(), await readJsonBody(request, 8 * 1024));
    return NextResponse.json({ email });
  });
}
