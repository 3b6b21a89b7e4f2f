import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { MessageType } from "./protocol";

// The "comments changed" message: comments live in PostgreSQL, not in the Y.Doc, so when one is
// written (in any process) the collaboration server tells the memo's open clients to fetch them
// again. The server encodes it, the editor decodes it.

/** Encodes a CommentsChanged message for a thread (empty: any thread may have changed). */
export function commentsChangedMessage(threadId = ""): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.CommentsChanged);
  encoding.writeVarString(encoder, threadId);
  return encoding.toUint8Array(encoder);
}

/** Reads the payload of a CommentsChanged message (after its type): the thread id, or "". */
export function readCommentsChanged(decoder: decoding.Decoder): string {
  return decoding.readVarString(decoder);
}
