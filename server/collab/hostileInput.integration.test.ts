import * as encoding from "lib0/encoding";
import type WebSocket from "ws";
import * as Y from "yjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase";
import { createTestMemo, createTestUser, type TestUser } from "../testing/fixtures";
import {
  connectTestClient,
  openRawSocket,
  sessionCookie,
  startTestCollabServer,
  waitFor,
  type TestClient,
  type TestCollabServer,
} from "../testing/collabHarness";
import fc from "fast-check";
import { updateYFragment } from "@tiptap/y-tiptap";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { memoSchema } from "../../common/editor/memoDocument";
import { detachedCopy } from "../../common/editor/memoSchemaFit";
import { EXPORT_FORMATS, exportMemo } from "../export/exportMemo";
import { readDocx, paragraphTexts } from "../testing/docxContent";
import { fitsSchema, hostileChild, HOSTILE_BASE, HOSTILE_TARGETS, insertInto } from "../testing/hostileStructures";
import { joinText, readPdf } from "../testing/pdfContent";
import { loadMemoDocument } from "../memos/memoStore";
import { CloseCode, MessageType } from "../../common/protocol/protocol";

// Every hostile frame closes only its sender, with a fitting code and a log line, stores nothing
// from the frame, and leaves an honest client on the same memo editing and saving as before.

let database: TestDatabase;
let server: TestCollabServer;
let owner: TestUser;
let cookie: string;
let memoId: string;
let bystander: TestClient;
const logLines: string[] = [];
const sockets: WebSocket[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestCollabServer(database.prisma, database.url, {
    logLines,
    limits: { maxFrameBytes: 2 * 1024 * 1024 },
  });
  owner = await createTestUser(database.prisma);
  cookie = await sessionCookie(owner, server.secret);
  memoId = await createTestMemo(database.prisma, owner.id, "Untouched.");
  bystander = connectTestClient(server.url, memoId, cookie);
  await bystander.synced();
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.terminate();
});

afterAll(async () => {
  bystander.destroy();
  await server.stop();
  await database.drop();
});

async function attacker(): Promise<{ socket: WebSocket; closed: Promise<{ code: number; reason: string }> }> {
  const socket = await openRawSocket(server.url, memoId, cookie);
  sockets.push(socket);
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return { socket, closed };
}

function syncUpdateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, 2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

function awarenessFrame(payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Awareness);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

function encodeVarUints(...values: number[]): Uint8Array {
  const encoder = encoding.createEncoder();
  for (const value of values) encoding.writeVarUint(encoder, value);
  return encoding.toUint8Array(encoder);
}

/** An update made on a copy of the memo as the server has it. */
function updateOnCopy(edit: (doc: Y.Doc) => void): Uint8Array {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(bystander.doc));
  const before = Y.encodeStateVector(copy);
  edit(copy);
  return Y.encodeStateAsUpdate(copy, before);
}

/** The honest client still edits, is acknowledged, and the memo holds exactly its text. */
async function expectBystanderUnaffected(): Promise<void> {
  const line = `Still fine ${Math.random().toString(36).slice(2)}.`;
  bystander.appendParagraph(line);
  await waitFor(() => bystander.isSaved(), 5000, "bystander's edit acknowledged");
  expect(bystander.provider.wsconnected).toBe(true);
  const stored = await loadMemoDocument(database.prisma, memoId);
  expect(Y.encodeStateVector(stored!.doc)).toEqual(Y.encodeStateVector(bystander.doc));
  expect(bystander.text()).toContain(line);
  expect(bystander.text()).not.toMatch(/evil|script/i);
}

function loggedRejection(reason: string): boolean {
  return logLines.some((line) => line.includes('"frame rejected') && line.includes(reason));
}

