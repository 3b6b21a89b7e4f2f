import NextAuth from "next-auth";
import { NextResponse } from "next/server";
import { authOptions } from "@/app/_auth/authOptions";
import { malformedJsonResponse } from "@/app/_http/routeHandler";

type Context = { params: Promise<{ nextauth: string[] }> };

// Built per request so the secret is read after the start command resolved it.
function handler(req: Request, context: Context) {
  return NextAuth(authOptions())(req, context);
}

/** next-auth's POST, after a malformed JSON body has been answered with a 400 instead of its 500. */
async function post(req: Request, context: Context) {
  return (await malformedJsonResponse(req, 64 * 1024)) ?? handler(req, context);
}

/**
 * next-auth's GET, except the credentials callback: next-auth answers a GET there with a 500
 * ("Callback for provider type credentials not supported"); it only takes the sign-in form's POST.
 */
async function get(req: Request, context: Context) {
  const [action, provider] = (await context.params).nextauth ?? [];
  if (action === "callback" && provider === "credentials") {
    return NextResponse.json(
      { error: { code: "invalid_input", message: "Sign in with the sign-in form (a POST), not a link." } },
      { status: 405, headers: { allow: "POST" } },
    );
  }
  return handler(req, context);
}

export { get as GET, post as POST };
