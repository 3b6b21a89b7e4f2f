import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { clientPresenceState, usableRemotePresence } from "./presenceState";

// The caret shapes that made y-tiptap's caret plugin throw in every other browser, and what a
// real client sends.

function realCaret() {
  const doc = new Y.Doc();
  const text = new Y.XmlText("hello");
  doc.getXmlFragment("default").insert(0, [new Y.XmlElement("paragraph")]);
  (doc.getXmlFragment("default").get(0) as Y.XmlElement).insert(0, [text]);
  const anchor = JSON.parse(JSON.stringify(Y.createRelativePositionFromTypeIndex(text, 2)));
  const head = JSON.parse(JSON.stringify(Y.createRelativePositionFromTypeIndex(doc.getXmlFragment("default"), 1)));
  return { anchor, head };
}

const HOSTILE_CURSORS: unknown[] = [
  { anchor: {}, head: {} },
  { anchor: "x", head: "y" },
  { anchor: 1, head: 1 },
  { anchor: { assoc: 0 }, head: { tname: "default" } },
  { anchor: { type: null, tname: null, item: null, assoc: 0 }, head: { tname: "default" } },
  { anchor: { item: { client: -1, clock: 0 } }, head: { tname: "default" } },
  { anchor: { item: { client: 1.5, clock: 0 } }, head: { tname: "default" } },
  { anchor: { item: { client: 1, clock: 0, extra: 1 } }, head: { tname: "default" } },
  { anchor: { tname: "default" } },
  { anchor: { tname: "default" }, head: { tname: "default" }, focus: true },
  { anchor: { tname: "x".repeat(100) }, head: { tname: "default" } },
];

describe("presence states", () => {
  it("accept what our client sends: a real caret, no caret, activity", () => {
    expect(
      clientPresenceState.safeParse({ user: { name: "A", color: "#123456" }, activity: "idle", cursor: realCaret() })
        .success,
    ).toBe(true);
    expect(clientPresenceState.safeParse({ cursor: null }).success).toBe(true);
    expect(clientPresenceState.safeParse({}).success).toBe(true);
  });

  it.each(HOSTILE_CURSORS.map((cursor) => [JSON.stringify(cursor), cursor]))("refuse the caret %s", (_name, cursor) => {
    expect(clientPresenceState.safeParse({ cursor }).success).toBe(false);
  });

  it("refuse fields we do not send and values we do not use", () => {
    expect(clientPresenceState.safeParse({ cursor: null, html: "<img>" }).success).toBe(false);
    expect(clientPresenceState.safeParse({ activity: "typing" }).success).toBe(false);
    expect(clientPresenceState.safeParse([]).success).toBe(false);
    expect(clientPresenceState.safeParse("state").success).toBe(false);
  });

  it("are used in the browser only with the server's identity in its shape", () => {
    const user = { id: "u1", name: "Olga", color: "#1f6feb", role: "editor" };
    expect(usableRemotePresence({ user, cursor: realCaret() })).toMatchObject({ user });
    expect(usableRemotePresence({ user, cursor: { anchor: {}, head: {} } })).toBeNull();
    expect(usableRemotePresence({ user: { ...user, color: "red" } })).toBeNull();
    expect(usableRemotePresence({ user: { ...user, role: "admin" } })).toBeNull();
    expect(usableRemotePresence({ cursor: null })).toBeNull();
    expect(usableRemotePresence(null)).toBeNull();
    // A newer server's extra field is left out, not passed on.
    expect(usableRemotePresence({ user, mood: "happy" })).toEqual({ user });
  });
});
