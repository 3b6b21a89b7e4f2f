"use client";

import { signOut } from "next-auth/react";
import type { ReactNode } from "react";
import { Brand } from "./Brand";

/** Initials for an avatar: "Amina Qureshi" → "AQ". */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/u).filter(Boolean);
  return ((parts[0]?.[0] ?? "?") + (parts.length > 1 ? parts[parts.length - 1][0] : "")).toUpperCase();
}

/** The top bar of signed-in pages: brand, page-specific content, the user and sign-out. */
export function AppHeader({ user, children }: { user: { name: string; email: string }; children?: ReactNode }) {
  return (
    <header className="app-header">
      <Brand />
      {children ?? <span className="spacer" />}
      <span className="user-chip" title={user.email}>
        <span className="avatar" aria-hidden="true">
          {initials(user.name)}
        </span>
        <span className="user-name">{user.name}</span>
      </span>
      <button className="button button-quiet button-small" type="button" onClick={() => void signOut({ callbackUrl: "/signin" })}>
        Sign out
      </button>
    </header>
  );
}
