import { describe, expect, it } from "vitest";
import { memoSchema } from "./memoDocument";
import { isAllowedLink } from "./memoExtensions";

describe("link protocols, read as a browser reads them", () => {
  it.each([
    "https://example.org",
    "http://example.org/a?b",
    "mailto:desk@example.org",
    "example.org/path",
    "/relative",
    "#section",
  ])("allow %s", (url) => {
    expect(isAllowedLink(url)).toBe(true);
  });
  it.each([
    "javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    " \u0001javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "data:text/html,<script>",
    "vbscript:x",
  ])("refuse %j", (url) => {
    expect(isAllowedLink(url)).toBe(false);
  });
});

describe("text direction", () => {
  it('renders paragraphs and headings with dir="auto", without storing a direction in the memo', () => {
    const schema = memoSchema();
    const paragraph = schema.nodes.paragraph.create(null, schema.text("مرحبا"));
    const heading = schema.nodes.heading.create({ level: 2 }, schema.text("Outlook"));
    expect(schema.nodes.paragraph.spec.toDOM!(paragraph)).toEqual(["p", { dir: "auto" }, 0]);
    expect(schema.nodes.heading.spec.toDOM!(heading)).toEqual(["h2", { dir: "auto" }, 0]);
    expect(paragraph.toJSON()).toEqual({ type: "paragraph", content: [{ type: "text", text: "مرحبا" }] });
  });
});
