"use client";

import { useState } from "react";
import type { SessionSummary } from "@/server/accounts/userSessions";
import { RelativeTime } from "@/components/memos/RelativeTime";
import { clearLocalCopies } from "@/components/editor/localMemoCopy";

/** "Chrome on Windows" from a User-Agent, or the raw string when nothing is recognised. */
export function deviceName(userAgent: string): string {
  if (!userAgent) return "Unknown browser";
  const browser =
    [
      [/Edg\//u, "Edge"],
      [/OPR\//u, "Opera"],
      [/Firefox\//u, "Firefox"],
      [/Chrome\//u, "Chrome"],
      [/Safari\//u, "Safari"],
    ].find(([pattern]) => (pattern as RegExp).test(userAgent))?.[1] ?? null;
  const system =
    [
      [/Android/u, "Android"],
      [/iPhone|iPad/u, "iOS"],
      [/Windows/u, "Windows"],
      [/Mac OS X|Macintosh/u, "macOS"],
      [/Linux/u, "Linux"],
    ].find(([pattern]) => (pattern as RegExp).test(userAgent))?.[1] ?? null;
  if (browser && system) return `${browser} on ${system}`;
  return (browser as string | null) ?? (system as string | null) ?? userAgent.slice(0, 60);
}

async function ask(url: string): Promise<{ current?: boolean }> {
  const response = await fetch(url, { method: "DELETE" });
  const body = (await response.json().catch(() => ({}))) as { current?: boolean; error?: { message?: string } };
  if (!response.ok) throw new Error(body.error?.message ?? "That did not work. Try again.");
  return body;
}

/** Where one is signed in, with a way to end any of those sessions, or all but this one. */
export function SessionList({ sessions: initial }: { sessions: SessionSummary[] }) {
  const [sessions, setSessions] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const others = sessions.filter((session) => !session.current);

  const signedOutHere = async () => {
    await clearLocalCopies().catch(() => undefined);
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    window.location.assign("/signin");
  };

  const run = async (work: () => Promise<void>) => {
    setPending(true);
    setError(null);
    try {
      await work();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setPending(false);
    }
  };

  const end = (session: SessionSummary) =>
    run(async () => {
      await ask(`/api/accounts/sessions/${session.id}`);
      if (session.current) return signedOutHere();
      setSessions((list) => list.filter((item) => item.id !== session.id));
    });

  const endOthers = () =>
    run(async () => {
      await ask("/api/accounts/sessions");
      setSessions((list) => list.filter((item) => item.current));
    });

  return (
    <>
      <div className="page-title-row">
        <h1>Signed-in devices</h1>
        <button
          className="button"
          type="button"
          disabled={pending || others.length === 0}
          onClick={() => void endOthers()}
        >
          Sign out everywhere else
        </button>
      </div>
      <p className="session-intro">
        Each browser you signed in with. Signing one out ends it at once: its open memos close and it must sign in
        again. Resetting your password signs out all of them.
      </p>
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
      <ul className="session-list" aria-label="Signed-in devices">
        {sessions.map((session) => (
          <li key={session.id} className="session-row">
            <div className="session-facts">
              <strong>{deviceName(session.userAgent)}</strong>
              {session.current && <span className="session-current">This browser</span>}
              <span className="session-when">
                Signed in <RelativeTime iso={session.createdAt} />, last active{" "}
                <RelativeTime iso={session.lastSeenAt} />
              </span>
            </div>
            <button
              className="button button-quiet button-small"
              type="button"
              disabled={pending}
              aria-label={`Sign out ${deviceName(session.userAgent)}${session.current ? " (this browser)" : ""}`}
              onClick={() => void end(session)}
            >
              Sign out
            </button>
          </li>
        ))}
      </ul>
      {others.length === 0 && <p className="session-intro">You are signed in on this browser only.</p>}
    </>
  );
}
