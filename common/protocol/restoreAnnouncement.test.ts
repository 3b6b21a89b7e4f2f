import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { describe, expect, it } from "vitest";
import { encodeRestoreAnnouncement, readRestoreAnnouncement, RESTORED_MESSAGE, type RestoreAnnouncement } from "./restoreAnnouncement";

const ANNOUNCEMENT: RestoreAnnouncement = {
  byUserId: "7b0e9a52-3f1c-4d4e-9a51-0c2b8f1d2e3a",
  byName: "Amina Qureshi",
  restoredFrom: 3,
  savedBefore: { id: "1f6c2d7e-8a9b-4c0d-8e1f-2a3b4c5d6e7f", number: 7 },
  at: "2026-12-02T14:02:00.000Z",
};

function payload(text: string): decoding.Decoder {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, text);
  return decoding.createDecoder(encoding.toUint8Array(encoder));
}

describe("restore announcements", () => {
  it("round-trip", () => {
    const decoder = decoding.createDecoder(encodeRestoreAnnouncement(ANNOUNCEMENT));
    expect(decoding.readVarUint(decoder)).toBe(RESTORED_MESSAGE);
    expect(readRestoreAnnouncement(decoder)).toEqual(ANNOUNCEMENT);
  });

  it("read anything else as nothing, without throwing", () => {
    for (const text of ["", "not json", "null", "[]", JSON.stringify({ ...ANNOUNCEMENT, extra: 1 }), JSON.stringify({ ...ANNOUNCEMENT, byName: "" }), JSON.stringify({ ...ANNOUNCEMENT, restoredFrom: -1 }), JSON.stringify({ ...ANNOUNCEMENT, savedBefore: { id: "x", number: 1 } }), JSON.stringify({ ...ANNOUNCEMENT, at: "yesterday" })]) {
      expect(readRestoreAnnouncement(payload(text))).toBeNull();
    }
    expect(readRestoreAnnouncement(decoding.createDecoder(new Uint8Array([200])))).toBeNull();
  });
});
