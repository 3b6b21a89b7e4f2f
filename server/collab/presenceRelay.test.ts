import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { PresenceRelay } from "./presenceRelay";

describe("PresenceRelay", () => {
  const caret = (at: number) => ({ user: { name: "Olga", color: "#123456" }, cursor: { anchor: { item: { client: 1, clock: at } }, head: null } });

  it("relays a change at once and the same state again only after the renewal interval", () => {
    const relay = new PresenceRelay(10_000);
    expect(relay.shouldRelay(7, caret(1), 0)).toBe(true);
    expect(relay.shouldRelay(7, caret(1), 50)).toBe(false); // a new object, equal: not a change
    expect(relay.shouldRelay(7, caret(2), 60)).toBe(true);
    expect(relay.shouldRelay(7, caret(2), 9_000)).toBe(false);
    expect(relay.shouldRelay(7, caret(2), 10_060)).toBe(true); // renewal
    expect(relay.shouldRelay(7, caret(2), 10_100)).toBe(false);
  });

  it("finds a caret of Yjs relative positions equal to the same caret computed again", () => {
    const relay = new PresenceRelay(10_000);
    const doc = new Y.Doc();
    const text = doc.getText("t");
    text.insert(0, "hello");
    const at = (index: number) => ({ anchor: Y.createRelativePositionFromTypeIndex(text, index), head: Y.createRelativePositionFromTypeIndex(text, index) });
    expect(relay.shouldRelay(7, { cursor: at(2) }, 0)).toBe(true);
    text.insert(5, " world"); // a colleague types after the caret
    expect(relay.shouldRelay(7, { cursor: at(2) }, 10)).toBe(false);
    expect(relay.shouldRelay(7, { cursor: at(3) }, 20)).toBe(true);
  });

  it("keeps clients apart, always relays a departure, and forgets who left", () => {
    const relay = new PresenceRelay(10_000);
    expect(relay.shouldRelay(7, caret(1), 0)).toBe(true);
    expect(relay.shouldRelay(8, caret(1), 0)).toBe(true);
    expect(relay.size).toBe(2);
    expect(relay.shouldRelay(7, null, 10)).toBe(true);
    expect(relay.shouldRelay(7, null, 11)).toBe(true);
    expect(relay.size).toBe(1);
    expect(relay.shouldRelay(7, caret(1), 12)).toBe(true); // back: a change again
  });
});
