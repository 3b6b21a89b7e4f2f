import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";
import type { TokenSet } from "openid-client";
import type { OidcEndpoints } from "@/server/accounts/oidcDiscovery";
import { signInWithOidc, type OidcRefusal } from "@/server/accounts/oidcSignIn";
import { verifySignIn } from "@/server/accounts/signIn";
import { endSession, SESSION_MAX_AGE_SECONDS, startSession } from "@/server/accounts/userSessions";
import { db } from "@/server/db";
import { loadEnv, type OidcSettings } from "@/server/env";
import { isAppError } from "@/server/errors";
import { clientAddress } from "@/server/http/clientAddress";
import { logger } from "@/server/logger";

/** The provider id of single sign-on: its callback is /api/auth/callback/oidc. */
export const OIDC_PROVIDER_ID = "oidc";

/** The sign-in page's ?error= for each refusal (the page words them). */
const OIDC_REFUSALS: Record<OidcRefusal, string> = {
  unusable_claims: "OidcClaims",
  unverified_email: "OidcUnverifiedEmail",
  linked_elsewhere: "OidcAccountExists",
  raced: "OidcRetry",
};

/** What a request adds to the configuration: the identity provider's endpoints and the browser. */
export type AuthRequestContext = {
  /** The discovered endpoints (server/accounts/oidcDiscovery.ts), when single sign-on is configured. */
  oidcEndpoints?: OidcEndpoints;
  /** The browser's User-Agent, recorded with a session started by single sign-on. */
  userAgent?: string;
};

/**
 * next-auth configuration: email + password accounts (unless PASSWORD_SIGNIN=off) and OpenID
 * Connect single sign-on (when OIDC_* are set); sessions in an encrypted JWT cookie that names a
 * recorded session (server/accounts/userSessions.ts), started at sign-in and ended at sign-out, so
 * that a copied cookie stops working when its session ends.
 */
export function authOptions(context: AuthRequestContext = {}): NextAuthOptions {
  const env = loadEnv();
  const providers: NextAuthOptions["providers"] = [];
  if (env.PASSWORD_SIGNIN) providers.push(passwordProvider(env.TRUST_PROXY));
  if (env.oidc && context.oidcEndpoints) providers.push(oidcProvider(env.oidc, context.oidcEndpoints));
  return {
    secret: env.SESSION_SECRET,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/signin", error: "/signin" },
    // Into our JSON log rather than next-auth's console lines. Its errors are mostly a browser's
    // (a callback without its state cookie, a code that expired): a warning, with the reason.
    logger: {
      error(code, metadata) {
        const error = metadata instanceof Error ? metadata : (metadata as { error?: unknown })?.error;
        logger().warn({ code, err: error instanceof Error ? { message: error.message } : undefined }, "sign-in failed");
      },
      warn(code) {
        logger().warn({ code }, "next-auth warning");
      },
      debug() {},
    },
    providers,
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== OIDC_PROVIDER_ID) return true;
        if (!env.oidc || !context.oidcEndpoints || !profile) return "/signin?error=OidcUnavailable";
        try {
          const result = await signInWithOidc(
            db(),
            {
              issuer: context.oidcEndpoints.issuer,
              subject: account.providerAccountId,
              claims: profile as Record<string, unknown>,
            },
            env.oidc,
          );
          if (!result.ok) {
            logger().warn({ reason: result.reason, detail: result.detail }, "single sign-on refused");
            return `/signin?error=${OIDC_REFUSALS[result.reason]}`;
          }
          if (result.tookOver) {
            logger().info({ userId: result.account.id }, "single sign-on took over a password account");
          }
          // next-auth hands this same object to the jwt callback: from here on it is our account.
          Object.assign(user, result.account, { userAgent: context.userAgent });
          return true;
        } catch (error) {
          logger().error({ err: error }, "single sign-on failed unexpectedly");
          return "/signin?error=OidcUnavailable";
        }
      },
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

function passwordProvider(trustProxy: number) {
  return CredentialsProvider({
    name: "Email and password",
    credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
    async authorize(credentials, req) {
      try {
        const user = await verifySignIn(db(), {
          email: credentials?.email,
          password: credentials?.password,
          // The socket's peer (set by server/http/appServer.ts), or what TRUST_PROXY proxies saw.
          ip: clientAddress(req.headers, trustProxy),
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
  });
}

type OidcClaims = Record<string, unknown> & { sub: string };

/**
 * The identity provider as an OAuth client of the authorization-code flow with PKCE, state and
 * nonce. The ID token is checked (signature from jwks_uri, issuer, audience, nonce, expiry) by
 * openid-client; its claims are the profile, completed from userinfo only when they lack the email
 * or name claim (Microsoft Entra ID's userinfo lives on another host and is rarely needed).
 */
function oidcProvider(settings: OidcSettings, endpoints: OidcEndpoints): OAuthConfig<OidcClaims> {
  return {
    id: OIDC_PROVIDER_ID,
    name: settings.displayName,
    type: "oauth",
    issuer: endpoints.issuer,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    authorization: { url: endpoints.authorizationEndpoint, params: { scope: settings.scopes } },
    token: endpoints.tokenEndpoint,
    jwks_endpoint: endpoints.jwksUri,
    idToken: true,
    client: { id_token_signed_response_alg: endpoints.idTokenSigningAlg },
    checks: ["pkce", "state", "nonce"],
    userinfo: {
      ...(endpoints.userinfoEndpoint ? { url: endpoints.userinfoEndpoint } : {}),
      async request({ tokens: tokenParameters, client }) {
        // What client.callback returned (next-auth types it as the plain parameters).
        const tokens = tokenParameters as TokenSet;
        const claims = tokens.claims() as OidcClaims;
        const complete = claims[settings.emailClaim] !== undefined && claims[settings.nameClaim] !== undefined;
        if (complete || !endpoints.userinfoEndpoint || !tokens.access_token) return claims;
        // openid-client checks that userinfo's sub is the ID token's.
        const userinfo = await client.userinfo(tokens);
        const missing = [settings.emailClaim, settings.nameClaim, "email_verified"].filter(
          (key) => claims[key] === undefined,
        );
        return { ...claims, ...pick(userinfo, missing) };
      },
    },
    profile(claims) {
      const email = claims[settings.emailClaim];
      const name = claims[settings.nameClaim];
      return {
        id: claims.sub,
        email: typeof email === "string" ? email : null,
        name: typeof name === "string" ? name : null,
      };
    },
  };
}

function pick(source: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => source[key] !== undefined).map((key) => [key, source[key]]));
}
