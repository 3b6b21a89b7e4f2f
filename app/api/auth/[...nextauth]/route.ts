import NextAuth from "next-auth";
import { authOptions } from "@/app/_auth/authOptions";

// Built per request so the secret is read after the start command resolved it.
function handler(req: Request, context: { params: Promise<{ nextauth: string[] }> }) {
  return NextAuth(authOptions())(req, context);
}

export { handler as GET, handler as POST };
