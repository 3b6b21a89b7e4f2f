import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { verifySignIn } from "@/server/accounts/signIn";
import { db } from "@/server/db";
import { loadEnv } from "@/server/env";
import { isAppError } from "@/server/errors";
import { clientAddress } from "@/server/http/clientAddress";
import { logger } from "@/server/logger";

const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

/** next-auth configuration: email + password accounts, sessions in an encrypted JWT cookie. */
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
            return { id: user.id, email: user.email, name: user.name };
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
      jwt({ token, user }) {
        if (user) token.sub = user.id;
        return token;
      },
      session({ session, token }) {
        if (session.user && token.sub) session.user.id = token.sub;
        return session;
      },
    },
  };
}
