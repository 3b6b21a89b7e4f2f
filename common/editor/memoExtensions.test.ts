import { describe, expect, it } from "vitest";
import { validAttributeValue } from "../../server/collab/memoAttributeValues";
import { memoSchema } from "./memoDocument";
import { isAllowedLink } from "./memoExtensions";

// What a browser reads from pasted HTML must be what the server accepts: an update it refuses is
// refused again on every reconnect.

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
    [{ start: "3", type: "A" }, { start: 3, type: "A" }],
    [{ start: "x" }, { start: 1, type: null }],
    [{ start: "-3", type: "disc" }, { start: -3, type: null }],
    [{ start: "99999999999999999999" }, { start: 1, type: null }],
  ])("read %j as %j, which the server accepts", (html, expected) => {
    const attrs = orderedListAttrs(html);
    expect(attrs).toEqual(expected);
    expect(validAttributeValue("orderedList", "start", attrs.start)).toBe(true);
    expect(validAttributeValue("orderedList", "type", attrs.type)).toBe(true);
  });
});

describe("link protocols, read as a browser reads them", () => {
  it.each(["https://example.org", "http://example.org/a?b", "mailto:desk@example.org", "example.org/path", "/relative", "#section"])("allow %s", (url) => {
    expect(isAllowedLink(url)).toBe(true);
  });
  it.each(["javascript:alert(1)", "java\tscript:alert(1)", "java\nscript:alert(1)", " \u0001javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,<script>", "vbscript:x"])("refuse %j", (url) => {
    expect(isAllowedLink(url)).toBe(false);
  });
});

describe("text direction", () => {
  it("renders paragraphs and headings with dir=\"auto\", without storing a direction in the memo", () => {
    const schema = memoSchema();
    const paragraph = schema.nodes.paragraph.create(null, schema.text("مرحبا"));
    const heading = schema.nodes.heading.create({ level: 2 }, schema.text("Outlook"));
    expect(schema.nodes.paragraph.spec.toDOM!(paragraph)).toEqual(["p", { dir: "auto" }, 0]);
    expect(schema.nodes.heading.spec.toDOM!(heading)).toEqual(["h2", { dir: "auto" }, 0]);
    expect(paragraph.toJSON()).toEqual({ type: "paragraph", content: [{ type: "text", text: "مرحبا" }] });
  });
});
