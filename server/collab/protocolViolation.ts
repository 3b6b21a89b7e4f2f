import { CloseCode, type CloseCodeValue } from "./protocol";

/** A frame the server refuses: the offending connection is closed with `closeCode`. */
export class ProtocolViolation extends Error {
  constructor(
    readonly closeCode: CloseCodeValue,
    /** Stable reason, sent as the close reason and counted in logs. */
    readonly reason: string,
  ) {
    super(reason);
    this.name = "ProtocolViolation";
  }
}

export const invalidPayload = (reason: string) => new ProtocolViolation(CloseCode.InvalidPayload, reason);
export const unsupportedData = (reason: string) => new ProtocolViolation(CloseCode.UnsupportedData, reason);
export const policyViolation = (reason: string) => new ProtocolViolation(CloseCode.PolicyViolation, reason);
