import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { MemoWorkspace } from "@/components/editor/MemoWorkspace";
import { db } from "@/server/db";
import { loadEnv } from "@/server/env";
import { isAppError } from "@/server/errors";
import { isUuid } from "@/server/ids";
import { readMemoMetadata } from "@/server/memos/memoMetadata";
import { getMemoForEditor, type MemoForEditor } from "@/server/memos/memoQueries";
import { currentUser, requireUserForPage } from "../../_auth/session";

type Props = {
  params: Promise<{ memoId: string }>;
  searchParams: Promise<{ comment?: string | string[]; passage?: string | string[] }>;
};

/** The memo, or a 404 for a memo that does not exist or that the user may not open. */
async function loadMemo(userId: string, memoId: string): Promise<MemoForEditor> {
  try {
    return await getMemoForEditor(db(), userId, memoId);
  } catch (error) {
    if (isAppError(error, "not_found") || isAppError(error, "forbidden")) notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { memoId } = await params;
  const user = await currentUser();
  if (!user) return { title: "Memo" };
  const memo = await getMemoForEditor(db(), user.id, memoId).catch(() => null);
  return { title: memo?.title ?? "Memo not found" };
}

export default async function MemoPage({ params, searchParams }: Props) {
  const { memoId } = await params;
  const { comment, passage } = await searchParams;
  const user = await requireUserForPage(`/memos/${memoId}`);
  const memo = await loadMemo(user.id, memoId);
  const env = loadEnv();
  const markings = env.MEMO_MARKINGS;
  const metadata = await readMemoMetadata(db(), memo.id, markings);
  const focusThreadId = typeof comment === "string" && isUuid(comment) ? comment : null;
  // A search result's section: the index of its first top-level block.
  const focusBlockIndex = typeof passage === "string" && /^\d{1,6}$/.test(passage) ? Number(passage) : null;
  return (
    <MemoWorkspace
      memo={{ id: memo.id, title: memo.title, role: memo.role }}
      user={user}
      details={{ metadata, markings }}
      focusThreadId={focusThreadId}
      focusBlockIndex={focusBlockIndex}
      configuredOrigin={env.origins.fixed ? env.origins.appOrigin : null}
    />
  );
}
