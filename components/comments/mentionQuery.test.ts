import { describe, expect, it } from "vitest";
import { insertMention, mentionCandidates, mentionedIn, mentionQueryAt } from "./mentionQuery";

const people = [
  { id: "1", name: "Amina Qureshi" },
  { id: "2", name: "Daniel Okafor" },
  { id: "3", name: "Dana Quist" },
];

describe("mentions while typing", () => {
  it("finds the mention before the caret, and nothing inside an email address", () => {
    expect(mentionQueryAt("Thanks @Dan", 11)).toEqual({ start: 7, query: "Dan" });
    expect(mentionQueryAt("@", 1)).toEqual({ start: 0, query: "" });
    expect(mentionQueryAt("cc @Amina Q", 11)).toEqual({ start: 3, query: "Amina Q" });
    expect(mentionQueryAt("write to desk@example.org", 25)).toBeNull();
    expect(mentionQueryAt("@Amina Qureshi said so", 22)).toBeNull();
  });

  it("offers people by the start of their name or of any word of it", () => {
    expect(mentionCandidates(people, "da").map((p) => p.name)).toEqual(["Daniel Okafor", "Dana Quist"]);
    expect(mentionCandidates(people, "qu").map((p) => p.name)).toEqual(["Amina Qureshi", "Dana Quist"]);
    expect(mentionCandidates(people, "")).toHaveLength(3);
    expect(mentionCandidates(people, "Dana Quist")).toEqual([]);
  });

  it("replaces the typed mention with the full name and puts the caret after it", () => {
    const text = "Thanks @Dan for this";
    const result = insertMention(text, { start: 7, query: "Dan" }, 11, people[1]);
    expect(result).toEqual({ text: "Thanks @Daniel Okafor for this", caret: 22 });
  });

  it("knows who a comment mentions from the names in it", () => {
    expect(mentionedIn("@Dana Quist and @Amina Qureshi, not Daniel", people)).toEqual(["1", "3"]);
  });
});
