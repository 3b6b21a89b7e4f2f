import type { APIRequestContext, Browser, Page } from "@playwright/test";
import {
  createAnalyst,
  createMemoVia,
  editorOf,
  expect,
  selectText,
  signedInPage,
  test,
  type Analyst,
} from "./fixtures";

// Comments on passages, in real browsers: live between two people without reloads, mentions that
// lead straight to the passage, removed passages and re-anchoring, and hostile comment text.

const sidebarOf = (page: Page) => page.getByTestId("comments-sidebar");
const threadsOf = (page: Page) => sidebarOf(page).getByTestId("comment-thread");

/** Starts a thread on `passage` with the keyboard shortcut and posts `body`. */
async function commentOn(page: Page, passage: string, body: string): Promise<void> {
  await selectText(page, passage);
  await expect(page.getByRole("button", { name: "Comment", exact: true })).toBeEnabled();
  await page.keyboard.press("Control+Alt+KeyM");
  const composer = sidebarOf(page).getByTestId("new-comment");
  await expect(composer).toContainText(passage);
  await composer.getByLabel("Comment", { exact: true }).fill(body);
  await composer.getByRole("button", { name: "Comment", exact: true }).click();
  await expect(composer).toHaveCount(0);
}

/** A new analyst's memo made from a short source (title, then one paragraph per line), opened, with one comment on `passage`. */
async function memoWithComment(
  browser: Browser,
  request: APIRequestContext,
  memo: { analyst: string; title: string; lines: string[]; passage: string; comment: string },
): Promise<{ page: Page; memoId: string }> {
  const page = await signedInPage(browser, await createAnalyst(request, memo.analyst));
  const memoId = await createMemoVia(page, {
    from: "source",
    title: memo.title,
    source: [memo.title, ...memo.lines].join("\n"),
  });
  await page.goto(`/memos/${memoId}`);
  await commentOn(page, memo.passage, memo.comment);
  return { page, memoId };
}

async function shareWith(owner: Page, memoId: string, analyst: Analyst, role: "editor" | "commenter" | "viewer") {
  const response = await owner.request.post(`/api/memos/${memoId}/sharing`, { data: { email: analyst.email, role } });
  expect(response.status()).toBe(201);
}

