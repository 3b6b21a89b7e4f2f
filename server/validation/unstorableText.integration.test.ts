import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifySignIn } from "../accounts/signIn";
import { signUp } from "../accounts/signUp";
import { changeThread, createThread, editComment, replyToThread } from "../comments/commentCommands";
import { isAppError } from "../errors";
import { updateMemoMetadata } from "../memos/memoMetadata";
import { createMemo, createMemoFromSource, importMemo, renameMemo } from "../memos/memoCommands";
import { inviteToMemo } from "../sharing/sharingCommands";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase";
import { createTestMemo, createTestUser, testThreadInput, type TestUser } from "../testing/fixtures";
import { labelVersion, saveNamedVersion } from "../versions/versionCommands";

// Every domain command that takes text from a request, given text PostgreSQL cannot store (NUL,
// a lone surrogate): each refuses it as invalid_input (a 400 naming the field), never a database
// error (a 500), and nothing is written. Before storableText, a NUL in a name, title, import
// title, metadata field or version label, and a lone surrogate in a comment, failed in PostgreSQL.

const UNSTORABLE: Record<string, string> = { NUL: "Bad\u0000text", "a lone surrogate": "Bad\uD800text" };
const MARKINGS = ["UNCLASSIFIED", "RESTRICTED"];
const MAX_BYTES = 512 * 1024;

let database: TestDatabase;
let owner: TestUser;
let memoId: string;
let threadId: string;
let commentId: string;
let versionId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  owner = await createTestUser(database.prisma, "Owner");
  memoId = await createTestMemo(database.prisma, owner.id);
  const thread = await createThread(database.prisma, owner.id, memoId, testThreadInput("First comment."));
  threadId = thread.id;
  commentId = thread.comments[0].id;
  versionId = (await saveNamedVersion(database.prisma, owner.id, memoId, { name: "Baseline" })).id;
});
afterAll(async () => {
  await database.drop();
});

/** What `run` failed with, as code and message; a failure that is not an AppError fails the test. */
async function refusal(run: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await run();
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected a refusal");
}

/** A snapshot of everything the commands below could write. */
async function storedState() {
  const db = database.prisma;
  return {
    users: await db.user.count(),
    memos: await db.memo.findMany({ select: { id: true, title: true }, orderBy: { id: "asc" } }),
    metadata: await db.memoMetadata.findMany(),
    versions: await db.memoVersion.findMany({ select: { id: true, name: true, note: true }, orderBy: { id: "asc" } }),
    threads: await db.commentThread.findMany({
      select: { id: true, quote: true, anchorStart: true },
      orderBy: { id: "asc" },
    }),
    comments: await db.comment.findMany({ select: { id: true, body: true }, orderBy: { id: "asc" } }),
    invites: await db.memoInvite.count(),
  };
}

type Command = (text: string) => Promise<unknown>;

