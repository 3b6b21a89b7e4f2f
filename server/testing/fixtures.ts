import crypto from "node:crypto";
import type { PrismaClient } from "../db";
import { hashPassword } from "../accounts/passwords";
import { startSession } from "../accounts/userSessions";
import { createMemo } from "../memos/memoCommands";
import { ydocFromMemoJson, type JSONContent } from "../../common/editor/memoDocument";
import { anchorContextOf } from "../comments/anchorInDoc";
import { anchorPassage, encodeAnchor, type EncodedAnchor } from "../../common/comments/passageAnchor";
import { findUniquePassage } from "../../common/comments/passageText";

/** A user created directly in the database, with a recorded session (for sessionCookie). */
export type TestUser = { id: string; email: string; name: string; password: string; sessionId: string };

let passwordHash: Promise<string> | undefined;

/** Creates a user with a unique email (the password hash is computed once per file). */
export async function createTestUser(db: PrismaClient, name = "Test Analyst"): Promise<TestUser> {
  const password = "correct horse battery staple";
  passwordHash ??= hashPassword(password);
  const email = `analyst-${crypto.randomBytes(5).toString("hex")}@example.org`;
  const user = await db.user.create({ data: { email, name, passwordHash: await passwordHash } });
  return { id: user.id, email, name, password, sessionId: await startSession(db, user.id, "test client") };
}

/** Creates a memo owned by `ownerId` with one paragraph of text. */
export async function createTestMemo(db: PrismaClient, ownerId: string, text = "Opening line."): Promise<string> {
  const body: JSONContent = { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text }] }] };
  return createMemo(db, { ownerId, title: "Test memo", body });
}

/** The error `run` rejects with; fails the test when it succeeds. */
export async function failureOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

/**
 * A new thread's input on the passage `quote` of `text` (the paragraph createTestMemo writes by
 * default): an anchor in the form clients send, computed on a document of its own.
 */
export function testThreadInput(
  body: string,
  quote = "Opening",
  text = "Opening line.",
): { anchor: EncodedAnchor; quote: string; body: string; mentions: string[] } {
  const doc = ydocFromMemoJson({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text }] }] });
  const context = anchorContextOf(doc);
  const passage = findUniquePassage(context.doc, quote);
  if (!passage) throw new Error(`"${quote}" is not in "${text}"`);
  const anchor = encodeAnchor(anchorPassage(context, passage.from, passage.to));
  doc.destroy();
  return { anchor, quote, body, mentions: [] };
}
