import type { Metadata } from "next";
import { InboxView } from "@/components/inbox/InboxView";
import { AppHeader } from "@/components/layout/AppHeader";
import { db } from "@/server/db";
import { listInbox } from "@/server/inbox/inboxQueries";
import { inboxEmailOn } from "@/server/inbox/inboxSettings";
import { loadEnv } from "@/server/env";
import { requireUserForPage } from "../_auth/session";

export const metadata: Metadata = { title: "Inbox" };

export default async function InboxPage() {
  const user = await requireUserForPage("/inbox");
  const [page, emailOn] = await Promise.all([listInbox(db(), user.id), inboxEmailOn(db(), user.id)]);
  // The choice is offered only where email can be sent.
  const email = loadEnv().SMTP_URL ? { on: emailOn } : null;
  return (
    <>
      <AppHeader user={user} />
      <main className="page">
        <InboxView
          initial={{ ...page, items: page.items.map((item) => ({ ...item, createdAt: item.createdAt.toISOString() })) }}
          email={email}
        />
      </main>
    </>
  );
}
