import { OFFLINE_PAGES_CACHE } from "@/components/editor/localMemoCopy";

// The service worker, served from the site root so it may control every page. It keeps the
// pages of memos opened on this device (network first, cache when offline) and the build's
// immutable static files (cache first), so an analyst can reload a memo while offline and keep
// writing; the memo itself comes from the device copy in IndexedDB. API calls and the
// collaboration socket always go to the network.
//
// On the first visit the page and its files were fetched before the worker existed, so the page
// sends their addresses ("keep-offline") once the worker is active, and the worker fetches them
// into its caches: the memo opened once reloads offline.
const WORKER = `
const PAGES = ${JSON.stringify(OFFLINE_PAGES_CACHE)};
const STATIC = "demarche-static";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

const MEMO_PATH = /^\\/memos\\/[0-9a-f-]{36}$/;
/** At most this many addresses per message: a page has a few dozen files. */
const KEEP_AT_MOST = 200;

function isMemoPage(request, url) {
  return request.mode === "navigate" && MEMO_PATH.test(url.pathname);
}

async function keep(cacheName, url) {
  const cache = await caches.open(cacheName);
  if (cacheName === STATIC && (await cache.match(url))) return;
  const response = await fetch(url, { credentials: "same-origin" });
  if (response.ok && !response.redirected) await cache.put(url, response);
}

async function keepOffline(addresses) {
  for (const address of addresses.slice(0, KEEP_AT_MOST)) {
    let url;
    try {
      url = new URL(String(address), self.location.origin);
    } catch {
      continue;
    }
    if (url.origin !== self.location.origin) continue;
    url.hash = "";
    const cacheName = url.pathname.startsWith("/_next/static/") ? STATIC : MEMO_PATH.test(url.pathname) ? PAGES : null;
    if (cacheName) await keep(cacheName, url.href).catch(() => undefined);
  }
}

self.addEventListener("message", (event) => {
  const data = event.data;
  if (!data || data.type !== "keep-offline" || !Array.isArray(data.urls)) return;
  event.waitUntil(keepOffline(data.urls));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/_next/static/")) {
    event.respondWith(
      caches.open(STATIC).then(async (cache) => {
        const cached = await cache.match(request);
        if (cached) return cached;
        const response = await fetch(request);
        if (response.ok) cache.put(request, response.clone());
        return response;
      }),
    );
    return;
  }
  if (isMemoPage(request, url)) {
    event.respondWith(
      fetch(request)
        .then(async (response) => {
          if (response.ok && !response.redirected) (await caches.open(PAGES)).put(request, response.clone());
          return response;
        })
        .catch(async () => (await (await caches.open(PAGES)).match(request)) ?? Response.error()),
    );
  }
});
`;

export function GET() {
  return new Response(WORKER, {
    headers: {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "no-cache",
      "service-worker-allowed": "/",
    },
  });
}
