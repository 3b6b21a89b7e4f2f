"use client";

import Link from "next/link";
import { signOut } from "next-auth/react";
import type { ReactNode } from "react";
import { clearLocalCopies, hasUnsavedLocalEdits } from "@/components/editor/localMemoCopy";
import { InboxLink } from "@/components/inbox/InboxLink";
import { SearchDialog } from "@/components/search/SearchDialog";
import { Brand } from "./Brand";

/** Initials for an avatar: "Amina Qureshi" → "AQ". */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/u).filter(Boolean);
  return ((parts[0]?.[0] ?? "?") + (parts.length > 1 ? parts[parts.length - 1][0] : "")).toUpperCase();
}

async function signOutEverywhereHere(): Promise<void> {
  if (
    hasUnsavedLocalEdits() &&
    !window.confirm(
      "Some of your changes are only on this device: the server has not saved them yet. Sign out and delete them?",
    )
  ) {
    return;
  }
  await clearLocalCopies().catch(() => undefined);
  // Not next-auth's redirect: it builds an absolute URL from APP_URL, which would move someone
  // working at another address of the server (127.0.0.1, a LAN address) to localhost.
  await signOut({ redirect: false });
  // A full load, not router.push: nothing of the signed-out session stays in memory.
  // eslint-disable-next-line @next/next/no-location-assign-relative-destination
  window.location.assign("/signin");
}

/** The top bar of signed-in pages: brand, page-specific content, search, the user and sign-out. */
export function AppHeader({ user, children }: { user: { name: string; email: string }; children?: ReactNode }) {
  return (
    <header className="app-header">
      <Brand />
      {children ?? <span className="spacer" />}
      <SearchDialog />
      <InboxLink />
      <Link className="user-chip" href="/account/sessions" title={`${user.email}: signed-in devices`}>
        <span className="avatar" aria-hidden="true">
          {initials(user.name)}
        </span>
        <span className="user-name">{user.name}</span>
      </Link>
      <button
        className="button button-quiet button-small"
        type="button"
        title={`Signed in as ${user.name} (${user.email})`}
        onClick={() => void signOutEverywhereHere()}
      >
        Sign out
      </button>
    </header>
  );
}
