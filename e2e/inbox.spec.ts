import { createAnalyst, createMemoVia, editorOf, expect, selectText, signIn, signedInPage, test } from "./fixtures";

// The inbox (issue 22): what needs someone reaches their header live, without a reload, and the
// inbox page leads to the passage.

test("a share and a mention reach a colleague's inbox live; opening one leads to its passage", async ({
  browser,
  request,
}) => {
  const [ownerAccount, reviewerAccount] = await Promise.all([
    createAnalyst(request, "Amira Owner"),
    createAnalyst(request, "Carl Reviewer"),
  ]);
  const owner = await signedInPage(browser, ownerAccount);
  const reviewer = await signedInPage(browser, reviewerAccount);
  await reviewer.goto("/memos");
  const inboxLink = reviewer.getByRole("link", { name: /^Inbox/ });
  await expect(inboxLink).toHaveAccessibleName("Inbox");

  const memoId = await createMemoVia(owner, {
    from: "source",
    title: "Cable draft",
    source: "Cable draft\nThe minister will attend the summit in Geneva next week.",
  });
  const share = await owner.request.post(`/api/memos/${memoId}/sharing`, {
    data: { email: reviewerAccount.email, role: "commenter" },
  });
  expect(share.status()).toBe(201);
  // No reload: the header hears of it over the inbox's event stream.
  await expect(inboxLink).toHaveAccessibleName("Inbox, 1 unread", { timeout: 3_000 });

  // The owner mentions the reviewer in a comment on a passage.
  await owner.goto(`/memos/${memoId}`);
  await expect(editorOf(owner)).toContainText("the summit in Geneva");
  await selectText(owner, "the summit in Geneva");
  await owner.keyboard.press("Control+Alt+KeyM");
  const sidebar = owner.getByTestId("comments-sidebar");
  const field = sidebar.getByTestId("new-comment").getByLabel("Comment", { exact: true });
  await field.pressSequentially("Can @Car");
  await sidebar.getByRole("option", { name: "Carl Reviewer" }).click();
  await field.pressSequentially("confirm the date?");
  await sidebar.getByRole("button", { name: "Comment", exact: true }).click();
  await expect(inboxLink).toHaveAccessibleName("Inbox, 2 unread", { timeout: 3_000 });

  await inboxLink.click();
  await expect(reviewer).toHaveURL(/\/inbox$/);
  const items = reviewer.getByRole("list", { name: "Inbox" }).getByRole("listitem");
  await expect(items).toHaveCount(2);
  await expect(items.nth(0)).toContainText("Amira Owner mentioned you in Cable draft");
  await expect(items.nth(0)).toContainText("the summit in Geneva");
  await expect(items.nth(0)).toContainText("Can @Carl Reviewer confirm the date?");
  await expect(items.nth(1)).toContainText("Amira Owner shared Cable draft with you as a commenter");
  await expect(reviewer.getByText("2 unread")).toBeVisible();
  await reviewer.screenshot({ path: "e2e/artifacts/inbox.png", fullPage: true });

  // The mention opens the memo on its thread, and is read from then on.
  await items.nth(0).getByRole("link").click();
  await expect(reviewer).toHaveURL(new RegExp(`/memos/${memoId}\\?comment=`));
  await expect(reviewer.getByTestId("comment-thread").filter({ hasText: "confirm the date" })).toHaveAttribute(
    "aria-current",
    "true",
  );
  await expect(reviewer.getByRole("link", { name: /^Inbox/ })).toHaveAccessibleName("Inbox, 1 unread");

  await reviewer.goto("/inbox");
  await reviewer.getByRole("button", { name: "Mark all as read" }).click();
  await expect(reviewer.getByText("Nothing unread.")).toBeVisible();
  await expect(reviewer.getByRole("link", { name: /^Inbox/ })).toHaveAccessibleName("Inbox");

  // On a phone the page fits the screen.
  await reviewer.setViewportSize({ width: 390, height: 844 });
  expect(await reviewer.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await reviewer.screenshot({ path: "e2e/artifacts/inbox-phone.png", fullPage: true });
});

test("a new analyst's inbox says what will appear there", async ({ browser, request }) => {
  const page = await signedInPage(browser, await createAnalyst(request, "New Analyst"));
  await page.goto("/inbox");
  await expect(page.getByRole("heading", { name: "Nothing needs you yet" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Mark all as read" })).toBeDisabled();
});

test("three tabs of one browser share one stream, and each header hears of a share", async ({ browser, request }) => {
  const [ownerAccount, readerAccount] = await Promise.all([
    createAnalyst(request, "Tab Owner"),
    createAnalyst(request, "Tab Reader"),
  ]);
  const owner = await signedInPage(browser, ownerAccount);
  // Streams are counted from the start, sign-in included: open = begun − ended (navigations end one).
  const context = await browser.newContext();
  let begun = 0;
  let ended = 0;
  const isStream = (url: string) => new URL(url).pathname === "/api/inbox/stream";
  context.on("request", (req) => void (isStream(req.url()) && begun++));
  context.on("requestfinished", (req) => void (isStream(req.url()) && ended++));
  context.on("requestfailed", (req) => void (isStream(req.url()) && ended++));
  const first = await context.newPage();
  await signIn(first, readerAccount);
  const tabs = [first, await context.newPage(), await context.newPage()];
  for (const tab of tabs.slice(1)) await tab.goto("/memos");
  for (const tab of tabs) await expect(tab.getByRole("link", { name: /^Inbox/ })).toHaveAccessibleName("Inbox");
  // Each tab would otherwise hold one of the six connections a browser opens to a server.
  await expect.poll(() => begun - ended).toBe(1);
  const begunBefore = begun;

  const memoId = await createMemoVia(owner, { from: "blank", title: "Shared with three tabs" });
  const share = await owner.request.post(`/api/memos/${memoId}/sharing`, {
    data: { email: readerAccount.email, role: "viewer" },
  });
  expect(share.status()).toBe(201);
  for (const tab of tabs) {
    await expect(tab.getByRole("link", { name: /^Inbox/ })).toHaveAccessibleName("Inbox, 1 unread", {
      timeout: 3_000,
    });
  }
  expect(begun).toBe(begunBefore);
  expect(begun - ended).toBe(1);

  // The first tab closes: if it held the stream, another tab takes it over; either way they hear.
  await tabs[0].close();
  const second = await createMemoVia(owner, { from: "blank", title: "After the first tab closed" });
  await owner.request.post(`/api/memos/${second}/sharing`, { data: { email: readerAccount.email, role: "viewer" } });
  for (const tab of tabs.slice(1)) {
    await expect(tab.getByRole("link", { name: /^Inbox/ })).toHaveAccessibleName("Inbox, 2 unread", {
      timeout: 3_000,
    });
  }
  // At most one stream more: the one the tab that took over opened (a closed page's end is not reported).
  expect(begun - begunBefore).toBeLessThanOrEqual(1);
  await context.close();
});
