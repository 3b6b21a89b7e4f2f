import NextAuth from "next-auth";
import { NextResponse } from "next/server";
import { authOptions, OIDC_PROVIDER_ID } from "@/app/_auth/authOptions";
import { malformedJsonResponse } from "@/app/_http/routeHandler";
import { oidcEndpoints, type OidcEndpoints } from "@/server/accounts/oidcDiscovery";
import { loadEnv } from "@/server/env";
import { logger } from "@/server/logger";

type Context = { params: Promise<{ nextauth: string[] }> };

/**
 * next-auth, configured per request: the secret is read after the start command resolved it, and
 * single sign-on's endpoints are discovered (once an hour, oidcDiscovery.ts) only by the requests
 * that use them, its sign-in and callback. A provider that cannot be discovered sends the person
 * back to the sign-in page with a message, and the operator gets the reason in the log.
 */
async function handler(req: Request, context: Context) {
  const [action, provider] = (await context.params).nextauth ?? [];
  const oidc = loadEnv().oidc;
  let endpoints: OidcEndpoints | undefined;
  if (oidc) {
    if ((action === "signin" || action === "callback") && provider === OIDC_PROVIDER_ID) {
      try {
        endpoints = await oidcEndpoints(oidc.issuer);
      } catch (error) {
        logger().error({ err: error }, "single sign-on is unavailable: the identity provider could not be discovered");
        return oidcUnavailable(req);
      }
    } else {
      // The other requests list the provider (id and name) but never contact it.
      endpoints = standInEndpoints(oidc.issuer);
    }
  }
  const options = authOptions({ oidcEndpoints: endpoints, userAgent: req.headers.get("user-agent") ?? undefined });
  return NextAuth(options)(req, context);
}

function standInEndpoints(issuer: string): OidcEndpoints {
  return {
    issuer,
    authorizationEndpoint: issuer,
    tokenEndpoint: issuer,
    jwksUri: issuer,
    userinfoEndpoint: null,
    idTokenSigningAlg: "RS256",
  };
}

/** Back to the sign-in page: a redirect for the browser, or next-auth's JSON answer to its client's POST. */
function oidcUnavailable(req: Request): Response {
  // A relative address: the request's own Host may be a proxy's internal one.
  const location = "/signin?error=OidcUnavailable";
  if (req.method === "POST") return NextResponse.json({ url: location });
  return new Response(null, { status: 303, headers: { location } });
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