test("two analysts discuss a passage live: comment with a mention, reply, resolve, all without reloads", async ({
  browser,
  request,
}) => {
  const [ownerAccount, reviewerAccount] = await Promise.all([
    createAnalyst(request, "Amira Owner"),
    createAnalyst(request, "Carl Reviewer"),
  ]);
  const owner = await signedInPage(browser, ownerAccount);
  const memoId = await createMemoVia(owner, {
    from: "source",
    title: "Cable draft",
    source: "Cable draft\nThe minister will attend the summit in Geneva next week.\nTrade talks continue in parallel.",
  });
  await shareWith(owner, memoId, reviewerAccount, "commenter");
  const reviewer = await signedInPage(browser, reviewerAccount);
  await Promise.all([owner.goto(`/memos/${memoId}`), reviewer.goto(`/memos/${memoId}`)]);
  await expect(editorOf(owner)).toContainText("the summit in Geneva");
  await expect(sidebarOf(reviewer)).toContainText("No open comments.");

  // The owner comments on a passage with the shortcut, mentioning the reviewer through the list.
  await selectText(owner, "the summit in Geneva");
  await owner.keyboard.press("Control+Alt+KeyM");
  const field = sidebarOf(owner).getByTestId("new-comment").getByLabel("Comment", { exact: true });
  await field.pressSequentially("Is @Car");
  await expect(sidebarOf(owner).getByRole("option", { name: "Carl Reviewer" })).toBeVisible();
  await field.press("Enter");
  await field.pressSequentially("sure this is confirmed? Agenda: https://example.org/agenda");
  await expect(field).toHaveValue("Is @Carl Reviewer sure this is confirmed? Agenda: https://example.org/agenda");
  await sidebarOf(owner).getByRole("button", { name: "Comment", exact: true }).click();
  await expect(threadsOf(owner)).toHaveCount(1);
  await expect(editorOf(owner).locator(".comment-highlight")).toHaveText("the summit in Geneva");

  // The reviewer, a commenter, sees it live: the thread, the mention, the link, the highlight.
  const thread = threadsOf(reviewer);
  await expect(thread).toHaveCount(1, { timeout: 3_000 });
  await expect(thread).toContainText("Is @Carl Reviewer sure this is confirmed?");
  await expect(thread.getByText("@Carl Reviewer")).toHaveClass(/mention/);
  await expect(thread.getByRole("link", { name: "https://example.org/agenda" })).toHaveAttribute("rel", /noopener/);
  await expect(editorOf(reviewer).locator(".comment-highlight")).toHaveText("the summit in Geneva");

  // Clicking the highlight opens the thread; the reviewer replies and resolves it.
  await editorOf(reviewer).locator(".comment-highlight").click();
  await expect(thread).toHaveAttribute("aria-current", "true");
  await thread.getByLabel("Reply").fill("Yes, confirmed by cable this morning.");
  await thread.getByRole("button", { name: "Reply", exact: true }).click();
  await expect(thread.getByTestId("comment")).toHaveCount(2);

  const ownerThread = threadsOf(owner);
  await expect(ownerThread.getByTestId("comment")).toHaveCount(2, { timeout: 3_000 });
  await expect(ownerThread).toContainText("Yes, confirmed by cable this morning.");

  await thread.getByRole("button", { name: "Resolve thread" }).click();
  await expect(thread.getByTestId("resolved-note")).toContainText("Resolved by Carl Reviewer");
  // The owner's open thread shows the resolution live and the open count drops.
  await expect(ownerThread.getByTestId("resolved-note")).toContainText("Resolved by Carl Reviewer", { timeout: 3_000 });
  await expect(sidebarOf(owner).getByRole("button", { name: /^Open/ })).toContainText("0");
  await expect(sidebarOf(owner).getByRole("button", { name: /^Resolved/ })).toContainText("1");

  // The reviewer finds the mention on the memos page, and its link opens the thread on its passage.
  await reviewer.goto("/memos");
  const mentions = reviewer.getByRole("list", { name: "Comments that mention you" });
  await expect(mentions.getByRole("listitem")).toHaveCount(1);
  await expect(mentions).toContainText("Amira Owner mentioned you in Cable draft");
  await mentions.getByRole("link").click();
  await expect(reviewer).toHaveURL(new RegExp(`/memos/${memoId}\\?comment=`));
  const opened = threadsOf(reviewer).filter({ hasText: "Is @Carl Reviewer sure" });
  await expect(opened).toHaveAttribute("aria-current", "true");
  await expect(sidebarOf(reviewer).getByRole("button", { name: /^Resolved/ })).toHaveAttribute("aria-pressed", "true");
  await expect(editorOf(reviewer).locator(".comment-highlight.is-active")).toHaveText("the summit in Geneva");
  expect(await reviewer.evaluate(() => window.getSelection()?.toString() ?? "")).toBe("");
  await expect
    .poll(() =>
      reviewer.evaluate(() => document.querySelector(".comment-highlight.is-active")!.getBoundingClientRect().top),
    )
    .toBeLessThan(900);

  // The reviewer reopens it; the owner sees that live too.
  await opened.getByRole("button", { name: "Reopen thread" }).click();
  await expect(ownerThread.getByTestId("resolved-note")).toHaveCount(0, { timeout: 3_000 });
  await owner.context().close();
  await reviewer.context().close();
});

test("a deleted passage keeps its thread, marked removed, until it is anchored to new text", async ({
  browser,
  request,
}) => {
  const { page } = await memoWithComment(browser, request, {
    analyst: "Nadia Editor",
    title: "Sanctions note",
    lines: ["Relief is conditional on verification by inspectors.", "A second paragraph follows here."],
    passage: "conditional on verification",
    comment: "Which inspectors?",
  });
  await expect(editorOf(page).locator(".comment-highlight")).toHaveText("conditional on verification");

  // Someone types inside and before the passage: the highlight follows.
  await selectText(page, "on verification");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.type("and phased ");
  await expect(editorOf(page).locator(".comment-highlight")).toHaveText("conditional and phased on verification");

  // Delete the passage: the thread stays, says so, and shows what it was anchored to.
  await selectText(page, "conditional and phased on verification");
  await page.keyboard.press("Backspace");
  const thread = threadsOf(page);
  await expect(thread).toContainText("Passage removed");
  await expect(thread).toContainText("conditional on verification");
  await expect(editorOf(page).locator(".comment-highlight")).toHaveCount(0);

  // Anchor it to a new selection.
  await selectText(page, "second paragraph");
  await thread.getByRole("button", { name: "Anchor to the selected text" }).click();
  await expect(thread).not.toContainText("Passage removed");
  await expect(editorOf(page).locator(".comment-highlight")).toHaveText("second paragraph");
  await page.context().close();
});

