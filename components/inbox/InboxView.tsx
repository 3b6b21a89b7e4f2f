"use client";

import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import { headlineParts } from "@/common/inbox/inboxWords";
import { RelativeTime } from "@/components/memos/RelativeTime";
import type { InboxItemView } from "@/server/inbox/inboxQueries";
import { markRead, subscribeToInbox } from "./inboxEvents";

/** An item as the page receives it (dates as ISO strings). */
export type InboxRow = Omit<InboxItemView, "createdAt"> & { createdAt: string };
export type InboxPage = { items: InboxRow[]; unread: number; next: string | null };

/** What happened, in a sentence: the person, the event, the memo (the email says the same). */
function Headline({ item }: { item: InboxRow }) {
  return (
    <>
      {headlineParts(item).map((part, index) =>
        typeof part === "string" ? (
          part
        ) : (
          <strong key={index}>{part.slot === "who" ? (item.actorName ?? "A former member") : item.memoTitle}</strong>
        ),
      )}
    </>
  );
}

async function fetchFirstPage(): Promise<InboxPage | null> {
  try {
    const response = await fetch("/api/inbox", { cache: "no-store" });
    return response.ok ? ((await response.json()) as InboxPage) : null;
  } catch {
    return null;
  }
}

/** The inbox page: what needs the user, newest first, each a link to its passage or memo. */
export function InboxView({ initial, email }: { initial: InboxPage; email: { on: boolean } | null }) {
  const [items, setItems] = useState(initial.items);
  const [unread, setUnread] = useState(initial.unread);
  const [next, setNext] = useState(initial.next);
  const [loadingMore, setLoadingMore] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  // New items arrive at the top; those already shown take their current read state.
  const refresh = useCallback(async () => {
    const page = await fetchFirstPage();
    if (!page) return;
    setUnread(page.unread);
    setItems((shown) => {
      const fresh = new Map(page.items.map((item) => [item.id, item]));
      const known = new Set(shown.map((item) => item.id));
      const added = page.items.filter((item) => !known.has(item.id));
      return [...added, ...shown.map((item) => fresh.get(item.id) ?? item)];
    });
  }, []);
  useEffect(() => subscribeToInbox(() => void refresh()), [refresh]);

  async function loadMore() {
    if (!next) return;
    setLoadingMore(true);
    setProblem(null);
    try {
      const response = await fetch(`/api/inbox?before=${encodeURIComponent(next)}`, { cache: "no-store" });
      if (!response.ok) throw new Error();
      const page = (await response.json()) as InboxPage;
      setItems((shown) => [...shown, ...page.items.filter((item) => !shown.some((s) => s.id === item.id))]);
      setNext(page.next);
    } catch {
      setProblem("Older items could not be loaded. Try again.");
    } finally {
      setLoadingMore(false);
    }
  }

  async function markAllRead() {
    setProblem(null);
    const count = await markRead();
    if (count === null) return setProblem("The inbox could not be marked as read. Try again.");
    setUnread(count);
    setItems((shown) => shown.map((item) => ({ ...item, read: true })));
  }

  function opened(item: InboxRow) {
    if (item.read) return;
    void markRead([item.id]);
    setItems((shown) => shown.map((s) => (s.id === item.id ? { ...s, read: true } : s)));
    setUnread((count) => Math.max(0, count - 1));
  }

  return (
    <>
      <div className="page-title-row">
        <h1>Inbox</h1>
        <button className="button" type="button" onClick={() => void markAllRead()} disabled={unread === 0}>
          Mark all as read
        </button>
      </div>
      <p className="inbox-summary" aria-live="polite">
        {unread === 0 ? "Nothing unread." : `${unread > 99 ? "99+" : unread} unread`}
      </p>
      {email && <EmailChoice initiallyOn={email.on} />}
      {problem && (
        <p className="alert alert-error" role="alert">
          {problem}
        </p>
      )}
      {items.length === 0 ? (
        <section className="empty-state" aria-labelledby="inbox-empty-title">
          <h2 id="inbox-empty-title">Nothing needs you yet</h2>
          <p>
            When a colleague mentions you, replies in a thread you wrote in, shares a memo with you or restores a memo
            you edit, it appears here.
          </p>
        </section>
      ) : (
        <ul className="inbox-list" aria-label="Inbox">
          {items.map((item) => (
            <li key={item.id} className="inbox-row" data-unread={item.read ? undefined : true}>
              <Link className="inbox-item-link" href={item.href} onClick={() => opened(item)}>
                <span className="inbox-head">
                  {!item.read && <span className="visually-hidden">Unread: </span>}
                  <span>
                    <Headline item={item} />
                  </span>
                  {item.comment?.resolved && <span className="role-badge">Resolved</span>}
                </span>
                {item.comment && (
                  <>
                    <span className="mention-quote">{item.comment.quote}</span>
                    <span className="mention-body">{item.comment.body}</span>
                  </>
                )}
              </Link>
              <span className="mention-time">
                <RelativeTime iso={item.createdAt} />
              </span>
            </li>
          ))}
        </ul>
      )}
      {next && (
        <div className="inbox-more">
          <button className="button" type="button" onClick={() => void loadMore()} disabled={loadingMore}>
            {loadingMore ? "Loading…" : "Show older"}
          </button>
        </div>
      )}
    </>
  );
}

/** "Also email me these", saved as soon as it changes. */
function EmailChoice({ initiallyOn }: { initiallyOn: boolean }) {
  const [on, setOn] = useState(initiallyOn);
  const [state, setState] = useState<"idle" | "saving" | "failed">("idle");
  async function change(next: boolean) {
    setOn(next);
    setState("saving");
    try {
      const response = await fetch("/api/inbox/settings", {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: next }),
      });
      if (!response.ok) throw new Error();
      setState("idle");
    } catch {
      setOn(!next);
      setState("failed");
    }
  }
  return (
    <p className="inbox-email">
      <label>
        <input
          type="checkbox"
          checked={on}
          disabled={state === "saving"}
          onChange={(event) => void change(event.target.checked)}
        />{" "}
        Also email me these
      </label>
      {state === "failed" && (
        <span role="alert" className="inbox-email-problem">
          {" "}
          Not saved. Try again.
        </span>
      )}
    </p>
  );
}
