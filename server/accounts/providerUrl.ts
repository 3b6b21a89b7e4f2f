import { z } from "zod";

// Where an identity provider may be reached: read by the environment's OIDC_ISSUER and by the
// endpoints of its discovery document (oidcDiscovery.ts).

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);

/** A URL an identity provider may be reached at: https, or http on this machine's loopback address. */
export function providerUrl(what: string) {
  return z.url(`${what} is not a URL`).refine((value) => {
    if (!URL.canParse(value)) return true; // z.url has said so already
    const url = new URL(value);
    return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname));
  }, `${what} must use https (http only on this machine's loopback address)`);
}
