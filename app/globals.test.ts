import fs from "node:fs";
import path from "node:path";
import postcss from "postcss";
import { describe, expect, it } from "vitest";

// The stylesheet does not use CSS nesting, so a rule inside a rule means a lost closing brace
// (a bad merge, say): the browser would then silently ignore everything after it.
describe("app/globals.css", () => {
  const css = fs.readFileSync(path.join(import.meta.dirname, "globals.css"), "utf8");

  it("parses, and has no rule nested in another rule", () => {
    const root = postcss.parse(css, { from: "globals.css" });
    const nested: string[] = [];
    root.walkRules((rule) => {
      if (rule.parent?.type === "rule")
        nested.push(
          `${rule.selector} (line ${rule.source?.start?.line}) inside ${(rule.parent as postcss.Rule).selector}`,
        );
    });
    expect(nested).toEqual([]);
    expect(root.nodes.length).toBeGreaterThan(50);
  });
});
