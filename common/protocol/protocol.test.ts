import fc from "fast-check";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { describe, expect, it } from "vitest";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import type { RestoreAnnouncement } from "./restoreAnnouncement";
import { MEMO_ROLES } from "../sharing/memoPermissions";
import {
  MalformedMessage,
  MessageType,
  readAccess,
  readAwarenessUpdate,
  readCommentsChanged,
  readMessageType,
  readRestored,
  readSaved,
  readStorageStatus,
  writeAccess,
  writeAwareness,
  writeAwarenessUpdate,
  writeCommentsChanged,
  writeRestored,
  writeSaved,
  writeStorageStatus,
  writeSyncStep1,
  writeSyncStep2,
  writeSyncUpdate,
} from "./protocol";

// Every message of ours reads back as written (a property over its values), and its reader is
// strict: trailing bytes, a truncated payload or a value outside its type throw MalformedMessage,
// which the editor ignores (memoConnection.ts). y-websocket's messages, as the server writes them,
// read back through y-protocols.

const ANNOUNCEMENT: RestoreAnnouncement = {
  byUserId: "7b0e9a52-3f1c-4d4e-9a51-0c2b8f1d2e3a",
  byName: "Amina Qureshi",
  restoredFrom: 3,
  savedBefore: { id: "1f6c2d7e-8a9b-4c0d-8e1f-2a3b4c5d6e7f", number: 7 },
  at: "2026-12-02T14:02:00.000Z",
};

/** A write/read pair of ours, with values to write. */
type Pair<T> = {
  name: string;
  type: number;
  write: (value: T) => Uint8Array;
  read: (decoder: decoding.Decoder) => T;
  values: fc.Arbitrary<T>;
};

const snapshots = fc
  .record({
    clocks: fc.dictionary(fc.integer({ min: 0, max: 2 ** 32 - 1 }).map(String), fc.integer({ min: 1, max: 1_000_000 })),
    deletions: fc.array(
      fc.record({
        client: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        clock: fc.nat(1_000_000),
        len: fc.integer({ min: 1, max: 1_000 }),
      }),
      { maxLength: 20 },
    ),
  })
  .map(({ clocks, deletions }) => {
    const ds = Y.createDeleteSet();
    for (const { client, clock, len } of deletions)
      ds.clients.set(client, [...(ds.clients.get(client) ?? []), { clock, len }] as never);
    const sv = new Map(Object.entries(clocks).map(([client, clock]) => [Number(client), clock]));
    return Y.encodeSnapshot(Y.createSnapshot(ds, sv));
  });

const announcements: fc.Arbitrary<RestoreAnnouncement> = fc.record({
  byUserId: fc.uuid(),
  byName: fc.string({ minLength: 1, maxLength: 200 }),
  restoredFrom: fc.integer({ min: 1, max: 2 ** 31 }),
  savedBefore: fc.option(fc.record({ id: fc.uuid(), number: fc.integer({ min: 1, max: 2 ** 31 }) }), { nil: null }),
  at: fc
    .date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true })
    .map((date) => date.toISOString()),
});

const PAIRS = [
  {
    name: "Saved",
    type: MessageType.Saved,
    write: writeSaved,
    read: readSaved,
    values: snapshots,
  } satisfies Pair<Uint8Array>,
  {
    name: "StorageStatus",
    type: MessageType.StorageStatus,
    write: writeStorageStatus,
    read: readStorageStatus,
    values: fc.boolean(),
  } satisfies Pair<boolean>,
  {
    name: "Access",
    type: MessageType.Access,
    write: writeAccess,
    read: readAccess,
    values: fc.constantFrom(...MEMO_ROLES),
  },
  {
    name: "CommentsChanged",
    type: MessageType.CommentsChanged,
    write: writeCommentsChanged,
    read: readCommentsChanged,
    values: fc.oneof(fc.constant(""), fc.uuid()),
  } satisfies Pair<string>,
  {
    name: "Restored",
    type: MessageType.Restored,
    write: writeRestored,
    read: readRestored,
    values: announcements,
  } satisfies Pair<RestoreAnnouncement>,
] as Pair<unknown>[];

/** A message's decoder after its type, as y-websocket hands it to a handler. */
function afterType(message: Uint8Array, type: number): decoding.Decoder {
  const decoder = decoding.createDecoder(message);
  expect(readMessageType(decoder)).toBe(type);
  return decoder;
}

/** A payload of our own making, after a message type. */
function payload(write: (encoder: encoding.Encoder) => void): decoding.Decoder {
  const encoder = encoding.createEncoder();
  write(encoder);
  return decoding.createDecoder(encoding.toUint8Array(encoder));
}

const withByte = (message: Uint8Array, byte: number) => Uint8Array.from([...message, byte]);

