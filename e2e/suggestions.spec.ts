import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { readDocx } from "../server/testing/docxContent";
import { createAnalyst, createMemoVia, editorOf, expect, selectText, signedInPage, test } from "./fixtures";

// Suggesting mode in real browsers: a commenter's edits are suggestions, shown to everyone live in
// the suggester's colour, and the owner accepts or rejects them from the cards beside the memo.

/** The memo's text as the editor holds it (without colleagues' caret labels). */
const memoText = (page: Page) =>
  page.evaluate(() => {
    const root = document.querySelector('[data-testid="memo-editor"]') as
      (HTMLElement & { editor?: { state: { doc: { textContent: string } } } }) | null;
    return root?.editor?.state.doc.textContent ?? "";
  });

/** Whether the editor's own selection is a caret. */
const selectionIsEmpty = (page: Page) =>
  page.evaluate(() => {
    const root = document.querySelector('[data-testid="memo-editor"]') as
      (HTMLElement & { editor?: { state: { selection: { empty: boolean } } } }) | null;
    return root?.editor?.state.selection.empty ?? false;
  });

/** The memo's paragraphs as the editor holds them. */
const memoParagraphs = (page: Page) =>
  page.evaluate(() => {
    const root = document.querySelector('[data-testid="memo-editor"]') as
      | (HTMLElement & {
          editor?: { state: { doc: { forEach(visit: (node: { textContent: string }) => void): void } } };
        })
      | null;
    const paragraphs: string[] = [];
    root?.editor?.state.doc.forEach((node) => paragraphs.push(node.textContent));
    return paragraphs;
  });

test("a commenter suggests a replacement live; the owner accepts it, then rejects one of their own", async ({
  browser,
  request,
}) => {
  const [ownerAccount, reviewerAccount] = await Promise.all([
    createAnalyst(request, "Sofia Owner"),
    createAnalyst(request, "Rafael Reviewer"),
  ]);
  const owner = await signedInPage(browser, ownerAccount);
  const memoId = await createMemoVia(owner, {
    from: "source",
    title: "Outlook",
    source: "Outlook\nThe outlook for the talks is sobering.",
  });
  const shared = await owner.request.post(`/api/memos/${memoId}/sharing`, {
    data: { email: reviewerAccount.email, role: "commenter" },
  });
  expect(shared.status()).toBe(201);
  await owner.goto(`/memos/${memoId}`);
  const reviewer = await signedInPage(browser, reviewerAccount);
  await reviewer.goto(`/memos/${memoId}`);
  await expect(reviewer.getByTestId("read-only-banner")).toContainText("becomes a suggestion");
  // A commenter cannot leave Suggesting.
  await expect(reviewer.getByRole("button", { name: "Editing" })).toBeDisabled();
  await expect(reviewer.getByRole("button", { name: "Suggesting" })).toHaveAttribute("aria-pressed", "true");

  await selectText(reviewer, "sobering");
  await reviewer.keyboard.type("stark");
  await expect(editorOf(reviewer).locator("del.suggestion")).toHaveText("sobering");
  await expect(editorOf(reviewer).locator("ins.suggestion")).toHaveText("stark");

  // The owner sees it live, struck through and underlined, with a card that says what it does.
  await expect(editorOf(owner).locator("del.suggestion")).toHaveText("sobering");
  await expect(editorOf(owner).locator("ins.suggestion")).toHaveText("stark");
  const card = owner.getByTestId("suggestion-card");
  await expect(card).toHaveCount(1);
  await expect(card).toContainText("Replace “sobering” with “stark”");
  await expect(card).toContainText("Rafael Reviewer");
  await owner.screenshot({ path: test.info().outputPath("suggestion-review.png") });
  // A review copy carries it to Word as a tracked change in the reviewer's name.
  await owner.getByRole("button", { name: "Export", exact: true }).click();
  const downloading = owner.waitForEvent("download");
  await owner.getByRole("menuitem", { name: "Word with tracked changes" }).click();
  const download = await downloading;
  const docx = await readDocx(readFileSync((await download.path())!));
  expect(docx.document).toMatch(/<w:ins w:id="\d+" w:author="Rafael Reviewer" w:date="[^"]+">[\s\S]*?stark/u);
  expect(docx.document).toMatch(/<w:del w:id="\d+" w:author="Rafael Reviewer" w:date="[^"]+">[\s\S]*?sobering/u);
  // A reply to a suggestion is a comment thread on its passage.
  await reviewer.getByTestId("suggestion-card").getByRole("button", { name: "Reply" }).click();
  await expect(reviewer.getByTestId("new-comment")).toContainText("stark");
  await reviewer.getByTestId("new-comment").getByRole("button", { name: "Cancel" }).click();
  await card.getByRole("button", { name: "Accept" }).click();
  await expect.poll(() => memoText(owner)).toBe("The outlook for the talks is stark.");
  await expect(editorOf(owner).locator(".suggestion")).toHaveCount(0);
  await expect.poll(() => memoText(reviewer)).toBe("The outlook for the talks is stark.");
  await expect(editorOf(reviewer).locator(".suggestion")).toHaveCount(0);

  // A new paragraph suggested in mid-sentence: shown as a pilcrow, made when the owner accepts.
  await selectText(reviewer, "is stark");
  await reviewer.keyboard.press("ArrowLeft");
  // The browser moves the caret; the editor takes it on the next "selectionchange". Enter before
  // that would replace the selection still in the editor's state.
  await expect.poll(() => selectionIsEmpty(reviewer)).toBe(true);
  await reviewer.keyboard.press("Enter");
  await expect(editorOf(owner).locator("ins.suggestion[data-split]")).toHaveCount(1);
  await expect(card).toContainText("Start a new paragraph");
  await owner.screenshot({ path: test.info().outputPath("suggested-break.png") });
  await card.getByRole("button", { name: "Accept" }).click();
  await expect.poll(() => memoParagraphs(owner)).toEqual(["The outlook for the talks ", "is stark."]);
  await expect.poll(() => memoParagraphs(reviewer)).toEqual(["The outlook for the talks ", "is stark."]);

  // The owner switches to Suggesting with Google Docs' shortcut; their edit waits for a decision.
  await editorOf(owner).click();
  await owner.keyboard.press("Control+End");
  await owner.keyboard.press("Control+Alt+Shift+X");
  await expect(owner.getByRole("button", { name: "Suggesting" })).toHaveAttribute("aria-pressed", "true");
  await owner.keyboard.type(" Talks resume Monday.");
  await expect(editorOf(reviewer).locator("ins.suggestion")).toHaveText(" Talks resume Monday.");
  await owner.getByRole("button", { name: "Reject all" }).click();
  await expect(editorOf(owner).locator(".suggestion")).toHaveCount(0);
  await expect.poll(() => memoText(reviewer)).toBe("The outlook for the talks is stark.");
  // The choice is remembered for this memo.
  await owner.reload();
  await expect(owner.getByRole("button", { name: "Suggesting" })).toHaveAttribute("aria-pressed", "true");
});
