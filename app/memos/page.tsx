import type { Metadata } from "next";
import { AppHeader } from "@/components/layout/AppHeader";
import { MemosView } from "@/components/memos/MemosView";
import { MentionsList } from "@/components/memos/MentionsList";
import { listMentions } from "@/server/comments/commentQueries";
import { db } from "@/server/db";
import { loadEnv } from "@/server/env";
import { formatBytes } from "@/server/import/decodeSourceText";
import { listMemos } from "@/server/memos/memoQueries";
import { requireUserForPage } from "../_auth/session";

export const metadata: Metadata = { title: "My memos" };

export default async function MemosPage() {
  const user = await requireUserForPage("/memos");
  const [memos, mentions] = await Promise.all([listMemos(db(), user.id), listMentions(db(), user.id)]);
  return (
    <>
      <AppHeader user={user} />
      <main className="page">
        <MemosView
          memos={memos.map((memo) => ({
            id: memo.id,
            title: memo.title,
            lastEditedAt: memo.lastEditedAt.toISOString(),
            lastEditorName: memo.lastEditorName,
            role: memo.role,
            sharedByName: memo.sharedByName,
            // As the memo shows it: a memo whose marking was never chosen bears the first configured one.
            marking: memo.marking ?? loadEnv().MEMO_MARKINGS[0],
            people: memo.people,
          }))}
          maxSourceLabel={formatBytes(loadEnv().IMPORT_MAX_BYTES)}
        />
        <MentionsList
          mentions={mentions.map((mention) => ({ ...mention, createdAt: mention.createdAt.toISOString() }))}
        />
      </main>
    </>
  );
}
