import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { verifySignIn } from "@/server/accounts/signIn";
import { endSession, SESSION_MAX_AGE_SECONDS, startSession } from "@/server/accounts/userSessions";
import { db } from "@/server/db";
import { loadEnv } from "@/server/env";
import { isAppError } from "@/server/errors";
import { clientAddress } from "@/server/http/clientAddress";
import { logger } from "@/server/logger";

/**
 * next-auth configuration: email + password accounts, sessions in an encrypted JWT cookie that
 * names a recorded session (server/accounts/userSessions.ts), started at sign-in and ended at
 * sign-out, so that a copied cookie stops working when its session ends.
 */
export function authOptions(): NextAuthOptions {
  const env = loadEnv();
  return {
    secret: env.SESSION_SECRET,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          try {
            const user = await verifySignIn(db(), {
              email: credentials?.email,
              password: credentials?.password,
              // The socket's peer (set by server/http/appServer.ts), or what TRUST_PROXY proxies saw.
              ip: clientAddress(req.headers, env.TRUST_PROXY),
            });
            const userAgent = typeof req.headers?.["user-agent"] === "string" ? req.headers["user-agent"] : undefined;
            return { id: user.id, email: user.email, name: user.name, userAgent };
          } catch (error) {
            // next-auth passes the message of a thrown error to the sign-in form as is.
            if (isAppError(error)) throw new Error(error.message);
            logger().error({ err: error }, "sign-in failed unexpectedly");
            throw new Error("Sign-in is unavailable right now. Try again in a moment.");
          }
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        // `user` is there once, at sign-in: the session's record starts then.
        if (user) {
          token.sub = user.id;
          token.sid = await startSession(db(), user.id, (user as { userAgent?: string }).userAgent);
        }
        return token;
      },
      session({ session, token }) {
        if (session.user && token.sub) session.user.id = token.sub;
        if (typeof token.sid === "string") session.sessionId = token.sid;
        return session;
      },
    },
    events: {
      // Signing out ends the session's record, so the cookie is dead even if it was copied.
      async signOut({ token }) {
        if (typeof token?.sub === "string" && typeof token.sid === "string") {
          await endSession(db(), token.sub, token.sid).catch((error: unknown) => {
            if (!isAppError(error, "not_found")) logger().error({ err: error }, "ending a session at sign-out failed");
          });
        }
      },
    },
  };
}
