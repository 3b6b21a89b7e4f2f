import { describe, expect, it } from "vitest";
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from "y-protocols/awareness";
import * as Y from "yjs";
import { participants, samePeople } from "./usePresence";

// The memo page re-renders when the list of people changes; awareness changes with every caret
// move, so the list must compare equal across those and differ for what it shows.

/** Sends a colleague's presence to our awareness, as the server relays it. */
const relay = (from: Awareness, to: Awareness) =>
  applyAwarenessUpdate(to, encodeAwarenessUpdate(from, [from.clientID]), "server");

describe("the people in a memo", () => {
  it("stay the same list when someone's caret moves, and change when their activity does", () => {
    const you = { id: "you", name: "You" };
    const mine = new Awareness(new Y.Doc());
    const theirs = new Awareness(new Y.Doc());
    mine.setLocalStateField("user", { name: "You", color: "#000" });
    const at = (clock: number) => ({ type: null, tname: null, item: { client: 1, clock }, assoc: 0 });
    theirs.setLocalState({
      user: { id: "colleague", name: "Colleague", color: "#1f6feb", role: "editor" },
      activity: "active",
      cursor: { anchor: at(1), head: at(1) },
    });
    relay(theirs, mine);
    const before = participants(mine, you, "owner");
    expect(before.map((person) => person.name)).toEqual(["You", "Colleague"]);

    theirs.setLocalStateField("cursor", { anchor: at(7), head: at(7) });
    relay(theirs, mine);
    expect(samePeople(before, participants(mine, you, "owner"))).toBe(true);

    theirs.setLocalStateField("activity", "idle");
    relay(theirs, mine);
    const idle = participants(mine, you, "owner");
    expect(samePeople(before, idle)).toBe(false);
    expect(idle[1].activity).toBe("idle");
    mine.destroy();
    theirs.destroy();
  });

  it("leaves out a state that is not in the shape the server relays", () => {
    const mine = new Awareness(new Y.Doc());
    const theirs = new Awareness(new Y.Doc());
    theirs.setLocalState({
      user: { id: "colleague", name: "Colleague", color: "red;background:url(x)", role: "editor" },
    });
    relay(theirs, mine);
    expect(participants(mine, { id: "you", name: "You" }, "owner").map((person) => person.name)).toEqual(["You"]);
    mine.destroy();
    theirs.destroy();
  });
});
