import { describe, expect, it } from "vitest";
import type { AnchorState } from "@/common/comments/passageAnchor";
import type { Thread } from "./commentsApi";
import { orderThreads } from "./threadOrder";

const me = { id: "me", name: "Me" };
const other = { id: "other", name: "Other" };

function thread(
  id: string,
  createdAt: string,
  options: { resolved?: boolean; by?: typeof me; mentions?: (typeof me)[] } = {},
): Thread {
  const author = options.by ?? other;
  return {
    id,
    anchor: { start: "", end: "" },
    quote: id,
    createdBy: author,
    createdAt,
    resolvedAt: options.resolved ? createdAt : null,
    resolvedBy: null,
    comments: [
      { id: `${id}-1`, author, body: "", createdAt, editedAt: null, deleted: false, mentions: options.mentions ?? [] },
    ],
  };
}

describe("orderThreads", () => {
  const threads = [
    thread("late-in-text", "2026-01-01T00:00:00Z"),
    thread("early-in-text", "2026-01-02T00:00:00Z", { by: me }),
    thread("removed", "2026-01-03T00:00:00Z", { mentions: [me] }),
    thread("resolved", "2026-01-04T00:00:00Z", { resolved: true }),
  ];
  const states = new Map<string, AnchorState>([
    ["late-in-text", { status: "anchored", from: 90, to: 95 }],
    ["early-in-text", { status: "anchored", from: 3, to: 9 }],
    ["removed", { status: "removed" }],
    ["resolved", { status: "anchored", from: 1, to: 2 }],
  ]);
  const ids = (list: Thread[]) => list.map((entry) => entry.id);

  it("lists open threads in document order, removed passages last", () => {
    expect(ids(orderThreads(threads, states, "open", "me"))).toEqual(["early-in-text", "late-in-text", "removed"]);
  });

  it("filters resolved threads and the user's own (started, written in or mentioned in)", () => {
    expect(ids(orderThreads(threads, states, "resolved", "me"))).toEqual(["resolved"]);
    expect(ids(orderThreads(threads, states, "mine", "me"))).toEqual(["early-in-text", "removed"]);
  });
});
