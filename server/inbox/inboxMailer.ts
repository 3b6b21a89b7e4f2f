import nodemailer from "nodemailer";
import type { Logger } from "pino";
import type { PrismaClient } from "../db";
import { inboxMail } from "./inboxMail";
import { itemHref } from "./inboxQueries";

// Emails inbox items when SMTP_URL is set. Items are claimed in batches by the statement that
// marks them mailed (FOR UPDATE SKIP LOCKED, so several instances never send one twice), only
// while unread, recent, and for people who want email; each is checked again, at send time,
// against what the recipient may still open. A sweep runs when an inbox event arrives (new items
// committed, on any instance) and once a minute for what an event missed. A failure to send
// pauses the mailer and gives the item back, to try again until it is too old.

export type InboxMailer = {
  /** Something new may be waiting: sweep soon. */
  wake(): void;
  /** Finishes the current sweep and stops. */
  close(): Promise<void>;
};

export type InboxMailerOptions = {
  db: PrismaClient;
  smtpUrl: string;
  from: string;
  appUrl: string;
  log: Logger;
  /** Items older than this are not emailed (an outage's backlog is not sent a day late). */
  maxAgeMs?: number;
  /** How long sending pauses after a failure. */
  pauseAfterFailureMs?: number;
  sweepEveryMs?: number;
};

const BATCH = 20;

export function createInboxMailer(options: InboxMailerOptions): InboxMailer {
  const { db, log } = options;
  const maxAgeMs = options.maxAgeMs ?? 60 * 60 * 1000;
  const pauseMs = options.pauseAfterFailureMs ?? 30_000;
  const transport = nodemailer.createTransport(options.smtpUrl, { from: options.from });
  let closed = false;
  let running: Promise<void> | null = null;
  let again = false;
  let pausedUntil = 0;

  const sweep = async () => {
    for (;;) {
      if (closed || Date.now() < pausedUntil) return;
      const claimed = await db.$queryRaw<{ id: string }[]>`
        UPDATE "InboxItem" SET "mailedAt" = now() AT TIME ZONE 'UTC'
        WHERE id IN (
          SELECT i.id FROM "InboxItem" i JOIN "User" u ON u.id = i."userId"
          WHERE i."createdAt" > (now() AT TIME ZONE 'UTC') - ${maxAgeMs} * interval '1 millisecond'
            AND i."mailedAt" IS NULL AND i."readAt" IS NULL AND u."inboxEmail"
          ORDER BY i."createdAt"
          LIMIT ${BATCH}
          FOR UPDATE OF i SKIP LOCKED)
        RETURNING id::text`;
      if (claimed.length === 0) return;
      for (const { id } of claimed) {
        if (closed) return;
        const sent = await send(id);
        if (!sent) {
          // Give back what this batch had not sent yet, and rest.
          const left = claimed.slice(claimed.findIndex((item) => item.id === id)).map((item) => item.id);
          await db.inboxItem.updateMany({ where: { id: { in: left } }, data: { mailedAt: null } });
          pausedUntil = Date.now() + pauseMs;
          return;
        }
      }
    }
  };

  /** Sends one claimed item; false when the SMTP server could not take it. */
  const send = async (id: string): Promise<boolean> => {
    const item = await db.inboxItem.findUnique({
      where: { id },
      select: {
        kind: true,
        memoId: true,
        role: true,
        restoredFrom: true,
        user: { select: { id: true, name: true, email: true } },
        actor: { select: { name: true } },
        memo: { select: { title: true, ownerId: true } },
        comment: { select: { body: true, deletedAt: true, thread: { select: { id: true, quote: true } } } },
      },
    });
    if (!item || item.comment?.deletedAt) return true;
    const member =
      item.memo.ownerId === item.user.id ||
      (await db.memoMember.count({ where: { memoId: item.memoId, userId: item.user.id } })) > 0;
    if (!member) return true;
    const mail = inboxMail({
      kind: item.kind,
      actorName: item.actor?.name ?? null,
      memoTitle: item.memo.title,
      role: item.role,
      restoredFrom: item.restoredFrom,
      comment: item.comment && { body: item.comment.body, quote: item.comment.thread.quote },
      link: `${options.appUrl}${itemHref(item.memoId, item.comment?.thread.id ?? null)}`,
    });
    try {
      await transport.sendMail({ to: { name: item.user.name, address: item.user.email }, ...mail });
      return true;
    } catch (error) {
      log.warn({ err: error, itemId: id }, "sending an inbox email failed; trying again later");
      return false;
    }
  };

  const run = () => {
    if (running) {
      again = true;
      return;
    }
    running = sweep()
      .catch((error: unknown) => log.error({ err: error }, "the inbox mailer's sweep failed"))
      .finally(() => {
        running = null;
        if (again && !closed) {
          again = false;
          run();
        }
      });
  };
  const timer = setInterval(run, options.sweepEveryMs ?? 60_000);
  timer.unref();
  run();

  return {
    wake: run,
    async close() {
      closed = true;
      clearInterval(timer);
      await running;
      transport.close();
    },
  };
}
