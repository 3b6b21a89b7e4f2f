import { createMemoVia, editorOf, expect, selectText, signIn, test } from "./fixtures";

// The memo page on a phone and a tablet: every action reachable, nothing wider than the screen,
// dialogs that fit, typing and commenting by touch. Before, at 390 px the header overflowed to
// about 730 px (Share, History, Export and Sign out off-screen) and the Share dialog's email field
// was about 20 px wide.

const SCREENS = [
  { name: "phone", width: 390, height: 844 },
  { name: "tablet", width: 768, height: 1024 },
] as const;

for (const screen of SCREENS) {
  test(`the memo page works on a ${screen.name} (${screen.width} × ${screen.height})`, async ({ browser, analyst }) => {
    const context = await browser.newContext({
      viewport: { width: screen.width, height: screen.height },
      hasTouch: true,
      isMobile: screen.name === "phone",
    });
    const page = await context.newPage();
    await signIn(page, analyst);
    const memoId = await createMemoVia(page, {
      from: "source",
      title: "Field report",
      source: "Field report\nThe delegation arrived on time.\nNext steps\nCall the embassy.",
    });
    await page.goto(`/memos/${memoId}`);
    await expect(page.getByTestId("connection-status")).toHaveText("Live");
    await page.screenshot({ path: `e2e/artifacts/narrow-${screen.name}-memo.png` });

    // Nothing is wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(screen.width);

    // Every action can be reached and used.
    const inView = async (name: string) => {
      const control = page.getByRole("button", { name, exact: true });
      await expect(control).toBeVisible();
      const box = (await control.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(screen.width);
    };
    for (const name of ["Share", "History", "Export", "Sign out"]) await inView(name);

    // Typing by touch.
    await editorOf(page).getByText("Call the embassy.").tap();
    await page.keyboard.press("End");
    await page.keyboard.type(" Typed on a small screen.");
    await expect(page.getByTestId("save-status")).toHaveText("Saved");

    // Commenting by touch: the toolbar's Comment button, then the composer.
    await selectText(page, "arrived on time");
    await page.getByRole("button", { name: "Comment", exact: true }).tap();
    const composer = page.getByTestId("new-comment");
    await expect(composer).toBeInViewport();
    await composer.getByLabel("Comment", { exact: true }).fill("Which flight?");
    await composer.getByRole("button", { name: "Comment", exact: true }).tap();
    await expect(page.getByTestId("comment-thread")).toContainText("Which flight?");

    // The Share dialog fits, with a usable email field.
    await page.getByRole("button", { name: "Share", exact: true }).tap();
    const share = page.getByRole("dialog");
    const email = share.getByRole("textbox").first();
    await expect(email).toBeVisible();
    expect((await email.boundingBox())!.width).toBeGreaterThanOrEqual(Math.min(240, screen.width - 80));
    const dialogBox = (await share.boundingBox())!;
    expect(dialogBox.x).toBeGreaterThanOrEqual(0);
    expect(dialogBox.x + dialogBox.width).toBeLessThanOrEqual(screen.width);
    await page.screenshot({ path: `e2e/artifacts/narrow-${screen.name}-share.png` });
    await share.getByRole("button", { name: "Done" }).tap();

    // History opens as a panel within the screen; Export's menu items are on screen.
    await page.getByRole("button", { name: "History", exact: true }).tap();
    const history = page.locator(".history");
    await expect(history).toBeInViewport();
    await page.screenshot({ path: `e2e/artifacts/narrow-${screen.name}-history.png` });
    await history.getByRole("button", { name: "Close history" }).tap();
    await expect(history).toBeHidden();
    await page.getByRole("button", { name: "Export", exact: true }).tap();
    const items = page.getByRole("menuitem");
    await expect(items).toHaveCount(6);
    for (const item of await items.all()) await expect(item).toBeInViewport({ ratio: 1 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(screen.width);
    await context.close();
  });
}
