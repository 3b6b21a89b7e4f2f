import { z } from "zod";
import { logger } from "../logger";
import { providerUrl } from "./providerUrl";

// The identity provider's endpoints, read from its discovery document (OpenID Connect Discovery
// 1.0, section 4) rather than configured one by one. The document must name the configured issuer
// (section 4.3: a provider whose document names another issuer is not that issuer, whatever URL
// served it), and every endpoint must be https, or http on a loopback address for a provider
// running beside Demarche. Nothing here follows a redirect: Demarche talks to the configured
// issuer's endpoints and nothing else.

const DISCOVERY_TIMEOUT_MS = 5000;
const DISCOVERY_MAX_BYTES = 256 * 1024;
/** A document is trusted this long, then read again (providers rotate endpoints rarely). */
const FRESH_FOR_MS = 60 * 60 * 1000;
/** After a failure, the next sign-in tries again only after this long (a down provider is not hammered). */
const RETRY_AFTER_MS = 10 * 1000;

/** The endpoints next-auth's OAuth client needs. */
export type OidcEndpoints = {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
  userinfoEndpoint: string | null;
  /** How ID tokens are signed: RS256 when the provider offers it (openid-client's default), else its first. */
  idTokenSigningAlg: string;
};

/** Why single sign-on is unavailable, in words an operator can act on. */
export class OidcDiscoveryError extends Error {
  override name = "OidcDiscoveryError";
}

const discoveryDocument = z.object({
  issuer: z.string(),
  authorization_endpoint: providerUrl("authorization_endpoint"),
  token_endpoint: providerUrl("token_endpoint"),
  jwks_uri: providerUrl("jwks_uri"),
  userinfo_endpoint: providerUrl("userinfo_endpoint").optional(),
  id_token_signing_alg_values_supported: z.array(z.string().min(1).max(20)).max(50).optional(),
});

/** RS256 unless the provider does not offer it; never "none" (an unsigned ID token). */
function signingAlg(offered: string[] | undefined): string | null {
  const usable = (offered ?? ["RS256"]).filter((alg) => alg !== "none");
  return usable.includes("RS256") ? "RS256" : (usable[0] ?? null);
}

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, "");

/** Where the discovery document of `issuer` is (its path plus /.well-known/openid-configuration). */
export function discoveryUrl(issuer: string): string {
  return `${withoutTrailingSlash(issuer)}/.well-known/openid-configuration`;
}

/**
 * Reads and checks the discovery document of `issuer`. Throws OidcDiscoveryError when the provider
 * cannot be reached, answers with something other than a discovery document, or names another
 * issuer. A trailing slash is the only difference tolerated between the configured and the named
 * issuer; the named one is returned, since ID tokens carry it exactly.
 */
export async function discoverOidcProvider(issuer: string): Promise<OidcEndpoints> {
  const url = discoveryUrl(issuer);
  let response: Response;
  try {
    response = await fetch(url, {
      redirect: "error",
      signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
      headers: { accept: "application/json" },
    });
  } catch (error) {
    throw new OidcDiscoveryError(`The identity provider at ${url} could not be reached (${(error as Error).message}).`);
  }
  if (!response.ok) throw new OidcDiscoveryError(`The identity provider answered ${response.status} at ${url}.`);
  const text = await readLimited(response, DISCOVERY_MAX_BYTES, url);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new OidcDiscoveryError(`${url} did not answer with JSON.`);
  }
  const parsed = discoveryDocument.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => issue.message).join("; ");
    throw new OidcDiscoveryError(`The discovery document at ${url} is not usable: ${problems}.`);
  }
  const document = parsed.data;
  if (withoutTrailingSlash(document.issuer) !== withoutTrailingSlash(issuer)) {
    throw new OidcDiscoveryError(
      `The provider at ${url} says it is the issuer "${document.issuer}", not the configured OIDC_ISSUER "${issuer}".`,
    );
  }
  // Loopback http is for a provider on this machine, not an endpoint an https provider points at.
  if (new URL(issuer).protocol === "https:") {
    const endpoints = [document.authorization_endpoint, document.token_endpoint, document.jwks_uri];
    if (document.userinfo_endpoint) endpoints.push(document.userinfo_endpoint);
    const plain = endpoints.find((endpoint) => new URL(endpoint).protocol !== "https:");
    if (plain) throw new OidcDiscoveryError(`The https provider at ${url} names an http endpoint (${plain}).`);
  }
  const idTokenSigningAlg = signingAlg(document.id_token_signing_alg_values_supported);
  if (!idTokenSigningAlg) throw new OidcDiscoveryError(`The provider at ${url} offers only unsigned ID tokens.`);
  return {
    issuer: document.issuer,
    authorizationEndpoint: document.authorization_endpoint,
    tokenEndpoint: document.token_endpoint,
    jwksUri: document.jwks_uri,
    userinfoEndpoint: document.userinfo_endpoint ?? null,
    idTokenSigningAlg,
  };
}

async function readLimited(response: Response, maxBytes: number, url: string): Promise<string> {
  const declared = Number(response.headers.get("content-length") ?? 0);
  if (declared > maxBytes) throw new OidcDiscoveryError(`The discovery document at ${url} is too large.`);
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new OidcDiscoveryError(`The discovery document at ${url} is too large.`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

type CacheEntry = { issuer: string; at: number; failed: boolean; result: Promise<OidcEndpoints> };
let cache: CacheEntry | undefined;
/** The last endpoints that were discovered, served while a later refresh fails. */
let lastGood: { issuer: string; endpoints: OidcEndpoints } | undefined;

/**
 * The provider's endpoints, discovered at most once an hour; one discovery at a time however many
 * sign-ins wait for it. When a refresh fails, the endpoints discovered before keep serving; with
 * none, the failure is remembered for a few seconds before the next attempt.
 */
export function oidcEndpoints(issuer: string, now = Date.now()): Promise<OidcEndpoints> {
  if (cache && cache.issuer === issuer && now - cache.at < (cache.failed ? RETRY_AFTER_MS : FRESH_FOR_MS)) {
    return cache.result;
  }
  const stale = lastGood?.issuer === issuer ? lastGood.endpoints : undefined;
  const entry: CacheEntry = { issuer, at: now, failed: false, result: discoverOidcProvider(issuer) };
  entry.result = entry.result.then(
    (endpoints) => {
      lastGood = { issuer, endpoints };
      return endpoints;
    },
    (error: unknown) => {
      entry.failed = true;
      entry.at = Date.now();
      if (!stale) throw error;
      logger().warn(
        { err: error },
        "refreshing the identity provider's endpoints failed; the earlier ones keep serving",
      );
      return stale;
    },
  );
  cache = entry;
  return entry.result;
}
