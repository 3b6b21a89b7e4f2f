"use client";

import { useEffect } from "react";

/** Registers the service worker that lets an opened memo page reload while offline. */
export function useOfflinePages(): void {
  useEffect(() => {
    if (!("serviceWorker" in navigator) || process.env.NODE_ENV !== "production") return;
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
      // Without it the memo still works online and keeps edits offline; only offline reloads fail.
    });
  }, []);
}
