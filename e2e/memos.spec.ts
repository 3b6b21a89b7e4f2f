import { createAnalyst, createMemoVia, editorOf, expect, signedInPage, signIn, test } from "./fixtures";

test("creates a memo by pasting a source text, with headings and lists", async ({ page, analyst }) => {
  await signIn(page, analyst);
  await page.getByRole("button", { name: "Paste a source text" }).click();
  const dialog = page.getByRole("dialog", { name: "New memo" });
  await dialog
    .getByLabel("Source text")
    .fill("Talking points\nKey messages\n- Welcome the ceasefire.\n- Offer support.\n\nThe minister arrives at noon.");
  await dialog.getByRole("button", { name: "Create memo" }).click();
  await expect(page).toHaveURL(/\/memos\/[0-9a-f-]{36}$/);
  // The first line is the title, and not also the first heading.
  await expect(page.getByLabel("Memo title")).toHaveValue("Talking points");
  await expect(editorOf(page).locator("h2")).toHaveText("Key messages");
  await expect(editorOf(page).locator("ul > li")).toHaveText(["Welcome the ceasefire.", "Offer support."]);
});

test("renames and deletes a memo from the list, with confirmation", async ({ page, analyst }) => {
  await signIn(page, analyst);
  await page.getByRole("button", { name: "Start a blank memo" }).click();
  const dialog = page.getByRole("dialog", { name: "New memo" });
  await dialog.getByLabel(/Title/).fill("First draft");
  await dialog.getByRole("button", { name: "Create memo" }).click();
  await expect(page.getByLabel("Memo title")).toHaveValue("First draft");
  await page.getByRole("link", { name: "My memos" }).click();

  await page.getByRole("button", { name: "Rename First draft" }).click();
  await page.getByLabel("New title").fill("Brief for the ambassador");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("link", { name: "Brief for the ambassador" })).toBeVisible();
  await expect(page.getByText(/Edited just now by E2E Analyst/)).toBeVisible();

  await page.getByRole("button", { name: "Delete Brief for the ambassador" }).click();
  const confirm = page.getByRole("dialog", { name: /Delete “Brief for the ambassador”\?/ });
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("link", { name: "Brief for the ambassador" })).toBeVisible();
  await page.getByRole("button", { name: "Delete Brief for the ambassador" }).click();
  await confirm.getByRole("button", { name: "Delete memo" }).click();
  await expect(page.getByRole("heading", { name: "No memos yet" })).toBeVisible();
});

test("an upload that is not text gets a clear error and creates nothing", async ({ page, analyst }) => {
  await signIn(page, analyst);
  await page.getByRole("button", { name: "Start a blank memo" }).click();
  const dialog = page.getByRole("dialog", { name: "New memo" });
  await dialog.getByRole("tab", { name: "Upload a text file" }).click();
  await dialog.getByLabel("Text file").setInputFiles({
    name: "photo.txt",
    mimeType: "text/plain",
    buffer: Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    ]),
  });
  await dialog.getByRole("button", { name: "Create memo" }).click();
  await expect(dialog.getByRole("alert")).toContainText("The source is not text");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("heading", { name: "No memos yet" })).toBeVisible();
});

test("an empty file or an empty paste says so", async ({ page, analyst }) => {
  await signIn(page, analyst);
  await page.getByRole("button", { name: "Start a blank memo" }).click();
  const dialog = page.getByRole("dialog", { name: "New memo" });
  await dialog.getByRole("tab", { name: "Upload a text file" }).click();
  await dialog
    .getByLabel("Text file")
    .setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.alloc(0) });
  await dialog.getByRole("button", { name: "Create memo" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("“notes.txt” is empty: choose a file that holds the source text.");
  await dialog
    .getByLabel("Text file")
    .setInputFiles({ name: "blank.txt", mimeType: "text/plain", buffer: Buffer.from("\n  \n") });
  await dialog.getByRole("button", { name: "Create memo" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("The file is empty: choose a file that holds the source text.");
  await dialog.getByRole("tab", { name: "Paste a source text" }).click();
  await dialog.getByLabel("Source text").fill("   ");
  await dialog.getByRole("button", { name: "Create memo" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("There is no source text: paste the text to turn into a memo.");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("heading", { name: "No memos yet" })).toBeVisible();
});

test("the sample memo can be created from the empty state", async ({ page, analyst }) => {
  await signIn(page, analyst);
  await page.getByRole("button", { name: "Try the sample memo" }).click();
  await expect(page.getByLabel("Memo title")).toHaveValue("Pakistan–U.S. Relations in 2025: A Strategic Realignment");
  await expect(editorOf(page).locator("h2")).toHaveCount(4);
});

test("the memos list filters by whose, marking, last edited and person, and says when nothing matches", async ({
  page,
  browser,
}) => {
  const analyst = await createAnalyst(page.request, "Filtering Analyst");
  await signIn(page, analyst);
  await createMemoVia(page, { from: "blank", title: "Alpha memo" });
  const bravo = await createMemoVia(page, { from: "blank", title: "Bravo memo" });
  const marked = await page.request.patch(`/api/memos/${bravo}/metadata`, { data: { marking: "CONFIDENTIAL" } });
  expect(marked.status()).toBe(200);
  const colleagueAccount = await createAnalyst(page.request, "Sharing Colleague");
  const colleague = await signedInPage(browser, colleagueAccount);
  const charlie = await createMemoVia(colleague, { from: "blank", title: "Charlie memo" });
  const shared = await colleague.request.post(`/api/memos/${charlie}/sharing`, {
    data: { email: analyst.email, role: "viewer" },
  });
  expect(shared.status()).toBe(201);

  await page.goto("/memos");
  const list = page.getByRole("list", { name: "Memos" });
  const titles = () => list.getByRole("link").allTextContents();
  await expect(list.getByRole("listitem")).toHaveCount(3);
  const filters = page.getByRole("group", { name: "Filter memos" });
  await filters.getByRole("button", { name: "Mine" }).click();
  await expect(list.getByRole("listitem")).toHaveCount(2);
  await filters.getByRole("button", { name: "Shared with me" }).click();
  await expect.poll(titles).toEqual(["Charlie memo"]);
  await filters.getByRole("button", { name: "All" }).click();
  await filters.getByLabel("Marking").selectOption("CONFIDENTIAL");
  await expect.poll(titles).toEqual(["Bravo memo"]);
  await page.screenshot({ path: test.info().outputPath("memo-filters.png") });
  await filters.getByLabel("Marking").selectOption("");
  await filters.getByLabel("Person").selectOption("Sharing Colleague");
  await expect.poll(titles).toEqual(["Charlie memo"]);
  await filters.getByLabel("Last edited").selectOption("day");
  await filters.getByRole("button", { name: "Mine" }).click();
  await expect(page.getByRole("heading", { name: "No memo matches these filters" })).toBeVisible();
  await page.getByRole("button", { name: "Clear filters" }).first().click();
  await expect(list.getByRole("listitem")).toHaveCount(3);
  await colleague.context().close();
});
