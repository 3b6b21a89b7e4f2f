import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import pino from "pino";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createThread } from "../comments/commentCommands";
import { inviteToMemo } from "../sharing/sharingCommands";
import { waitFor } from "../testing/collabHarness";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase";
import { createTestMemo, createTestUser, testThreadInput, type TestUser } from "../testing/fixtures";
import { createInboxMailer, type InboxMailer } from "./inboxMailer";
import { markInboxRead } from "./inboxQueries";
import { setInboxEmail } from "./inboxSettings";

// Inbox email against a real SMTP server on 127.0.0.1 (smtp-server), read back with mailparser.

const APP_URL = "https://memos.ministry.example";
let database: TestDatabase;
let owner: TestUser;
let analyst: TestUser;
let memoId: string;

type Smtp = { port: number; messages: ParsedMail[]; refuse: boolean; close(): Promise<void> };

async function startSmtp(port = 0): Promise<Smtp> {
  const smtp = { messages: [] as ParsedMail[], refuse: false } as Smtp;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      if (smtp.refuse) {
        stream.resume();
        return callback(Object.assign(new Error("Mailbox unavailable"), { responseCode: 451 }));
      }
      void simpleParser(stream).then((mail) => {
        smtp.messages.push(mail);
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  smtp.port = (server.server.address() as AddressInfo).port;
  smtp.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return smtp;
}

let smtp: Smtp;
let mailer: InboxMailer;

beforeAll(async () => {
  database = await createTestDatabase();
  smtp = await startSmtp();
  [owner, analyst] = await Promise.all([
    createTestUser(database.prisma, "Olga Owner"),
    createTestUser(database.prisma, "Rami Analyst"),
  ]);
  memoId = await createTestMemo(database.prisma, owner.id);
  mailer = createInboxMailer({
    db: database.prisma,
    smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
    from: "Demarche <demarche@memos.ministry.example>",
    appUrl: APP_URL,
    log: pino({ level: "silent" }),
    pauseAfterFailureMs: 300,
    sweepEveryMs: 200,
  });
});
afterAll(async () => {
  await mailer.close();
  await smtp.close();
  await database.drop();
});

const mailsTo = (user: TestUser) =>
  smtp.messages.filter((mail) =>
    (Array.isArray(mail.to) ? mail.to : [mail.to]).some((to) => to?.text.includes(user.email)),
  );

describe("inbox email", () => {
  it("sends a share and a mention to the person, once each, with a link to the passage", async () => {
    await inviteToMemo(database.prisma, owner.id, memoId, { email: analyst.email, role: "commenter" });
    const thread = await createThread(database.prisma, owner.id, memoId, {
      ...testThreadInput("@Rami Analyst <b>check</b> the figures & dates."),
      mentions: [analyst.id],
    });
    mailer.wake();
    await waitFor(() => mailsTo(analyst).length === 2, 5000, "two emails");
    const mention = mailsTo(analyst).find((mail) => mail.subject?.includes("mentioned"))!;
    const share = mailsTo(analyst).find((mail) => mail.subject?.includes("shared"))!;
    expect(mention.subject).toBe("Olga Owner mentioned you in Test memo");
    expect(mention.from?.text).toBe('"Demarche" <demarche@memos.ministry.example>');
    expect(mention.text).toContain("@Rami Analyst <b>check</b> the figures & dates.");
    expect(mention.text).toContain(`${APP_URL}/memos/${memoId}?comment=${thread.id}`);
    // The HTML escapes what people wrote.
    expect(mention.html).toContain("&lt;b&gt;check&lt;/b&gt; the figures &amp; dates.");
    expect(mention.html).not.toContain("<b>check</b>");
    expect(share.subject).toBe("Olga Owner shared Test memo with you as a commenter");
    // Nothing is sent twice, whatever wakes the mailer.
    mailer.wake();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(mailsTo(analyst)).toHaveLength(2);
    expect(mailsTo(owner)).toHaveLength(0);
  });

  it("sends nothing to someone who turned email off, nor later for what came meanwhile or was read", async () => {
    await setInboxEmail(database.prisma, owner.id, { email: false });
    await createThread(database.prisma, analyst.id, memoId, {
      ...testThreadInput("@Olga Owner noted."),
      mentions: [owner.id],
    });
    mailer.wake();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(mailsTo(owner)).toHaveLength(0);
    // Email on again: what arrived while it was off, unread, is not sent.
    await setInboxEmail(database.prisma, owner.id, { email: true });
    mailer.wake();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(mailsTo(owner)).toHaveLength(0);
    expect(await database.prisma.inboxItem.count({ where: { userId: owner.id, readAt: null } })).toBe(1);
    // What was read is not sent either.
    await markInboxRead(database.prisma, owner.id, { all: true });
    await database.prisma.inboxItem.updateMany({ where: { userId: owner.id }, data: { mailedAt: null } });
    mailer.wake();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(mailsTo(owner)).toHaveLength(0);
  });

  it("keeps an item the SMTP server refused, and sends it once the server takes mail again", async () => {
    smtp.refuse = true;
    const before = mailsTo(owner).length;
    await createThread(database.prisma, analyst.id, memoId, {
      ...testThreadInput("@Olga Owner one more."),
      mentions: [owner.id],
    });
    mailer.wake();
    await new Promise((resolve) => setTimeout(resolve, 400));
    const waiting = await database.prisma.inboxItem.findFirstOrThrow({
      where: { userId: owner.id, readAt: null },
      orderBy: { createdAt: "desc" },
    });
    expect(waiting.mailedAt).toBeNull();
    smtp.refuse = false;
    await waitFor(() => mailsTo(owner).length === before + 1, 5000, "the email once the server takes it");
    expect(mailsTo(owner).at(-1)?.subject).toMatch(/^Rami Analyst mentioned you in /);
  });
});