test("restoring a version that contains a removed passage brings its thread back onto it", async ({
  browser,
  request,
}) => {
  const { page, memoId } = await memoWithComment(browser, request, {
    analyst: "Rania Restorer",
    title: "Visa note",
    lines: ["The consulate resumes interviews in March.", "A closing paragraph."],
    passage: "resumes interviews in March",
    comment: "Confirm the month?",
  });
  expect(
    (await page.request.post(`/api/memos/${memoId}/versions`, { data: { name: "With the dates" } })).status(),
  ).toBe(201);

  await selectText(page, "resumes interviews in March");
  await page.keyboard.press("Backspace");
  const thread = threadsOf(page);
  await expect(thread).toContainText("Passage removed");
  await expect(page.getByTestId("save-status")).toHaveText("Saved");

  await page.getByRole("button", { name: "History" }).click();
  const history = page.getByRole("complementary", { name: "History" });
  await history
    .getByRole("listitem")
    .filter({ hasText: "With the dates" })
    .getByRole("button", { name: "Restore" })
    .click();
  await page
    .getByRole("dialog", { name: /Restore/ })
    .getByRole("button", { name: "Restore this version" })
    .click();
  await expect(editorOf(page)).toContainText("The consulate resumes interviews in March.");
  await expect(thread).not.toContainText("Passage removed");
  await expect(editorOf(page).locator(".comment-highlight")).toHaveText("resumes interviews in March");
  await page.context().close();
});

test("authors edit and delete their own comments, the owner deletes anyone's; filters", async ({
  browser,
  request,
}) => {
  const [ownerAccount, reviewerAccount] = await Promise.all([
    createAnalyst(request, "Olga Owner"),
    createAnalyst(request, "Rita Reviewer"),
  ]);
  const owner = await signedInPage(browser, ownerAccount);
  const memoId = await createMemoVia(owner, {
    from: "source",
    title: "Edits",
    source: "Edits\nThe delegation arrives on Thursday.\nA closing line.",
  });
  await shareWith(owner, memoId, reviewerAccount, "commenter");
  const reviewer = await signedInPage(browser, reviewerAccount);
  await Promise.all([owner.goto(`/memos/${memoId}`), reviewer.goto(`/memos/${memoId}`)]);
  await commentOn(reviewer, "arrives on Thursday", "Thursday or Friday?");
  const thread = threadsOf(reviewer);
  await thread.getByLabel("Reply").fill("Checking with protocol.");
  await thread.getByRole("button", { name: "Reply", exact: true }).click();
  await expect(thread.getByTestId("comment")).toHaveCount(2);

  // The reviewer edits her first comment, adding a mention; the owner sees the edit live.
  await thread.getByRole("button", { name: "Edit comment by Rita Reviewer" }).first().click();
  await thread.getByLabel("Edit your comment").fill("Thursday or Friday? @Olga Owner");
  await thread.getByRole("button", { name: "Save" }).click();
  const ownerThread = threadsOf(owner);
  await expect(ownerThread.getByTestId("comment").first()).toContainText("Thursday or Friday? @Olga Owner", {
    timeout: 3_000,
  });
  await expect(ownerThread.getByTestId("comment").first()).toContainText("edited");
  // Only authors edit: the owner has Delete but no Edit on the reviewer's comments.
  await expect(ownerThread.getByRole("button", { name: "Edit comment by Rita Reviewer" })).toHaveCount(0);

  // The owner deletes the reviewer's reply; the reviewer sees it go.
  await ownerThread.getByRole("button", { name: "Delete comment by Rita Reviewer" }).nth(1).click();
  await ownerThread.getByRole("group", { name: "Confirm deletion" }).getByRole("button", { name: "Delete" }).click();
  await expect(thread.getByTestId("comment")).toHaveCount(1, { timeout: 3_000 });

  // Filters: the owner was mentioned, so the thread is "Mine" for her; resolving moves it.
  await sidebarOf(owner).getByRole("button", { name: /^Mine/ }).click();
  await expect(threadsOf(owner)).toHaveCount(1);
  await sidebarOf(owner)
    .getByRole("button", { name: /^Resolved/ })
    .click();
  await expect(sidebarOf(owner)).toContainText("No resolved threads.");
  // The reviewer deletes her last comment, and with it the thread.
  await thread.getByRole("button", { name: "Delete comment by Rita Reviewer" }).click();
  await thread.getByRole("group", { name: "Confirm deletion" }).getByRole("button", { name: "Delete" }).click();
  await expect(threadsOf(reviewer)).toHaveCount(0);
  await sidebarOf(owner).getByRole("button", { name: /^Open/ }).click();
  await expect(threadsOf(owner)).toHaveCount(0, { timeout: 3_000 });
  await expect(editorOf(owner).locator(".comment-highlight")).toHaveCount(0);
  await owner.context().close();
  await reviewer.context().close();
});