const commands: Record<string, Command> = {
  "sign-up name": (text) =>
    signUp(database.prisma, { name: text, email: "new-analyst@example.org", password: "correct horse battery" }),
  "sign-up email": (text) =>
    signUp(database.prisma, { name: "New", email: `new${text}@example.org`, password: "correct horse battery" }),
  "sign-up password": (text) =>
    signUp(database.prisma, { name: "New", email: "new-analyst@example.org", password: `${text} correct horse` }),
  "new memo title": (text) => createMemo(database.prisma, { ownerId: owner.id, title: text }),
  "import title (?title=)": (text) =>
    importMemo(
      { ownerId: owner.id, source: "# Heading\n\nText.", title: text, maxBytes: MAX_BYTES },
      { databaseUrl: database.url },
    ),
  "seeded memo title": (text) =>
    createMemoFromSource(database.prisma, {
      ownerId: owner.id,
      source: "# Heading\n\nText.",
      title: text,
      maxBytes: MAX_BYTES,
    }),
  rename: (text) => renameMemo(database.prisma, owner.id, memoId, text),
  "metadata To": (text) => updateMemoMetadata(database.prisma, owner.id, memoId, { to: text }, MARKINGS),
  "metadata From": (text) => updateMemoMetadata(database.prisma, owner.id, memoId, { from: text }, MARKINGS),
  "metadata Subject": (text) => updateMemoMetadata(database.prisma, owner.id, memoId, { subject: text }, MARKINGS),
  "metadata distribution": (text) =>
    updateMemoMetadata(database.prisma, owner.id, memoId, { distribution: ["Desk", text] }, MARKINGS),
  "named version name": (text) => saveNamedVersion(database.prisma, owner.id, memoId, { name: text }),
  "named version note": (text) => saveNamedVersion(database.prisma, owner.id, memoId, { name: "Sent", note: text }),
  "version label name": (text) => labelVersion(database.prisma, owner.id, memoId, versionId, { name: text }),
  "version label note": (text) => labelVersion(database.prisma, owner.id, memoId, versionId, { note: text }),
  "new thread comment": (text) => createThread(database.prisma, owner.id, memoId, testThreadInput(text)),
  "new thread quote": (text) =>
    createThread(database.prisma, owner.id, memoId, { ...testThreadInput("Fine."), quote: text }),
  reply: (text) => replyToThread(database.prisma, owner.id, memoId, threadId, { body: text }),
  "comment edit": (text) => editComment(database.prisma, owner.id, memoId, threadId, commentId, { body: text }),
  "re-anchoring quote": (text) => {
    const { anchor } = testThreadInput("x", "line");
    return changeThread(database.prisma, owner.id, memoId, threadId, { anchor, quote: text });
  },
  "invitation email": (text) =>
    inviteToMemo(database.prisma, owner.id, memoId, { email: `colleague${text}@example.org`, role: "viewer" }),
};

describe("text PostgreSQL cannot store", () => {
  for (const [kind, text] of Object.entries(UNSTORABLE)) {
    it(`is refused as invalid input, with nothing written, when it holds ${kind}`, async () => {
      const before = await storedState();
      const outcomes: Record<string, { code: string; message: string }> = {};
      for (const [name, run] of Object.entries(commands)) outcomes[name] = await refusal(() => run(text));
      for (const [name, outcome] of Object.entries(outcomes)) {
        expect(outcome.code, name).toBe("invalid_input");
        expect(outcome.message, name).toMatch(
          kind === "NUL"
            ? /^Remove the invisible control character \(NUL\) from /
            : /contains a broken character \(an unpaired surrogate\)/u,
        );
      }
      expect(await storedState()).toEqual(before);
    });
  }

  it("in a pasted source is refused as a client error: NUL as binary, a lone surrogate as invalid input", async () => {
    const imports = [
      (source: string) =>
        refusal(() => importMemo({ ownerId: owner.id, source, maxBytes: MAX_BYTES }, { databaseUrl: database.url })),
      (source: string) =>
        refusal(() => createMemoFromSource(database.prisma, { ownerId: owner.id, source, maxBytes: MAX_BYTES })),
    ];
    for (const create of imports) {
      expect(await create("# Heading\n\nBad\u0000text")).toMatchObject({ code: "unsupported_media_type" });
      expect(await create("# Heading\n\nBad\uD800text")).toEqual({
        code: "invalid_input",
        message: "The source text contains a broken character (an unpaired surrogate): retype or paste it again.",
      });
    }
  });

  it("in sign-in credentials is an incorrect sign-in, not a database error", async () => {
    for (const text of Object.values(UNSTORABLE)) {
      expect(
        await refusal(() =>
          verifySignIn(database.prisma, { email: `${owner.email}${text}`, password: owner.password, ip: null }),
        ),
      ).toMatchObject({
        code: "invalid_credentials",
      });
    }
  });

  it("leaves ordinary text, astral characters and emptied metadata working", async () => {
    await renameMemo(database.prisma, owner.id, memoId, "Brief 😀 — ready");
    const metadata = await updateMemoMetadata(
      database.prisma,
      owner.id,
      memoId,
      { subject: "Visit 😀", distribution: ["Desk"] },
      MARKINGS,
    );
    expect(metadata).toMatchObject({ subject: "Visit 😀", distribution: ["Desk"] });
    const reply = await replyToThread(database.prisma, owner.id, memoId, threadId, { body: "Bell\u0007 dropped 😀" });
    expect(reply.comments.at(-1)?.body).toBe("Bell dropped 😀");
  });
});
