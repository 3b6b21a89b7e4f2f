import { describe, expect, it } from "vitest";
import { memoSchema } from "../../common/editor/memoDocument";
import { validAttributeValue } from "./memoAttributeValues";

// What a browser reads from pasted HTML must be what the server accepts: an update it refuses is
// refused again on every reconnect. (Checked here, not beside memoExtensions.ts: common/ imports
// nothing from the server.)

/** The attributes the schema's parse rule for <ol> reads from an element with these attributes. */
function orderedListAttrs(attributes: Record<string, string>): Record<string, unknown> {
  const element = {
    getAttribute: (name: string) => attributes[name] ?? null,
    hasAttribute: (name: string) => name in attributes,
    querySelector: () => null,
  } as unknown as HTMLElement;
  const rule = memoSchema().nodes.orderedList.spec.parseDOM!.find((candidate) => candidate.tag === "ol")!;
  const attrs = (rule.getAttrs?.(element) ?? {}) as Record<string, unknown>;
  // Tiptap leaves out an attribute read as null: the default (null) applies.
  return { start: attrs.start, type: attrs.type ?? null };
}

describe("pasted numbered lists", () => {
  it.each([
    [
      { start: "3", type: "A" },
      { start: 3, type: "A" },
    ],
    [{ start: "x" }, { start: 1, type: null }],
    [
      { start: "-3", type: "disc" },
      { start: -3, type: null },
    ],
    [{ start: "99999999999999999999" }, { start: 1, type: null }],
  ])("read %j as %j, which the server accepts", (html, expected) => {
    const attrs = orderedListAttrs(html);
    expect(attrs).toEqual(expected);
    expect(validAttributeValue("orderedList", "start", attrs.start)).toBe(true);
    expect(validAttributeValue("orderedList", "type", attrs.type)).toBe(true);
  });
});