describe("our messages", () => {
  for (const pair of PAIRS) {
    describe(pair.name, () => {
      it("reads back what it wrote", () => {
        fc.assert(
          fc.property(
            pair.values,
            (value) => void expect(pair.read(afterType(pair.write(value), pair.type))).toEqual(value),
          ),
        );
      });

      it("refuses trailing bytes and a truncated payload", () => {
        fc.assert(
          fc.property(pair.values, fc.integer({ min: 0, max: 255 }), (value, byte) => {
            const message = pair.write(value);
            expect(() => pair.read(afterType(withByte(message, byte), pair.type))).toThrow(MalformedMessage);
            expect(() => pair.read(afterType(message.slice(0, -1), pair.type))).toThrow(MalformedMessage);
          }),
        );
      });
    });
  }

  it("keep the bytes the server always sent (a storage status is its type and one byte)", () => {
    expect([...writeStorageStatus(true)]).toEqual([MessageType.StorageStatus, 1]);
    expect([...writeStorageStatus(false)]).toEqual([MessageType.StorageStatus, 0]);
  });

  it("refuse values their writer never writes", () => {
    expect(() => readStorageStatus(payload((encoder) => encoding.writeUint8(encoder, 2)))).toThrow(MalformedMessage);
    expect(() => readAccess(payload((encoder) => encoding.writeVarString(encoder, "admin")))).toThrow(MalformedMessage);
    expect(() => readCommentsChanged(payload((encoder) => encoding.writeVarString(encoder, "not a thread")))).toThrow(
      MalformedMessage,
    );
    expect(() =>
      readSaved(payload((encoder) => encoding.writeVarUint8Array(encoder, new Uint8Array([200, 200])))),
    ).toThrow(MalformedMessage);
    expect(() => readMessageType(decoding.createDecoder(new Uint8Array()))).toThrow(MalformedMessage);
  });

  it("refuse a restore announcement in any other shape", () => {
    for (const text of [
      "",
      "not json",
      "null",
      "[]",
      JSON.stringify({ ...ANNOUNCEMENT, extra: 1 }),
      JSON.stringify({ ...ANNOUNCEMENT, byName: "" }),
      JSON.stringify({ ...ANNOUNCEMENT, restoredFrom: -1 }),
      JSON.stringify({ ...ANNOUNCEMENT, savedBefore: { id: "x", number: 1 } }),
      JSON.stringify({ ...ANNOUNCEMENT, at: "yesterday" }),
    ]) {
      expect(() => readRestored(payload((encoder) => encoding.writeVarString(encoder, text)))).toThrow(
        MalformedMessage,
      );
    }
    expect(() => readRestored(decoding.createDecoder(new Uint8Array([200])))).toThrow(MalformedMessage);
    expect(readRestored(afterType(writeRestored(ANNOUNCEMENT), MessageType.Restored))).toEqual(ANNOUNCEMENT);
  });
});

describe("awareness updates", () => {
  const entries = fc.array(
    fc.record({
      clientId: fc.nat(),
      clock: fc.nat(),
      state: fc.oneof(
        fc.constant(null),
        fc.json().map((text) => JSON.parse(text) as unknown),
      ),
    }),
    { maxLength: 8 },
  );
  /** Entries as JSON compares them (a state travels as JSON: -0 arrives as 0). */
  const asSent = (list: { clientId: number; clock: number; state: unknown }[]) => JSON.stringify(list);

  it("read back what was written, and are what y-protocols writes", () => {
    fc.assert(
      fc.property(
        entries,
        (list) => void expect(asSent(readAwarenessUpdate(writeAwarenessUpdate(list)))).toBe(asSent(list)),
      ),
    );
    const awareness = new awarenessProtocol.Awareness(new Y.Doc());
    awareness.setLocalState({ caret: 3, user: { name: "A" } });
    const update = awarenessProtocol.encodeAwarenessUpdate(awareness, [awareness.clientID]);
    expect(writeAwarenessUpdate(readAwarenessUpdate(update))).toEqual(update);
  });

  it("refuse trailing bytes and a truncated update", () => {
    fc.assert(
      fc.property(
        entries.filter((list) => list.length > 0),
        (list) => {
          const update = writeAwarenessUpdate(list);
          expect(() => readAwarenessUpdate(withByte(update, 0))).toThrow(MalformedMessage);
          expect(() => readAwarenessUpdate(update.slice(0, -1))).toThrow(MalformedMessage);
        },
      ),
    );
  });
});

describe("y-websocket's messages as the server writes them", () => {
  it("read back through y-protocols", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const step2 = afterType(writeSyncStep2(bytes), MessageType.Sync);
        expect([decoding.readVarUint(step2), decoding.readVarUint8Array(step2)]).toEqual([
          syncProtocol.messageYjsSyncStep2,
          bytes,
        ]);
        const update = afterType(writeSyncUpdate(bytes), MessageType.Sync);
        expect([decoding.readVarUint(update), decoding.readVarUint8Array(update)]).toEqual([
          syncProtocol.messageYjsUpdate,
          bytes,
        ]);
        const presence = afterType(writeAwareness(bytes), MessageType.Awareness);
        expect(decoding.readVarUint8Array(presence)).toEqual(bytes);
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (text) => {
        const doc = new Y.Doc();
        doc.getText("t").insert(0, text);
        const step1 = afterType(writeSyncStep1(doc), MessageType.Sync);
        expect([decoding.readVarUint(step1), decoding.readVarUint8Array(step1)]).toEqual([
          syncProtocol.messageYjsSyncStep1,
          Y.encodeStateVector(doc),
        ]);
      }),
    );
  });
});
