import { EditorState, TextSelection } from "@tiptap/pm/state";
import { describe, expect, it } from "vitest";
import { memoNodeFromJson, memoSchema, type JSONContent } from "../../common/editor/memoDocument";
import { suggestTransaction } from "../../common/suggestions/suggestingTransform";
import { withSuggestionsDecided } from "../../common/suggestions/suggestionDecisions";
import { acceptAllChanges, readDocx, rejectAllChanges, trackedParagraphTexts } from "../testing/docxContent";
import { sourceOf } from "../testing/exportSamples";
import { renderMemoDocx } from "./docx/renderMemoDocx";
import { exportBlocksOf, textOfRuns } from "./exportModel";
import { renderMemoMarkdown } from "./markdown/renderMemoMarkdown";
import { renderMemoPdf } from "./pdf/renderMemoPdf";

// A review copy shows pending suggestions as tracked changes; a clean copy prints them accepted.
// The Word file is read back and both of Word's outcomes rebuilt from its XML: accepting every
// change gives the memo with every suggestion accepted, rejecting every one gives it with every
// suggestion rejected, paragraph by paragraph.

const ALICE = "00000000-0000-4000-8000-00000000000a";
const BOB = "00000000-0000-4000-8000-00000000000b";
const PEOPLE = { [ALICE]: "Alice Analyst", [BOB]: "Bob Deputy" };

function suggested(): JSONContent {
  const doc = memoNodeFromJson({
    type: "doc",
    content: [
      { type: "paragraph", content: [{ type: "text", text: "The outlook is sobering." }] },
      { type: "paragraph", content: [{ type: "text", text: "Talks resume on Monday in Doha." }] },
    ],
  });
  let state = EditorState.create({ schema: memoSchema(), doc });
  const edit = (author: string, from: number, to: number, text: string) => {
    let count = 0;
    const who = {
      author,
      now: () => Date.UTC(2026, 11, 4, 9),
      newId: () => `${author.slice(-1)}review${String(count++).padStart(8, "0")}`,
    };
    state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, from, to)));
    const tr = text ? state.tr.insertText(text) : state.tr.deleteSelection();
    state = state.apply(suggestTransaction(state, tr, who)!);
  };
  edit(ALICE, 16, 24, "stark"); // "sobering" → "stark"
  // "on Monday " in the second paragraph.
  const second = state.doc.child(0).nodeSize;
  edit(BOB, second + 1 + 13, second + 1 + 23, "");
  return state.doc.toJSON() as JSONContent;
}

const paragraphsOf = trackedParagraphTexts;
const acceptAll = acceptAllChanges;
const rejectAll = rejectAllChanges;
const bodyTexts = (body: JSONContent) =>
  exportBlocksOf({ body }).map((block) => (block.kind === "paragraph" ? textOfRuns(block.runs) : ""));

describe("review copies", () => {
  it("writes Word tracked changes whose acceptance and rejection give the memo's two outcomes", async () => {
    const body = suggested();
    const docx = await readDocx(await renderMemoDocx(sourceOf(body, { copy: "review", people: PEOPLE })));
    const accepted = bodyTexts(body);
    const rejected = bodyTexts(
      withSuggestionsDecided(memoNodeFromJson(body), "reject", () => true).toJSON() as JSONContent,
    );
    expect(accepted).toEqual(["The outlook is stark.", "Talks resume in Doha."]);
    expect(rejected).toEqual(["The outlook is sobering.", "Talks resume on Monday in Doha."]);
    const texts = (xml: string) =>
      paragraphsOf(xml).filter((text) => accepted.includes(text) || rejected.includes(text));
    expect(texts(acceptAll(docx.document))).toEqual(accepted);
    expect(texts(rejectAll(docx.document))).toEqual(rejected);
    expect(docx.document).toMatch(/<w:ins w:id="\d+" w:author="Alice Analyst" w:date="2026-12-04T09:00:00.000Z">/u);
    expect(docx.document).toMatch(/<w:del w:id="\d+" w:author="Bob Deputy" w:date="2026-12-04T09:00:00.000Z">/u);
    const ids = [...docx.document.matchAll(/<w:(?:ins|del) w:id="(\d+)"/gu)].map(([, id]) => id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("prints a clean copy with every suggestion accepted, in every format", async () => {
    const body = suggested();
    const docx = await readDocx(await renderMemoDocx(sourceOf(body)));
    expect(docx.document).not.toMatch(/<w:(ins|del) /u);
    expect(paragraphsOf(docx.document)).toContain("The outlook is stark.");
    const markdown = renderMemoMarkdown(sourceOf(body));
    expect(markdown).toContain("The outlook is stark.");
    expect(markdown).not.toContain("sobering");
    expect(markdown).not.toContain("\u200b");
  });

  it("marks a review copy's suggestions in Markdown with CriticMarkup, and renders it as a PDF", async () => {
    const body = suggested();
    const markdown = renderMemoMarkdown(sourceOf(body, { copy: "review", people: PEOPLE }));
    expect(markdown).toContain("The outlook is {--sobering--}{++stark++}.");
    expect(markdown).toContain("Talks resume {--on Monday --}in Doha.");
    const pdf = await renderMemoPdf(sourceOf(body, { copy: "review", people: PEOPLE }));
    expect(Buffer.from(pdf).subarray(0, 5).toString()).toBe("%PDF-");
  });
});
