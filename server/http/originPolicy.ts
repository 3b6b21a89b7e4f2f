// Which page origins may use a session cookie to change memos (API writes, the collaboration
// WebSocket). Another site's page must not ride the user's cookie (cross-site request forgery,
// WebSocket hijacking), and the browser says which site a request comes from in `Origin`.
//
// With APP_URL set, only that origin is ours. Without it (the embedded default), the server may be
// reached as localhost, 127.0.0.1, a host name or a LAN address, and a page is ours when its origin
// names the very host the request was sent to. That stays safe against other sites: a page of
// evil.example sends `Origin: http://evil.example` with `Host: our-host`, which differ; and a page
// that reaches us under its own name (DNS rebinding) has no cookie of ours to send.

/** The configured origin, and whether it was configured (APP_URL) or is the default. */
export type OriginPolicy = { appOrigin: string; fixed: boolean };

/** The policy for an APP_URL (or its default when `fixed` is false). */
export function originPolicy(appUrl: string, fixed: boolean): OriginPolicy {
  return { appOrigin: new URL(appUrl).origin, fixed };
}

/** Whether a request with this Origin and Host header comes from one of our pages. */
export function originAllowed(origin: string, host: string | null | undefined, policy: OriginPolicy): boolean {
  if (origin === policy.appOrigin) return true;
  if (policy.fixed || !host) return false;
  let page: URL;
  let requested: URL;
  try {
    page = new URL(origin);
    if (page.protocol !== "http:" && page.protocol !== "https:") return false;
    // Read with the page's scheme, so that a default port written out (`host:80`) compares equal.
    requested = new URL(`${page.protocol}//${host}`);
  } catch {
    return false;
  }
  return page.origin === origin && requested.host === page.host && requested.pathname === "/" && !requested.username;
}
