import { expect, test } from "@playwright/test";
import { createAnalyst, createMemoVia, editorOf, signedInPage, signIn } from "./fixtures";

// Sessions that end (issue 22): a signed-out cookie is dead even when copied, and "Signed-in
// devices" ends another browser's session, whose open memo closes and whose next page asks it
// to sign in.

test("signing out ends the session: a copy of its cookie opens nothing", async ({ browser, page }) => {
  const analyst = await createAnalyst(page.request, "Cookie Keeper");
  await signIn(page, analyst);
  const copied = await page.context().cookies();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin$/);

  const thief = await browser.newContext();
  await thief.addCookies(copied);
  const stolen = await thief.newPage();
  expect((await stolen.request.get("/api/memos")).status()).toBe(401);
  await stolen.goto("/memos");
  await expect(stolen).toHaveURL(/\/signin/);
  await thief.close();
});

test("Signed-in devices ends the other browser's session and closes its open memo", async ({ browser, page }) => {
  const analyst = await createAnalyst(page.request, "Two Browsers");
  await signIn(page, analyst);
  const other = await signedInPage(browser, analyst);
  const memoId = await createMemoVia(other, { from: "blank", title: "Open elsewhere" });
  await other.goto(`/memos/${memoId}`);
  await expect(editorOf(other)).toBeVisible();

  await page.getByRole("link", { name: /Two Browsers/ }).click();
  await expect(page).toHaveURL(/\/account\/sessions$/);
  const devices = page.getByRole("list", { name: "Signed-in devices" });
  await expect(devices.getByRole("listitem")).toHaveCount(2);
  await expect(devices.getByText("This browser")).toHaveCount(1);
  await page.screenshot({ path: test.info().outputPath("signed-in-devices.png"), fullPage: true });

  await page.getByRole("button", { name: "Sign out everywhere else" }).click();
  await expect(devices.getByRole("listitem")).toHaveCount(1);
  await expect(page.getByText("You are signed in on this browser only.")).toBeVisible();

  // The other browser's memo is closed by the server and its next page asks it to sign in.
  await expect(other.getByText(/signed out/i).first()).toBeVisible({ timeout: 10_000 });
  await other.goto("/memos");
  await expect(other).toHaveURL(/\/signin/);
  // This browser is still signed in.
  await page.goto("/memos");
  await expect(page).toHaveURL(/\/memos$/);
  await other.context().close();
});
