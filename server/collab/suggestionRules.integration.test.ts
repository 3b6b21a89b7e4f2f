import * as encoding from "lib0/encoding";
import type WebSocket from "ws";
import type { EditorState } from "@tiptap/pm/state";
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
import { editorEditUpdate } from "../testing/editorEdits";
import { inviteToMemo } from "../sharing/sharingCommands";
import { loadMemoDocument } from "../memos/memoStore";
import { memoJsonFromYdoc, memoSchema } from "../../common/editor/memoDocument";
import { MessageType } from "../../common/protocol/protocol";
import { suggestTransaction } from "../../common/suggestions/suggestingTransform";
import { decideSuggestions } from "../../common/suggestions/suggestionDecisions";
import { listSuggestions } from "../../common/suggestions/suggestionRanges";
import { SUGGESTED_INSERTION } from "../../common/suggestions/suggestionMarks";

// The server's rules for suggestions, tried with hand-crafted frames over a real socket: a
// commenter's update may only add and take back that commenter's own suggestions; nobody may put
// a suggestion in someone else's name.

let database: TestDatabase;
let server: TestCollabServer;
let owner: TestUser;
const clients: TestClient[] = [];
const sockets: WebSocket[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestCollabServer(database.prisma, database.url);
  owner = await createTestUser(database.prisma, "Owner Olga");
});
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
  for (const socket of sockets.splice(0)) socket.terminate();
});
afterAll(async () => {
  await server.stop();
  await database.drop();
});

const TEXT = "The outlook is sobering.";

async function memoWithMember(role: "commenter" | "editor") {
  const memoId = await createTestMemo(database.prisma, owner.id, TEXT);
  const member = await createTestUser(database.prisma, `A ${role}`);
  await inviteToMemo(database.prisma, owner.id, memoId, { email: member.email, role });
  const ownerClient = connectTestClient(server.url, memoId, await sessionCookie(owner, server.secret));
  clients.push(ownerClient);
  await ownerClient.synced();
  const socket = await openRawSocket(server.url, memoId, await sessionCookie(member, server.secret));
  sockets.push(socket);
  return { memoId, member, ownerClient, socket };
}

function updateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, 2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

const suggester = (author: string) => {
  let next = 0;
  return { author, now: () => Date.now(), newId: () => `${author.slice(0, 8)}x${String(next++).padStart(6, "0")}` };
};

/** An edit as a suggestion of `author`'s, made in suggesting mode. */
const suggested =
  (author: string, edit: (state: EditorState) => ReturnType<EditorState["tr"]["insertText"]>) =>
  (state: EditorState) => {
    const tr = suggestTransaction(state, edit(state), suggester(author));
    if (!tr) throw new Error("the edit could not be suggested");
    return tr;
  };

const bodyText = (doc: Y.Doc) => JSON.stringify(memoJsonFromYdoc(doc));

async function stored(memoId: string): Promise<string> {
  return bodyText((await loadMemoDocument(database.prisma, memoId))!.doc);
}

