"use client";

import { useEffect } from "react";

/**
 * The addresses of the build's files this page loaded and of the page itself, last: the worker
 * keeps them in order, so once the page is kept, so is everything it needs.
 */
function loadedAddresses(): string[] {
  const files = performance
    .getEntriesByType("resource")
    .map((entry) => entry.name)
    .filter((name) => name.startsWith(`${location.origin}/_next/static/`));
  return [...new Set(files), location.href];
}

/**
 * Registers the service worker that lets an opened memo page reload while offline. On the first
 * visit the worker did not exist when the page loaded, so it is asked to fetch what the page used.
 */
export function useOfflinePages(): void {
  useEffect(() => {
    if (!("serviceWorker" in navigator) || process.env.NODE_ENV !== "production") return;
    const firstVisit = !navigator.serviceWorker.controller;
    navigator.serviceWorker
      .register("/sw.js", { scope: "/" })
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => {
        if (firstVisit) registration.active?.postMessage({ type: "keep-offline", urls: loadedAddresses() });
      })
      .catch(() => {
        // Without it the memo still works online and keeps edits offline; only offline reloads fail.
      });
  }, []);
}
