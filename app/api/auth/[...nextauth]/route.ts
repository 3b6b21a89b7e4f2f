import NextAuth from "next-auth";
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

export { handler as GET, post as POST };