/** Waits long enough for a frame the server accepted to reach the owner (and fails if it did). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe("suggestions on the server", () => {
  it("applies, stores and broadcasts a commenter's suggestion, and a taking back of it", async () => {
    const { memoId, member, ownerClient, socket } = await memoWithMember("commenter");
    const typed = editorEditUpdate(
      ownerClient.doc,
      suggested(member.id, (state) => state.tr.insertText("stark ")),
      16,
    );
    socket.send(updateFrame(typed.update));
    await waitFor(() => bodyText(ownerClient.doc).includes("stark "), 3000, "the suggestion reaches the owner");
    expect(listSuggestions(memoSchema().nodeFromJSON(memoJsonFromYdoc(ownerClient.doc)))).toMatchObject([
      { author: member.id, inserted: "stark " },
    ]);
    await waitFor(async () => (await stored(memoId)).includes("stark "), 3000, "the suggestion is stored");
    // The owner's inbox hears of it, once for this reviewer however many frames they send.
    const items = () => database.prisma.inboxItem.findMany({ where: { userId: owner.id, memoId, kind: "suggestion" } });
    await waitFor(async () => (await items()).length === 1, 3000, "the owner's inbox item");
    expect((await items())[0]).toMatchObject({ actorId: member.id, readAt: null });

    const withdrawn = editorEditUpdate(ownerClient.doc, (state) =>
      decideSuggestions(state.tr, "reject", (attrs) => attrs.author === member.id),
    );
    socket.send(updateFrame(withdrawn.update));
    await waitFor(() => !bodyText(ownerClient.doc).includes("stark "), 3000, "the withdrawal reaches the owner");
    expect(socket.readyState).toBe(socket.OPEN);
    const again = editorEditUpdate(
      ownerClient.doc,
      suggested(member.id, (state) => state.tr.insertText("grim ")),
      16,
    );
    socket.send(updateFrame(again.update));
    await waitFor(async () => (await stored(memoId)).includes("grim "), 3000, "the second suggestion is stored");
    await settle();
    expect(await items()).toHaveLength(1);
  });

  it("refuses a commenter's direct edit, forged author, deletion of others' text and acceptance of their own", async () => {
    const { memoId, member, ownerClient, socket } = await memoWithMember("commenter");
    const before = bodyText(ownerClient.doc);
    const attempts: Record<string, (state: EditorState) => ReturnType<EditorState["tr"]["insertText"]>> = {
      "a direct edit": (state) => state.tr.insertText("Forged "),
      "a suggestion in the owner's name": suggested(owner.id, (state) => state.tr.insertText("Forged ")),
      "deleting the owner's text": (state) => state.tr.delete(1, 5),
      "marking the owner's text as a suggestion of theirs": (state) =>
        state.tr.addMark(
          1,
          5,
          memoSchema().marks[SUGGESTED_INSERTION].create({ id: "x".repeat(16), author: member.id, time: 1 }),
        ),
    };
    for (const [what, edit] of Object.entries(attempts)) {
      socket.send(updateFrame(editorEditUpdate(ownerClient.doc, edit).update));
      await settle();
      expect(bodyText(ownerClient.doc), what).toBe(before);
    }
    expect(await stored(memoId)).toBe(before);
    // Their own suggestion is theirs to take back, not to accept.
    const typed = editorEditUpdate(
      ownerClient.doc,
      suggested(member.id, (state) => state.tr.insertText("stark ")),
      16,
    );
    socket.send(updateFrame(typed.update));
    await waitFor(() => bodyText(ownerClient.doc).includes("stark "), 3000, "the suggestion reaches the owner");
    const withSuggestion = bodyText(ownerClient.doc);
    socket.send(
      updateFrame(
        editorEditUpdate(ownerClient.doc, (state) => decideSuggestions(state.tr, "accept", () => true)).update,
      ),
    );
    await settle();
    expect(bodyText(ownerClient.doc)).toBe(withSuggestion);
    ownerClient.appendParagraph("The owner still writes.");
    await waitFor(() => ownerClient.isSaved(), 5000, "the owner's edit is stored");
  });

  it("refuses an editor's suggestion in a colleague's name; an editor may accept one", async () => {
    const { ownerClient, socket } = await memoWithMember("editor");
    const colleague = await createTestUser(database.prisma, "A colleague");
    const accepted = editorEditUpdate(
      ownerClient.doc,
      suggested(owner.id, (state) => state.tr.insertText("stark ")),
      16,
    );
    Y.applyUpdate(ownerClient.doc, accepted.update);
    await waitFor(() => ownerClient.isSaved(), 5000, "the owner's suggestion is stored");
    const decided = editorEditUpdate(ownerClient.doc, (state) => decideSuggestions(state.tr, "accept", () => true));
    socket.send(updateFrame(decided.update));
    await waitFor(
      () => listSuggestions(memoSchema().nodeFromJSON(memoJsonFromYdoc(ownerClient.doc))).length === 0,
      3000,
      "accepted",
    );
    expect(bodyText(ownerClient.doc)).toContain("stark sobering");

    const forged = editorEditUpdate(
      ownerClient.doc,
      suggested(colleague.id, (state) => state.tr.insertText("Forged ")),
    );
    socket.send(updateFrame(forged.update));
    await settle();
    expect(bodyText(ownerClient.doc)).not.toContain("Forged");
    // Dropped, not closed at once: a client replays a refused update on every reconnect.
    expect(socket.readyState).toBe(socket.OPEN);

    // Typed inside the owner's suggestion without setting any mark, Yjs would make it theirs.
    const pending = editorEditUpdate(
      ownerClient.doc,
      suggested(owner.id, (state) => state.tr.insertText("grim ")),
      16,
    );
    Y.applyUpdate(ownerClient.doc, pending.update);
    await waitFor(() => ownerClient.isSaved(), 5000, "the owner's second suggestion is stored");
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(ownerClient.doc));
    const before = Y.encodeStateVector(copy);
    const text = (copy.getXmlFragment("default").get(0) as Y.XmlElement).get(0) as Y.XmlText;
    const plain = (text.toDelta() as Array<{ insert: string }>).map((part) => part.insert).join("");
    text.insert(plain.indexOf("grim") + 2, "NOT ");
    socket.send(updateFrame(Y.encodeStateAsUpdate(copy, before)));
    await settle();
    expect(bodyText(ownerClient.doc)).not.toContain("NOT");
  });
});
