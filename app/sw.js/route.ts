import { OFFLINE_PAGES_CACHE } from "@/components/editor/localMemoCopy";

// The service worker, served from the site root so it may control every page. It keeps the
// pages of memos opened on this device (network first, cache when offline) and the build's
// immutable static files (cache first), so an analyst can reload a memo while offline and keep
// writing; the memo itself comes from the device copy in IndexedDB. API calls and the
// collaboration socket always go to the network.
const WORKER = `
const PAGES = ${JSON.stringify(OFFLINE_PAGES_CACHE)};
const STATIC = "demarche-static";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

function isMemoPage(request, url) {
  return request.mode === "navigate" && /^\\/memos\\/[0-9a-f-]{36}$/.test(url.pathname);
}

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
