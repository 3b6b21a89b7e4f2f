import fc from "fast-check";
import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import type { CollabConnection } from "./collabConnection";
import { collabLimitsFrom } from "./limits";
import { MemoRoom } from "./memoRoom";
import { handleMessage } from "./messageHandlers";
import { MessageType } from "../../common/protocol/protocol";
import { ProtocolViolation } from "./collabRefusals";
import { testRoom } from "../testing/roomFixtures";
import { DEFAULT_COLLAB_ENV } from "../testing/collabEnv";

// Property-based fuzzing of the frame decoder with random and mutated frames. In `npm test` it
// runs a fixed seed; `npm run fuzz` runs a much larger, random budget (FUZZ_RUNS, FUZZ_SEED).

const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : process.env.FUZZ_RUNS ? Date.now() : 20261126;
const limits = collabLimitsFrom(DEFAULT_COLLAB_ENV);

/** A connection that records what the server sends it. */
function recordingConnection(): CollabConnection {
  return {
    user: { id: "00000000-0000-4000-8000-000000000001", name: "Fuzzer", email: "fuzz@example.org" },
    memoId: "fuzz",
    id: 1,
    role: "editor",
    canWrite: true,
    canSuggest: true,
    isClosed: false,
    send: () => undefined,
    close: () => undefined,
  } as unknown as CollabConnection;
}

/** The memo every fuzzed room starts from (one update, so every copy has the same client ids). */
const SEED_UPDATE = (() => {
  const doc = new Y.Doc();
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [new Y.XmlText("The talks resume on Monday.")]);
  doc.getXmlFragment(MEMO_FRAGMENT).push([paragraph]);
  return Y.encodeStateAsUpdate(doc);
})();

function seededDoc(): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, SEED_UPDATE);
  return doc;
}

function freshRoom(): MemoRoom {
  return testRoom({ memoId: "fuzz", doc: seededDoc(), timing: { compactAfterRows: 1_000_000 } });
}

/** Valid frames a real client could send, to mutate. */
function validFrames(): Uint8Array[] {
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(seededDoc()));
  const before = Y.encodeStateVector(client);
  const paragraph = client.getXmlFragment(MEMO_FRAGMENT).get(0) as Y.XmlElement;
  (paragraph.get(0) as Y.XmlText).insert(4, "formal ");
  (paragraph.get(0) as Y.XmlText).format(0, 3, { bold: {} });
  const heading = new Y.XmlElement("heading");
  heading.setAttribute("level", 2 as unknown as string);
  heading.insert(0, [new Y.XmlText("Background")]);
  client.getXmlFragment(MEMO_FRAGMENT).insert(0, [heading]);
  const update = Y.encodeStateAsUpdate(client, before);
  const frame = (type: number, write: (encoder: encoding.Encoder) => void) => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, type);
    write(encoder);
    return encoding.toUint8Array(encoder);
  };
  return [
    frame(MessageType.Sync, (e) => (encoding.writeVarUint(e, 2), encoding.writeVarUint8Array(e, update))),
    frame(MessageType.Sync, (e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint8Array(e, before))),
    frame(MessageType.Sync, (e) => (encoding.writeVarUint(e, 1), encoding.writeVarUint8Array(e, update))),
    frame(MessageType.QueryAwareness, () => undefined),
  ];
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant("remove" as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(frame: Uint8Array, mutations: Mutation[]): Uint8Array {
  let bytes = [...frame];
  for (const m of mutations) {
    const at = bytes.length === 0 ? 0 : m.at % bytes.length;
    if (m.kind === "flip" && bytes.length > 0) bytes[at] ^= m.bits;
    if (m.kind === "truncate") bytes = bytes.slice(0, at);
    if (m.kind === "insert") bytes.splice(at, 0, ...m.bytes);
    if (m.kind === "remove") bytes.splice(at, m.count);
  }
  return new Uint8Array(bytes);
}

/** Feeds one frame; it must be handled or refused with a ProtocolViolation, never anything else. */
function feed(frame: Uint8Array): void {
  const room = freshRoom();
  const before = Y.encodeStateAsUpdate(room.doc);
  try {
    handleMessage(frame, { connection: recordingConnection(), room, limits });
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolViolation);
    // A refused frame changes nothing.
    expect(Y.encodeStateAsUpdate(room.doc)).toEqual(before);
  }
  // Nothing is left half-integrated, waiting for content that may never come.
  const store = (room.doc as unknown as { store: { pendingStructs: unknown; pendingDs: unknown } }).store;
  expect(store.pendingStructs).toBeNull();
  expect(store.pendingDs).toBeNull();
  room.destroy();
}

describe(`frame decoder fuzzing (seed ${SEED}, ${RUNS} runs per property)`, () => {
  it("handles or refuses random frames", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 256 }), feed), { seed: SEED, numRuns: RUNS });
  });

  it("handles or refuses mutated valid frames", () => {
    const frames = validFrames();
    fc.assert(
      fc.property(
        fc.nat({ max: frames.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (index, mutations) => feed(mutate(frames[index], mutations)),
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("accepts the unmutated valid frames", () => {
    for (const frame of validFrames()) {
      const room = freshRoom();
      expect(() => handleMessage(frame, { connection: recordingConnection(), room, limits })).not.toThrow();
      room.destroy();
    }
  });
});
