import type { Metadata } from "next";
import { InboxView } from "@/components/inbox/InboxView";
import { AppHeader } from "@/components/layout/AppHeader";
import { db } from "@/server/db";
import { listInbox } from "@/server/inbox/inboxQueries";
import { requireUserForPage } from "../_auth/session";

export const metadata: Metadata = { title: "Inbox" };

export default async function InboxPage() {
  const user = await requireUserForPage("/inbox");
  const page = await listInbox(db(), user.id);
  return (
    <>
      <AppHeader user={user} />
      <main className="page">
        <InboxView
          initial={{ ...page, items: page.items.map((item) => ({ ...item, createdAt: item.createdAt.toISOString() })) }}
        />
      </main>
    </>
  );
}
