import { NextResponse } from "next/server";
import { handleRoute, readJsonBody } from "@/app/_http/routeHandler";
import { signUp } from "@/server/accounts/signUp";
import { requirePasswordSignIn } from "@/app/_auth/signInMethods";
import { db } from "@/server/db";

/** Sign-up: creates an account; the browser then signs in through next-auth. */
export function POST(request: Request) {
  return handleRoute(request, async () => {
    requirePasswordSignIn();
    const account = await signUp(db(), await readJsonBody(request, 64 * 1024));
    return NextResponse.json({ account }, { status: 201 });
  });
}
