import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { httpStatusOf, type AppError } from "../errors";
import { CloseCode, type CloseCodeValue } from "../../common/protocol/protocol";

// How the collaboration server refuses, in one place: an upgrade it will not accept is answered
// with the HTTP status of an AppError (the status table route handlers answer with, errors.ts), a
// frame it refuses is a ProtocolViolation carrying its close code, and a memo that is gone closes
// its connections with MemoDeleted. y-websocket clients reconnect after any close code outside
// 4400–4499, so the code decides whether a client tries again: a memo deleted while it loaded
// must not be told 1013 ("retrying"), or its clients would reconnect for ever.

/** A frame the server refuses: the offending connection is closed with `closeCode`. */
export class ProtocolViolation extends Error {
  constructor(
    readonly closeCode: CloseCodeValue,
    /** Stable reason, sent as the close reason and counted in logs. */
    readonly reason: string,
    /** False when the frame is only dropped and the connection stays open. */
    readonly closes = true,
  ) {
    super(reason);
    this.name = "ProtocolViolation";
  }
}

/** A frame that is ignored (logged and counted) without closing the connection. */
export const droppedFrame = (reason: string) => new ProtocolViolation(CloseCode.PolicyViolation, reason, false);

export const invalidPayload = (reason: string) => new ProtocolViolation(CloseCode.InvalidPayload, reason);
export const unsupportedData = (reason: string) => new ProtocolViolation(CloseCode.UnsupportedData, reason);
export const policyViolation = (reason: string) => new ProtocolViolation(CloseCode.PolicyViolation, reason);

/** Thrown when a memo to open does not exist (deleted between authorization and load). */
export class MemoMissingError extends Error {
  constructor(memoId: string) {
    super(`memo ${memoId} does not exist`);
    this.name = "MemoMissingError";
  }
}

/** How the connections of a deleted memo are closed (while it was open, or as it loaded). */
export const MEMO_DELETED = { code: CloseCode.MemoDeleted, reason: "This memo was deleted." } as const;

/** Answers an upgrade request with the error's HTTP status and message instead of switching protocols. */
export function refuseUpgrade(socket: Duplex, error: AppError): void {
  if (socket.destroyed) return;
  const status = httpStatusOf(error.code);
  const body = `${error.message}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
