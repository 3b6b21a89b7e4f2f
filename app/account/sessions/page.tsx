import type { Metadata } from "next";
import { SessionList } from "@/components/account/SessionList";
import { AppHeader } from "@/components/layout/AppHeader";
import { listSessions } from "@/server/accounts/userSessions";
import { db } from "@/server/db";
import { requireUserForPage } from "../../_auth/session";

export const metadata: Metadata = { title: "Signed-in devices" };

export default async function SessionsPage() {
  const user = await requireUserForPage("/account/sessions");
  const sessions = await listSessions(db(), user.id, user.sessionId);
  return (
    <>
      <AppHeader user={user} />
      <main className="page">
        <SessionList sessions={sessions} />
      </main>
    </>
  );
}