test("a hostile comment is shown inert: no script runs, no javascript: link exists", async ({ browser, request }) => {
  const [ownerAccount, readerAccount] = await Promise.all([
    createAnalyst(request, "Olga Owner"),
    createAnalyst(request, "Vera Viewer"),
  ]);
  const owner = await signedInPage(browser, ownerAccount);
  const memoId = await createMemoVia(owner, {
    from: "source",
    title: "Hostile",
    source: "Hostile\nA harmless sentence to comment on.",
  });
  await shareWith(owner, memoId, readerAccount, "viewer");
  const reader = await signedInPage(browser, readerAccount);
  const dialogs: string[] = [];
  for (const page of [owner, reader]) {
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  }
  await Promise.all([owner.goto(`/memos/${memoId}`), reader.goto(`/memos/${memoId}`)]);
  const hostile =
    '<img src=x onerror=alert(1)> <script>alert(2)</script> <a href="javascript:alert(3)">x</a> ' +
    "javascript:alert(4) javascript://example.org/%0aalert(5) [link](javascript:alert(6)) https://example.org/safe";
  await commentOn(owner, "harmless sentence", hostile);

  for (const page of [owner, reader]) {
    const thread = threadsOf(page);
    await expect(thread).toContainText("<img src=x onerror=alert(1)> <script>alert(2)</script>", { timeout: 3_000 });
    await expect(thread.locator("img, script")).toHaveCount(0);
    await expect(thread.getByRole("link")).toHaveCount(1);
    await expect(thread.getByRole("link")).toHaveAttribute("href", "https://example.org/safe");
    expect(await page.locator('[href^="javascript:" i], [src^="javascript:" i]').count()).toBe(0);
    expect(await page.evaluate(() => [...document.querySelectorAll("[onerror], [onclick], [onload]")].length)).toBe(0);
  }
  // Give an injected handler every chance to fire.
  await owner.waitForTimeout(500);
  expect(dialogs).toEqual([]);
  await owner.context().close();
  await reader.context().close();
});

test("the memo page with its comments beside it (screenshot)", async ({ browser, request }) => {
  const [ownerAccount, colleagueAccount] = await Promise.all([
    createAnalyst(request, "Amina Qureshi"),
    createAnalyst(request, "Daniel Okafor"),
  ]);
  const owner = await signedInPage(browser, ownerAccount);
  const memoId = await createMemoVia(owner, { from: "sample" });
  await shareWith(owner, memoId, colleagueAccount, "commenter");
  const colleague = await signedInPage(browser, colleagueAccount);
  await Promise.all([owner.goto(`/memos/${memoId}`), colleague.goto(`/memos/${memoId}`)]);
  await expect(editorOf(owner).locator("h2").first()).toBeVisible();

  await commentOn(
    owner,
    "a strategic shift in outlook of the United States",
    "Can we cite the source for this? @Daniel Okafor may have the cable.",
  );
  await commentOn(
    colleague,
    "a subtle yet significant shift",
    "This reads as settled; the ministry still calls it provisional.",
  );
  await commentOn(owner, "Washington’s rapid mediation efforts", "Name the envoys, or drop “rapid”.");
  await commentOn(
    colleague,
    "praised the U.S. role in de-escalation",
    "Source: the foreign office statement of 12 May.",
  );
  const second = threadsOf(owner).filter({ hasText: "reads as settled" });
  await expect(second).toHaveCount(1, { timeout: 3_000 });
  await second.getByRole("button", { name: "Reply" }).click();
  await second.getByLabel("Reply").fill("Agreed, softened to “expected”.");
  await second.getByRole("button", { name: "Reply", exact: true }).click();
  await expect(second.getByTestId("comment")).toHaveCount(2);
  const fourth = threadsOf(owner).filter({ hasText: "foreign office statement" });
  await fourth.getByRole("button", { name: "Resolve thread" }).click();
  await expect(threadsOf(owner)).toHaveCount(3);
  await threadsOf(owner).getByRole("button", { name: "a strategic shift in outlook of the United States" }).click();
  await expect(threadsOf(owner).first()).toHaveAttribute("aria-current", "true");
  // Laid out beside the sheet, highlights painted (a stylesheet that failed to apply would not be).
  // Beside, not below: the sidebar starts right of the sheet and above its bottom edge, wherever
  // the click on the thread scrolled the page to (its passage).
  const sheet = (await owner.locator(".memo-sheet").boundingBox())!;
  const sidebar = (await sidebarOf(owner).boundingBox())!;
  expect(sidebar.x).toBeGreaterThanOrEqual(sheet.x + sheet.width);
  expect(sidebar.y).toBeLessThan(sheet.y + sheet.height);
  await expect(editorOf(owner).locator(".comment-highlight").first()).not.toHaveCSS(
    "background-color",
    "rgba(0, 0, 0, 0)",
  );
  await owner.waitForTimeout(800);
  await owner.screenshot({ path: "e2e/artifacts/comments.png" });
  await owner.context().close();
  await colleague.context().close();
});
