import { CloseCode, type CloseCodeValue } from "../../common/protocol/protocol";

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
