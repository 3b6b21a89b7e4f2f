import { headlineParts, shorten } from "../../common/inbox/inboxWords";
import type { InboxKind } from "../generated/prisma/client";

// The email of one inbox item: subject, plain text and HTML, built from what the recipient can see
// now (the caller checked they can still open the memo). Names, titles and comments are the
// users', so the HTML escapes them, and header lines lose line breaks.

export type InboxMailItem = {
  kind: InboxKind;
  actorName: string | null;
  memoTitle: string;
  role: string | null;
  restoredFrom: number | null;
  comment: { body: string; quote: string } | null;
  /** Absolute: APP_URL and the item's path. */
  link: string;
};

const EXCERPT_CHARS = 500;

const oneLine = (text: string) =>
  text
    .replace(/[\p{Cc}\u2028\u2029]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char]!);

/** "Amira Owner mentioned you in Cable draft", as a subject and the first line of the body. */
export function inboxHeadline(item: InboxMailItem): string {
  const who = oneLine(item.actorName ?? "A former member");
  const memo = shorten(oneLine(item.memoTitle), 120);
  return headlineParts(item)
    .map((part) => (typeof part === "string" ? part : part.slot === "who" ? who : memo))
    .join("");
}

export function inboxMail(item: InboxMailItem): { subject: string; text: string; html: string } {
  const headline = inboxHeadline(item);
  const quote = item.comment && shorten(oneLine(item.comment.quote), 200);
  const body = item.comment && shorten(item.comment.body, EXCERPT_CHARS);
  const text = [
    headline,
    ...(item.comment ? ["", `On “${quote}”:`, body!] : []),
    "",
    `Open it: ${item.link}`,
    "",
    "You get this email because of your Demarche inbox. Turn these emails off on your inbox page.",
  ].join("\n");
  const html = `<!doctype html><html><body style="font-family: sans-serif; color: #1b2430">
<p><strong>${escapeHtml(headline)}</strong></p>
${
  item.comment
    ? `<blockquote style="border-left: 3px solid #f0cf72; margin: 0; padding-left: 8px; color: #4a5566"><em>${escapeHtml(quote!)}</em></blockquote>
<p style="white-space: pre-wrap">${escapeHtml(body!)}</p>`
    : ""
}
<p><a href="${escapeHtml(item.link)}">Open it in Demarche</a></p>
<p style="color: #7a8596; font-size: 13px">You get this email because of your Demarche inbox. Turn these emails off on your inbox page.</p>
</body></html>`;
  return { subject: headline, text, html };
}
