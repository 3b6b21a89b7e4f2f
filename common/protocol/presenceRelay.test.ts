import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { PresenceRelay } from "./presenceRelay";

describe("PresenceRelay", () => {
  const caret = (at: number) => ({
    user: { name: "Olga", color: "#123456" },
    cursor: { anchor: { item: { client: 1, clock: at } }, head: null },
  });

  it("relays a change at once and the same state again only after the renewal interval", () => {
    const relay = new PresenceRelay(10_000);
    expect(relay.relayKind(7, caret(1), 0)).toBe("change");
    expect(relay.relayKind(7, caret(1), 50)).toBe(null); // a new object, equal: not a change
    expect(relay.relayKind(7, caret(2), 60)).toBe("change");
    expect(relay.relayKind(7, caret(2), 9_000)).toBe(null);
    expect(relay.relayKind(7, caret(2), 10_060)).toBe("renewal");
    expect(relay.relayKind(7, caret(2), 10_100)).toBe(null);
    expect(relay.relayKind(7, caret(3), 10_200)).toBe("change");
  });

  it("finds a caret of Yjs relative positions equal to the same caret computed again", () => {
    const relay = new PresenceRelay(10_000);
    const doc = new Y.Doc();
    const text = doc.getText("t");
    text.insert(0, "hello");
    const at = (index: number) => ({
      anchor: Y.createRelativePositionFromTypeIndex(text, index),
      head: Y.createRelativePositionFromTypeIndex(text, index),
    });
    expect(relay.relayKind(7, { cursor: at(2) }, 0)).toBe("change");
    text.insert(5, " world"); // a colleague types after the caret
    expect(relay.relayKind(7, { cursor: at(2) }, 10)).toBe(null);
    expect(relay.relayKind(7, { cursor: at(3) }, 20)).toBe("change");
  });

  it("keeps clients apart, always relays a departure, and forgets who left", () => {
    const relay = new PresenceRelay(10_000);
    expect(relay.relayKind(7, caret(1), 0)).toBe("change");
    expect(relay.relayKind(8, caret(1), 0)).toBe("change");
    expect(relay.size).toBe(2);
    expect(relay.relayKind(7, null, 10)).toBe("change");
    expect(relay.relayKind(7, null, 11)).toBe("change");
    expect(relay.size).toBe(1);
    expect(relay.relayKind(7, caret(1), 12)).toBe("change"); // back: a change again
  });
});
