import { expect, test, type Page } from "@playwright/test";
import { createAnalyst, createMemoVia, editorOf, signIn, typeAtEnd } from "./fixtures";

// Search (issue 22): Ctrl+K from any page, results as one types with the words marked, Enter
// opens the memo at the passage found; an edit is found seconds later; a colleague without a
// role never sees the memo; on a phone the dialog fills the screen.

const longSource = (word: string) =>
  [
    "Quarterly outlook",
    "",
    ...Array.from({ length: 40 }, (_, i) => `Routine paragraph number ${i} about budgets and staffing.`),
    "",
    "Water security",
    "",
    `The ${word} reservoir agreement expires in March; renewal talks have stalled.`,
  ].join("\n");

/** Ctrl+K once the page can hear it (a key pressed before hydration reaches no listener). */
async function pressSearchShortcut(page: Page): Promise<void> {
  await expect(page.getByRole("button", { name: "Search" })).toHaveAttribute("aria-keyshortcuts", "Control+K Meta+K");
  await page.keyboard.press("Control+K");
}

test("Ctrl+K finds a passage as one types and opens the memo scrolled to it; a new edit is found too", async ({
  page,
  browser,
}) => {
  const analyst = await createAnalyst(page.request, "Searching Analyst");
  await signIn(page, analyst);
  const word = `Tarbela${Date.now().toString(36)}`;
  const memoId = await createMemoVia(page, { from: "source", source: longSource(word) });

  await page.goto("/memos");
  await pressSearchShortcut(page);
  const box = page.getByRole("combobox", { name: "Search memos" });
  await expect(box).toBeFocused();
  // The start of the word is enough: results come as one types.
  await box.pressSequentially(word.slice(0, 9).toLowerCase());
  const results = page.getByRole("listbox", { name: "Memos found" });
  const hit = results.getByRole("option").first();
  await expect(hit).toContainText("Quarterly outlook");
  await expect(hit).toContainText("In “Water security”");
  await expect(hit.locator("mark").first()).toHaveText(new RegExp(`^${word}`, "i"));
  await expect(hit).toHaveAttribute("aria-selected", "true");
  await page.screenshot({ path: test.info().outputPath("search-desktop.png") });

  await box.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/memos/${memoId}\\?passage=\\d+$`));
  const found = editorOf(page).getByText(/reservoir agreement/);
  await expect(found).toBeInViewport();
  // The caret is at the start of the section found, so a keyboard user reads on from there.
  await expect
    .poll(() => page.evaluate(() => window.getSelection()?.anchorNode?.textContent ?? ""))
    .toBe("Water security");

  // Typed words are searchable seconds later (stored, then indexed by a document worker).
  const fresh = `quokka${Date.now().toString(36)}`;
  await typeAtEnd(page, ` Also ${fresh}.`);
  await expect(page.getByText("Saved", { exact: true })).toBeVisible({ timeout: 10_000 });
  await expect
    .poll(
      async () => {
        const answer = await page.request.get(`/api/search?q=${fresh}`);
        return ((await answer.json()) as { hits: { memoId: string }[] }).hits.map((h) => h.memoId);
      },
      { timeout: 10_000 },
    )
    .toEqual([memoId]);

  // Someone without a role in the memo finds nothing.
  const stranger = await createAnalyst(page.request, "Stranger");
  const context = await browser.newContext();
  const other = await context.newPage();
  await signIn(other, stranger);
  const answer = await other.request.get(`/api/search?q=${word}`);
  expect(answer.status()).toBe(200);
  expect(((await answer.json()) as { hits: unknown[] }).hits).toEqual([]);
  await pressSearchShortcut(other);
  await other.getByRole("combobox", { name: "Search memos" }).fill(word);
  await expect(other.getByRole("status").filter({ hasText: "No memo you can open matches" })).toBeVisible();
  await context.close();
});

test("search answers bad queries with a clear 400, and anonymous callers 401", async ({ page, playwright }) => {
  const analyst = await createAnalyst(page.request, "Careful Searcher");
  await signIn(page, analyst);
  const tooLong = await page.request.get(`/api/search?q=${"x".repeat(201)}`);
  expect(tooLong.status()).toBe(400);
  expect(JSON.stringify(await tooLong.json())).toContain("at most 200");
  expect((await page.request.get("/api/search?q=a&limit=-1")).status()).toBe(400);
  expect((await page.request.get("/api/search?q=a&offset=99999")).status()).toBe(400);
  expect((await page.request.get(`/api/search?q=${encodeURIComponent("a & !b ':* \\")}`)).status()).toBe(200);
  const anonymous = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  expect((await anonymous.get("/api/search?q=memo")).status()).toBe(401);
  await anonymous.dispose();
});

test("on a phone the search dialog fills the screen and Ctrl+K in the memo text still makes a link", async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const analyst = await createAnalyst(page.request, "Phone Searcher");
  await signIn(page, analyst);
  const memoId = await createMemoVia(page, {
    from: "source",
    source: "Phone memo\n\nThe delegation arrives Monday.",
  });
  await page.goto(`/memos/${memoId}`);
  await editorOf(page).click();
  await page.keyboard.press("Control+K");
  // In the memo text, Ctrl+K is the link shortcut, as in Google Docs and Word: the link field
  // opens, and search does not.
  await expect(page.locator("#link-href")).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Search memos" })).toHaveCount(0);
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: /Search/ }).click();
  const box = page.getByRole("combobox", { name: "Search memos" });
  await box.fill("delegation");
  await expect(page.getByRole("option").first()).toContainText("Phone memo");
  const dialog = (await page.getByRole("dialog", { name: "Search memos" }).boundingBox())!;
  expect(dialog.x).toBeGreaterThanOrEqual(0);
  expect(dialog.x + dialog.width).toBeLessThanOrEqual(390);
  expect(dialog.width).toBeGreaterThan(340);
  await page.screenshot({ path: test.info().outputPath("search-phone.png") });
  await context.close();
});
