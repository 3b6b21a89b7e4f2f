import type { EncodedAnchor } from "@/server/comments/commentInput";
import type { CommentView, ThreadView } from "@/server/comments/commentViews";

// Client for the comment routes. Dates arrive as ISO strings; every failure becomes an Error whose
// message can be shown as it is.

type Jsonified<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };

/** A comment as the browser holds it. */
export type ThreadComment = Jsonified<CommentView>;
/** A thread as the browser holds it. */
export type Thread = Omit<Jsonified<ThreadView>, "comments"> & { comments: ThreadComment[] };
/** What a comment's author writes: its text and the people picked from the mention list. */
export type CommentDraft = { body: string; mentions: string[] };

async function call<T>(input: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(input, { cache: "no-store", ...init });
  } catch {
    throw new Error("Could not reach the server. Check your connection and try again.");
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `The server answered ${response.status}. Try again.`);
  }
  return (await response.json()) as T;
}

const send = (method: string, body: unknown): RequestInit => ({ method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/** The comment routes of one memo. */
export function commentsApi(memoId: string) {
  const threads = `/api/memos/${encodeURIComponent(memoId)}/threads`;
  const thread = (threadId: string) => `${threads}/${encodeURIComponent(threadId)}`;
  const comment = (threadId: string, commentId: string) => `${thread(threadId)}/comments/${encodeURIComponent(commentId)}`;
  return {
    list: () => call<{ threads: Thread[] }>(threads).then((answer) => answer.threads),
    create: (anchor: EncodedAnchor, quote: string, draft: CommentDraft) =>
      call<{ thread: Thread }>(threads, send("POST", { anchor, quote, ...draft })).then((answer) => answer.thread),
    reply: (threadId: string, draft: CommentDraft) =>
      call<{ thread: Thread }>(`${thread(threadId)}/comments`, send("POST", draft)).then((answer) => answer.thread),
    setResolved: (threadId: string, resolved: boolean) =>
      call<{ thread: Thread }>(thread(threadId), send("PATCH", { resolved })).then((answer) => answer.thread),
    reanchor: (threadId: string, anchor: EncodedAnchor, quote: string) =>
      call<{ thread: Thread }>(thread(threadId), send("PATCH", { anchor, quote })).then((answer) => answer.thread),
    edit: (threadId: string, commentId: string, draft: CommentDraft) =>
      call<{ thread: Thread }>(comment(threadId, commentId), send("PATCH", draft)).then((answer) => answer.thread),
    remove: (threadId: string, commentId: string) =>
      call<{ thread: Thread | null }>(comment(threadId, commentId), { method: "DELETE" }).then((answer) => answer.thread),
  };
}

/** The client of one memo's comment routes. */
export type CommentsApi = ReturnType<typeof commentsApi>;