describe("hostile frames", () => {
  it("a text frame closes with 1003", async () => {
    const { socket, closed } = await attacker();
    socket.send("<script>alert(1)</script>");
    expect(await closed).toMatchObject({ code: CloseCode.UnsupportedData });
    expect(loggedRejection("text frames are not supported")).toBe(true);
    await expectBystanderUnaffected();
  });

  it("garbage bytes and truncated varints close with 1007", async () => {
    for (const frame of [
      new Uint8Array([0, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]),
      new Uint8Array([0, 2, 0x85]),
      new Uint8Array([0xff]),
      new Uint8Array([0, 0]),
      new Uint8Array([0, 2, 5, 1, 2]),
    ]) {
      const { socket, closed } = await attacker();
      socket.send(frame);
      expect((await closed).code).toBe(CloseCode.InvalidPayload);
    }
    expect(loggedRejection("truncated")).toBe(true);
    await expectBystanderUnaffected();
  });

  it("an unknown message type closes with 1003", async () => {
    const { socket, closed } = await attacker();
    socket.send(new Uint8Array([42, 1, 2, 3]));
    expect(await closed).toMatchObject({ code: CloseCode.UnsupportedData, reason: "unknown message type" });
    await expectBystanderUnaffected();
  });

  it("however many distinct unknown types arrive, /metrics counts them under two fixed reasons", async () => {
    const counts = async () => {
      const metric = await server.collab.metrics.rejectedFrames.get();
      return new Map(metric.values.map((value) => [String(value.labels.reason), value.value]));
    };
    const before = await counts();
    // 25 invented message types and 25 invented sync message types, one connection each.
    const TYPES = 25;
    for (let batch = 0; batch < TYPES; batch += 5) {
      await Promise.all(
        Array.from({ length: 5 }, async (_, i) => {
          const type = 1000 + batch + i;
          for (const frame of [encodeVarUints(type), encodeVarUints(MessageType.Sync, type)]) {
            const { socket, closed } = await attacker();
            socket.send(frame);
            expect((await closed).code).toBe(CloseCode.UnsupportedData);
          }
        }),
      );
    }
    const after = await counts();
    const added = [...after.keys()].filter((reason) => !before.has(reason));
    expect(added.every((reason) => reason === "unknown message type" || reason === "unknown sync message")).toBe(true);
    expect([...after.keys()].filter((reason) => reason.startsWith("unknown"))).not.toContainEqual(
      expect.stringMatching(/\d/),
    );
    expect((after.get("unknown message type") ?? 0) - (before.get("unknown message type") ?? 0)).toBe(TYPES);
    expect((after.get("unknown sync message") ?? 0) - (before.get("unknown sync message") ?? 0)).toBe(TYPES);
    await expectBystanderUnaffected();
  });

  it("a 50 MB frame closes with 1009 without being buffered", async () => {
    const { socket, closed } = await attacker();
    socket.send(new Uint8Array(50 * 1024 * 1024));
    expect((await closed).code).toBe(CloseCode.MessageTooBig);
    await waitFor(() => loggedRejection("frame too large"), 2000, "log line");
    await expectBystanderUnaffected();
  });

  it("an update that builds on content the server never saw is refused and stores nothing", async () => {
    // Compaction (200 ms after the last store in tests) may fold earlier rows meanwhile, so count
    // only rows appended after this point, not all of them.
    const lastSeq = (await database.prisma.memoUpdate.aggregate({ _max: { seq: true } }))._max.seq ?? 0n;
    const ghost = new Y.Doc();
    Y.applyUpdate(ghost, Y.encodeStateAsUpdate(bystander.doc));
    const start = Y.encodeStateVector(ghost);
    const text = ghost.getXmlFragment(MEMO_FRAGMENT).get(0) as Y.XmlElement;
    (text.get(0) as Y.XmlText).insert(0, "never sent ");
    const middle = Y.encodeStateVector(ghost);
    (text.get(0) as Y.XmlText).insert(0, "evil ");
    const second = Y.encodeStateAsUpdate(ghost, middle);
    expect(Y.encodeStateAsUpdate(ghost, start).byteLength).toBeGreaterThan(second.byteLength);

    const { socket, closed } = await attacker();
    socket.send(syncUpdateFrame(second));
    expect(await closed).toMatchObject({
      code: CloseCode.InvalidPayload,
      reason: "update references content the server never saw",
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await database.prisma.memoUpdate.count({ where: { memoId, seq: { gt: lastSeq } } })).toBe(0);
    await expectBystanderUnaffected();
  });

  it("content outside the memo schema is refused with 1008", async () => {
    const cases: [string, Uint8Array][] = [
      [
        "element outside the memo schema",
        updateOnCopy((doc) => doc.getXmlFragment(MEMO_FRAGMENT).push([new Y.XmlElement("script")])),
      ],
      ["update writes outside the memo", updateOnCopy((doc) => doc.getMap("evil").set("payload", "x"))],
      [
        "link with a forbidden protocol",
        updateOnCopy((doc) => {
          const paragraph = doc.getXmlFragment(MEMO_FRAGMENT).get(0) as Y.XmlElement;
          (paragraph.get(0) as Y.XmlText).format(0, 3, { link: { href: "javascript:alert(1)" } });
        }),
      ],
      [
        "attribute outside the memo schema",
        updateOnCopy((doc) =>
          (doc.getXmlFragment(MEMO_FRAGMENT).get(0) as Y.XmlElement).setAttribute("onclick", "alert(1)"),
        ),
      ],
      [
        "mark outside the memo schema",
        updateOnCopy((doc) => {
          const paragraph = doc.getXmlFragment(MEMO_FRAGMENT).get(0) as Y.XmlElement;
          (paragraph.get(0) as Y.XmlText).format(0, 3, { blink: true });
        }),
      ],
      // Schema names in the wrong structure: y-tiptap would drop them in an honest browser and
      // write the deletion back, taking the paragraph around them with it.
      [
        "paragraph where the memo schema does not allow it",
        updateOnCopy((doc) =>
          (doc.getXmlFragment(MEMO_FRAGMENT).get(0) as Y.XmlElement).insert(0, [new Y.XmlElement("paragraph")]),
        ),
      ],
      [
        "element outside the memo schema",
        updateOnCopy((doc) =>
          (doc.getXmlFragment(MEMO_FRAGMENT).get(0) as Y.XmlElement).insert(0, [new Y.XmlElement("text")]),
        ),
      ],
      [
        "text outside a text block",
        updateOnCopy((doc) => doc.getXmlFragment(MEMO_FRAGMENT).insert(0, [new Y.XmlText("evil")])),
      ],
      [
        "listItem where the memo schema does not allow it",
        updateOnCopy((doc) => doc.getXmlFragment(MEMO_FRAGMENT).insert(0, [new Y.XmlElement("listItem")])),
      ],
      [
        "attribute value outside the memo schema",
        updateOnCopy((doc) => {
          const heading = new Y.XmlElement("heading");
          heading.setAttribute("level", 99 as never);
          doc.getXmlFragment(MEMO_FRAGMENT).insert(0, [heading]);
        }),
      ],
      [
        "text with a character storage cannot hold (NUL or a lone surrogate)",
        updateOnCopy((doc) =>
          ((doc.getXmlFragment(MEMO_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, "a\u0000b"),
        ),
      ],
      [
        "link with a forbidden protocol",
        updateOnCopy((doc) =>
          ((doc.getXmlFragment(MEMO_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText).format(0, 3, {
            link: { href: "java\tscript:alert(1)" },
          }),
        ),
      ],
    ];
    for (const [reason, update] of cases) {
      const { socket, closed } = await attacker();
      socket.send(syncUpdateFrame(update));
      expect(await closed).toMatchObject({ code: CloseCode.PolicyViolation, reason });
    }
    await expectBystanderUnaffected();
  });

  it("10,000 messages a second close with 1008 and the server stays up", async () => {
    const { socket, closed } = await attacker();
    const query = new Uint8Array([MessageType.QueryAwareness]);
    for (let i = 0; i < 10_000 && socket.readyState === socket.OPEN; i++) socket.send(query);
    expect(await closed).toMatchObject({ code: CloseCode.PolicyViolation, reason: "too many messages" });
    await expectBystanderUnaffected();
  });

  it("a 1 MB presence state closes with 1009", async () => {
    const { socket, closed } = await attacker();
    const state = JSON.stringify({ user: { name: "x".repeat(1024 * 1024) } });
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint(encoder, 123456);
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarString(encoder, state);
    socket.send(awarenessFrame(encoding.toUint8Array(encoder)));
    expect(await closed).toMatchObject({ code: CloseCode.MessageTooBig, reason: "presence state too large" });
    expect(bystander.provider.awareness.getStates().has(123456)).toBe(false);
    await expectBystanderUnaffected();
  });

  it("a memo over the document size limit refuses the update that would cross it", async () => {
    const smallServer = await startTestCollabServer(database.prisma, database.url, {
      limits: { maxDocumentBytes: 64 * 1024 },
    });
    const writer = connectTestClient(smallServer.url, memoId, await sessionCookie(owner, smallServer.secret));
    await writer.synced();
    const closed = new Promise<number>((resolve) =>
      writer.provider.once("connection-close", (event) => resolve(event?.code ?? 0)),
    );
    writer.appendParagraph("y".repeat(100 * 1024));
    expect(await closed).toBe(CloseCode.MessageTooBig);
    writer.destroy();
    await smallServer.stop();
    await expectBystanderUnaffected();
  });

  it.each([
    ["a caret of empty objects", { cursor: { anchor: {}, head: {} } }],
    ["a caret of strings", { cursor: { anchor: "0", head: "0" } }],
    ["a caret of numbers", { cursor: { anchor: 1, head: 1 } }],
    ["a caret in another root type", { cursor: { anchor: { tname: "evil" }, head: { tname: "evil" } } }],
    [
      "a caret with a negative clock",
      { cursor: { anchor: { item: { client: 1, clock: -1 } }, head: { tname: "default" } } },
    ],
    ["a field our client never sends", { cursor: null, html: "<img src=x onerror=alert(1)>" }],
    ["an activity we do not know", { activity: "<b>typing</b>" }],
    ["a state that is not an object", ["cursor"]],
  ])("presence with %s closes with 1008 and reaches nobody", async (_name, state) => {
    const { socket, closed } = await attacker();
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint(encoder, 654321);
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarString(encoder, JSON.stringify(state));
    socket.send(awarenessFrame(encoding.toUint8Array(encoder)));
    expect(await closed).toMatchObject({ code: CloseCode.PolicyViolation, reason: "malformed presence state" });
    expect(bystander.provider.awareness.getStates().has(654321)).toBe(false);
    await expectBystanderUnaffected();
  });

  it("a caret that points at content the server has not seen is relayed (a reconnecting client's)", async () => {
    const { socket } = await attacker();
    const caret = { anchor: { item: { client: 99, clock: 5 } }, head: { tname: MEMO_FRAGMENT } };
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint(encoder, 777777);
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarString(encoder, JSON.stringify({ cursor: caret, user: { name: "Forged", id: "x" } }));
    socket.send(awarenessFrame(encoding.toUint8Array(encoder)));
    await waitFor(() => bystander.provider.awareness.getStates().has(777777), 3000, "caret relayed");
    const relayed = bystander.provider.awareness.getStates().get(777777)!;
    expect(relayed.cursor).toEqual(caret);
    expect(relayed.user).toMatchObject({ id: owner.id, role: "owner" });
    await expectBystanderUnaffected();
  });

  it("random updates of schema names in the wrong structure are each refused; memory, PostgreSQL and every export are unchanged", async () => {
    // The bystander, an honest editor, gives the memo one container of each kind.
    updateYFragment(
      bystander.doc,
      bystander.doc.getXmlFragment(MEMO_FRAGMENT),
      memoSchema().nodeFromJSON(HOSTILE_BASE),
      { mapping: new Map(), isOMark: new Map() } as never,
    );
    await waitFor(() => bystander.isSaved(), 5000, "the honest memo saved");
    const now = new Date("2026-12-02T12:00:00Z");
    const exportsNow = async () => {
      const [pdf, docx, md] = await Promise.all(
        EXPORT_FORMATS.map((format) =>
          exportMemo(database.prisma, owner.id, memoId, format, { markings: ["UNCLASSIFIED"], now }),
        ),
      );
      return {
        pdf: joinText((await readPdf(pdf.bytes)).flatMap((page) => page.items)),
        docx: paragraphTexts((await readDocx(docx.bytes)).document),
        md: new TextDecoder().decode(md.bytes),
      };
    };
    const before = { state: Y.encodeStateVector(bystander.doc), text: bystander.text(), exports: await exportsNow() };
    expect(before.exports.md).toContain("The delegation arrives on Monday.");

    const attempts = fc.sample(fc.tuple(fc.constantFrom(...HOSTILE_TARGETS), hostileChild, fc.nat(3)), {
      numRuns: 60,
      seed: 20261202,
    });
    let sent = 0;
    for (const [target, made, index] of attempts) {
      const update = updateOnCopy((doc) => insertInto(target.at(doc), index, made.make()));
      const applied = detachedCopy(bystander.doc);
      Y.applyUpdate(applied, update);
      if (fitsSchema(applied)) continue; // a valid insertion; not what this test is about
      const { socket, closed } = await attacker();
      socket.send(syncUpdateFrame(update));
      expect((await closed).code, `${made.describe} in ${target.name}`).toBe(CloseCode.PolicyViolation);
      sent++;
    }
    expect(sent).toBeGreaterThan(20);
    const stored = await loadMemoDocument(database.prisma, memoId);
    expect(Y.encodeStateVector(stored!.doc)).toEqual(before.state);
    expect(bystander.text()).toBe(before.text);
    expect(await exportsNow()).toEqual(before.exports);
    await expectBystanderUnaffected();
  });
});
