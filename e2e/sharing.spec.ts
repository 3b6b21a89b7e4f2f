import { createAnalyst, createMemoVia, editorOf, expect, signedInPage, test, typeAtEnd } from "./fixtures";

test("the owner shares with an editor and a viewer; presence, read-only and a live demotion", async ({
  browser,
  request,
}) => {
  const [ownerAccount, editorAccount, viewerAccount] = await Promise.all([
    createAnalyst(request, "Olga Owner"),
    createAnalyst(request, "Eddie Editor"),
    createAnalyst(request, "Vera Viewer"),
  ]);
  const owner = await signedInPage(browser, ownerAccount);
  const memoId = await createMemoVia(owner, { from: "source", source: "Cable draft\nThe minister will attend." });
  await owner.goto(`/memos/${memoId}`);
  await expect(editorOf(owner)).toContainText("The minister will attend.");

  // Invite through the sharing panel.
  await owner.getByRole("button", { name: "Share" }).click();
  const panel = owner.getByRole("dialog", { name: /Share “Cable draft”/ });
  await panel.getByLabel("Colleague's email").fill(editorAccount.email);
  await panel.getByLabel("Role", { exact: true }).selectOption("editor");
  await panel.getByRole("button", { name: "Invite" }).click();
  await expect(panel.getByRole("status")).toContainText(`${editorAccount.email} can now open this memo.`);
  await panel.getByLabel("Colleague's email").fill(viewerAccount.email);
  await panel.getByLabel("Role", { exact: true }).selectOption("viewer");
  await panel.getByRole("button", { name: "Invite" }).click();
  await expect(panel.getByRole("list", { name: "People with access" }).getByRole("listitem")).toHaveCount(3);
  await expect(panel.getByRole("list", { name: "Sharing activity" })).toContainText(
    "Olga Owner invited Vera Viewer as viewer",
  );
  await panel.getByRole("button", { name: "Done" }).click();

  // The shared memo appears on their memos pages with their role and who shared it.
  const editor = await signedInPage(browser, editorAccount);
  await expect(editor.getByText("Shared with you by Olga Owner")).toBeVisible();
  await expect(editor.locator(".memo-row .role-badge")).toHaveText("Editor");
  await editor.getByRole("link", { name: "Cable draft" }).click();
  const viewer = await signedInPage(browser, viewerAccount);
  await viewer.goto(`/memos/${memoId}`);

  // Presence: everyone sees everyone, viewers included; owner and editor see each other's carets.
  for (const page of [owner, editor, viewer]) {
    await expect(page.getByTestId("presence").getByRole("listitem")).toHaveCount(3);
  }
  await expect(owner.getByTestId("presence").getByRole("listitem", { name: /Vera Viewer · Viewer/ })).toBeVisible();
  await typeAtEnd(editor, " Edited by Eddie.");
  await typeAtEnd(owner, " Owner adds a line.");
  await expect(owner.locator(".presence-caret-label", { hasText: "Eddie Editor" })).toBeVisible();
  await expect(editor.locator(".presence-caret-label", { hasText: "Olga Owner" })).toBeVisible();
  await expect(editorOf(viewer)).toContainText("Edited by Eddie.");

  // The viewer cannot type.
  await expect(viewer.getByTestId("read-only-banner")).toBeVisible();
  await expect(editorOf(viewer)).toHaveAttribute("contenteditable", "false");
  await editorOf(viewer).click();
  await viewer.keyboard.type("Viewer tries to write");
  await expect(editorOf(viewer)).not.toContainText("Viewer tries to write");

  // Demote the editor: their page turns read-only without a reload.
  await owner.getByRole("button", { name: "Share" }).click();
  await panel.getByLabel("Role of Eddie Editor").selectOption("viewer");
  await expect(panel.getByRole("status")).toContainText("Eddie Editor is now viewer.");
  await expect(editor.getByTestId("read-only-banner")).toBeVisible({ timeout: 5_000 });
  await expect(editorOf(editor)).toHaveAttribute("contenteditable", "false");

  // Remove the viewer: their page says why, without a reload.
  await panel.getByRole("listitem").filter({ hasText: "Vera Viewer" }).getByRole("button", { name: "Remove" }).click();
  await expect(viewer.locator(".banner-error")).toContainText("You no longer have access to this memo.", {
    timeout: 5_000,
  });
  await panel.getByRole("button", { name: "Done" }).click();
  await owner.screenshot({ path: "e2e/artifacts/sharing-owner.png" });
  for (const page of [owner, editor, viewer]) await page.context().close();
});

test("an invitation to an address without an account takes effect at sign-up", async ({ browser, request }) => {
  const ownerAccount = await createAnalyst(request, "Olga Owner");
  const owner = await signedInPage(browser, ownerAccount);
  const memoId = await createMemoVia(owner, { from: "blank", title: "For a newcomer" });
  const email = `newcomer-${Date.now()}@example.org`;
  const invite = await owner.request.post(`/api/memos/${memoId}/sharing`, { data: { email, role: "commenter" } });
  expect(await invite.json()).toEqual({ kind: "pending", inviteId: expect.any(String) });

  const newcomer = await (await browser.newContext()).newPage();
  await newcomer.goto("/signup");
  await newcomer.getByLabel("Full name").fill("Nia Newcomer");
  await newcomer.getByLabel("Work email").fill(email);
  await newcomer.getByLabel("Password").fill("a sturdy passphrase");
  await newcomer.getByRole("button", { name: "Create account" }).click();
  await expect(newcomer.getByRole("link", { name: "For a newcomer" })).toBeVisible();
  await expect(newcomer.locator(".memo-row .role-badge")).toHaveText("Commenter");
  await owner.context().close();
  await newcomer.context().close();
});
