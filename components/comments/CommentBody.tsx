import type { PersonRef } from "@/server/comments/commentViews";
import { tokenizeComment } from "./commentTokens";
import styles from "./comments.module.css";

/**
 * A comment's text as React text nodes, with its mentions and its http(s)/mailto links: markup in
 * a comment is shown as typed and never interpreted (no innerHTML anywhere).
 */
export function CommentBody({ body, mentions }: { body: string; mentions: PersonRef[] }) {
  return (
    <p className={styles.body}>
      {tokenizeComment(body, mentions).map((token, index) => {
        if (token.kind === "mention") {
          return (
            <span key={index} className={styles.mention}>
              {token.text}
            </span>
          );
        }
        if (token.kind === "link") {
          return (
            <a key={index} href={token.href} target="_blank" rel="noopener noreferrer nofollow ugc">
              {token.text}
            </a>
          );
        }
        return token.text;
      })}
    </p>
  );
}
