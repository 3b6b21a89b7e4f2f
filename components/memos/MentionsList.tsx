import Link from "next/link";
import type { MentionItem } from "@/server/comments/commentQueries";
import { RelativeTime } from "./RelativeTime";

/** A comment that mentions the user, as the memos page receives it (dates as ISO strings). */
export type MentionRow = Omit<MentionItem, "createdAt"> & { createdAt: string };

/** "Mentions": comments that name the user, each a link straight to its passage and thread. */
export function MentionsList({ mentions }: { mentions: MentionRow[] }) {
  if (mentions.length === 0) return null;
  return (
    <section className="mentions" aria-labelledby="mentions-title">
      <h2 id="mentions-title">Mentions</h2>
      <ul className="mention-list" aria-label="Comments that mention you">
        {mentions.map((mention) => (
          <li key={mention.commentId} className="mention-row" data-resolved={mention.resolved || undefined}>
            <Link className="mention-link" href={`/memos/${mention.memoId}?comment=${mention.threadId}`}>
              <span className="mention-head">
                <strong>{mention.authorName ?? "A former member"}</strong> mentioned you in{" "}
                <strong>{mention.memoTitle}</strong>
                {mention.resolved && <span className="role-badge">Resolved</span>}
              </span>
              <span className="mention-quote">{mention.quote}</span>
              <span className="mention-body">{mention.body}</span>
            </Link>
            <span className="mention-time">
              <RelativeTime iso={mention.createdAt} />
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
