"use client";

import { useSyncExternalStore } from "react";

const never = () => () => undefined;

/**
 * When APP_URL is set, the server accepts connections only from pages served at it
 * (server/http/originPolicy.ts). A page opened at another address of the same server (a LAN
 * address, a host name) could never load or save the memo, so it says so and links to the right one.
 */
export function WrongAddressBanner({ configuredOrigin }: { configuredOrigin: string | null }) {
  const here = useSyncExternalStore(
    never,
    () => window.location.href,
    () => null,
  );
  if (!configuredOrigin || here === null) return null;
  const page = new URL(here);
  if (page.origin === configuredOrigin) return null;
  const there = `${configuredOrigin}${page.pathname}${page.search}`;
  return (
    <div className="banner banner-error" role="alert" data-testid="wrong-address-banner">
      This Demarche is set up to be opened at {configuredOrigin}. Memos cannot load or save at {page.origin}.{" "}
      <a href={there}>Open this page at {configuredOrigin}</a>
    </div>
  );
}
