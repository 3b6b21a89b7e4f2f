"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { UNREAD_COUNT_CAP } from "@/common/inbox/inboxLimits";
import { fetchUnreadCount, subscribeToInbox } from "./inboxEvents";

/** "Inbox" in the header, with the unread count, kept current by the inbox's event stream. */
export function InboxLink() {
  const [unread, setUnread] = useState<number | null>(null);
  useEffect(() => {
    let cancelled = false;
    const refresh = () =>
      void fetchUnreadCount().then((count) => {
        if (!cancelled && count !== null) setUnread(count);
      });
    refresh();
    const unsubscribe = subscribeToInbox(refresh);
    return () => {
      cancelled = true;
      unsubscribe();
    };
  }, []);
  const shown = unread !== null && unread > UNREAD_COUNT_CAP ? `${UNREAD_COUNT_CAP}+` : String(unread ?? 0);
  const label = unread ? `Inbox, ${shown} unread` : "Inbox";
  return (
    <Link className="inbox-link" href="/inbox" aria-label={label} title={label}>
      <span aria-hidden="true">Inbox</span>
      {unread ? (
        <span className="inbox-count" aria-hidden="true">
          {shown}
        </span>
      ) : null}
    </Link>
  );
}
