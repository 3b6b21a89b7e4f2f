import type { z } from "zod";
import type { EncodedAnchor } from "@/common/comments/passageAnchor";
import type { commentInput, newThreadInput, threadChangeInput } from "@/server/comments/commentInput";
import type { CommentView, ThreadView } from "@/server/comments/commentViews";
import { callApi, jsonRequest, type Jsonified } from "@/components/api/callApi";

// Client for the comment routes. Dates arrive as ISO strings; every failure becomes an Error whose
// message can be shown as it is.

/** A comment as the browser holds it. */
export type ThreadComment = Jsonified<CommentView>;
/** A thread as the browser holds it. */
export type Thread = Jsonified<ThreadView>;
/** What a comment's author writes: its text and the people picked from the mention list. */
export type CommentDraft = Required<z.input<typeof commentInput>>;

// The bodies the comment routes take, from the server's schemas (commentInput.ts).
type NewThreadRequest = z.input<typeof newThreadInput>;
type ThreadChangeRequest = z.input<typeof threadChangeInput>;

/** The comment routes of one memo. */
export function commentsApi(memoId: string) {
  const threads = `/api/memos/${encodeURIComponent(memoId)}/threads`;
  const thread = (threadId: string) => `${threads}/${encodeURIComponent(threadId)}`;
  const comment = (threadId: string, commentId: string) =>
    `${thread(threadId)}/comments/${encodeURIComponent(commentId)}`;
  return {
    list: () => callApi<{ threads: Thread[] }>(threads).then((answer) => answer.threads),
    create: (anchor: EncodedAnchor, quote: string, draft: CommentDraft) =>
      callApi<{ thread: Thread }>(
        threads,
        jsonRequest("POST", { anchor, quote, ...draft } satisfies NewThreadRequest),
      ).then((answer) => answer.thread),
    reply: (threadId: string, draft: CommentDraft) =>
      callApi<{ thread: Thread }>(`${thread(threadId)}/comments`, jsonRequest("POST", draft)).then(
        (answer) => answer.thread,
      ),
    setResolved: (threadId: string, resolved: boolean) =>
      callApi<{ thread: Thread }>(
        thread(threadId),
        jsonRequest("PATCH", { resolved } satisfies ThreadChangeRequest),
      ).then((answer) => answer.thread),
    reanchor: (threadId: string, anchor: EncodedAnchor, quote: string) =>
      callApi<{ thread: Thread }>(
        thread(threadId),
        jsonRequest("PATCH", { anchor, quote } satisfies ThreadChangeRequest),
      ).then((answer) => answer.thread),
    edit: (threadId: string, commentId: string, draft: CommentDraft) =>
      callApi<{ thread: Thread }>(comment(threadId, commentId), jsonRequest("PATCH", draft)).then(
        (answer) => answer.thread,
      ),
    remove: (threadId: string, commentId: string) =>
      callApi<{ thread: Thread | null }>(comment(threadId, commentId), { method: "DELETE" }).then(
        (answer) => answer.thread,
      ),
  };
}

/** The client of one memo's comment routes. */
export type CommentsApi = ReturnType<typeof commentsApi>;
