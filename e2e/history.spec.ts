import { readFileSync } from "node:fs";
import { readDocx } from "../server/testing/docxContent";
import { createAnalyst, createMemoVia, editorOf, expect, signedInPage, test, typeAtEnd } from "./fixtures";

test("name a version, change the text, compare, restore: a colleague sees the old text without a reload", async ({
  browser,
  request,
}) => {
  const [ownerAccount, colleagueAccount] = await Promise.all([
    createAnalyst(request, "Olga Owner"),
    createAnalyst(request, "Carl Colleague"),
  ]);
  const owner = await signedInPage(browser, ownerAccount);
  const memoId = await createMemoVia(owner, {
    from: "source",
    source: "Assessment\nThe minister will attend the summit.",
  });
  await owner.request.post(`/api/memos/${memoId}/sharing`, { data: { email: colleagueAccount.email, role: "editor" } });
  const colleague = await signedInPage(browser, colleagueAccount);
  await Promise.all([owner.goto(`/memos/${memoId}`), colleague.goto(`/memos/${memoId}`)]);
  await expect(editorOf(colleague)).toContainText("The minister will attend the summit.");

  // Name the current version.
  await owner.getByRole("button", { name: "History" }).click();
  const history = owner.getByRole("complementary", { name: "History" });
  await history.getByRole("button", { name: "Save version…" }).click();
  const save = owner.getByRole("dialog", { name: "Save version" });
  await save.getByLabel("Name").fill("Sent to the ambassador");
  await save.getByLabel("Note (optional)").fill("Before the review");
  await save.getByRole("button", { name: "Save version" }).click();
  await expect(history.getByText("Sent to the ambassador")).toBeVisible();
  await expect(history.getByText("Before the review")).toBeVisible();

  // Change the text (as the colleague), then save another named version to compare against.
  await typeAtEnd(colleague, " Carl adds a caveat.");
  await expect(colleague.getByTestId("save-status")).toHaveText("Saved");
  await history.getByRole("button", { name: "Save version…" }).click();
  await save.getByLabel("Name").fill("After Carl's caveat");
  await save.getByRole("button", { name: "Save version" }).click();
  await expect(history.getByText("After Carl's caveat")).toBeVisible();

  // Compare the two: the change is marked, with who wrote it.
  await history.getByRole("listitem").filter({ hasText: "Sent to the ambassador" }).getByRole("checkbox").check();
  await history.getByRole("listitem").filter({ hasText: "After Carl's caveat" }).getByRole("checkbox").check();
  await history.getByRole("button", { name: "Compare selected" }).click();
  const compare = owner.getByRole("dialog", { name: "Compare versions" });
  await expect(compare.getByTestId("compare-summary")).toContainText("4 words added, 0 removed");
  const inserted = compare.getByTestId("compare-text").locator("ins.diff-added");
  await expect(inserted).toHaveCount(1);
  await expect(inserted).toContainText("Carl adds a caveat.");
  await expect(inserted).toHaveAttribute("title", "Added by Carl Colleague");
  await owner.screenshot({ path: "e2e/artifacts/history-compare.png" });
  // The redline goes to Word as tracked changes in the name of who wrote them.
  const downloading = owner.waitForEvent("download");
  await compare.getByRole("button", { name: "Redline in Word" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/redline-v\d+-v\d+.*\.docx$/u);
  const docx = await readDocx(readFileSync((await download.path())!));
  expect(docx.document).toMatch(/<w:ins w:id="\d+" w:author="Carl Colleague"[^>]*>[\s\S]*?Carl adds a caveat/u);
  await compare.getByRole("button", { name: "Close" }).click();

  // Restore the named version: the colleague's page shows the old text without a reload.
  await history
    .getByRole("listitem")
    .filter({ hasText: "Sent to the ambassador" })
    .getByRole("button", { name: "Restore" })
    .click();
  await owner
    .getByRole("dialog", { name: /Restore “Sent to the ambassador”\?/ })
    .getByRole("button", { name: "Restore this version" })
    .click();
  await expect(editorOf(colleague)).not.toContainText("Carl adds a caveat.", { timeout: 5_000 });
  await expect(editorOf(colleague)).toContainText("The minister will attend the summit.");
  await expect(editorOf(owner)).not.toContainText("Carl adds a caveat.");
  await expect(history.locator(".kind-badge", { hasText: "Restore" })).toHaveCount(1);
  await expect(history.getByText("Saved before restoring version")).toHaveCount(0); // nothing changed since the named version
  await owner.screenshot({ path: "e2e/artifacts/history-panel.png" });

  // The colleague can undo the restore by restoring the version saved after the caveat.
  await colleague.getByRole("button", { name: "History" }).click();
  const theirs = colleague.getByRole("complementary", { name: "History" });
  await theirs
    .getByRole("listitem")
    .filter({ hasText: "After Carl's caveat" })
    .getByRole("button", { name: "Restore" })
    .click();
  await colleague
    .getByRole("dialog", { name: /Restore/ })
    .getByRole("button", { name: "Restore this version" })
    .click();
  await expect(editorOf(owner)).toContainText("Carl adds a caveat.", { timeout: 5_000 });
  await owner.context().close();
  await colleague.context().close();
});

test("viewers browse and view history but cannot name or restore", async ({ browser, request }) => {
  const [ownerAccount, viewerAccount] = await Promise.all([
    createAnalyst(request, "Olga Owner"),
    createAnalyst(request, "Vera Viewer"),
  ]);
  const owner = await signedInPage(browser, ownerAccount);
  const memoId = await createMemoVia(owner, { from: "source", source: "Readout\nThe call went well." });
  await owner.request.post(`/api/memos/${memoId}/sharing`, { data: { email: viewerAccount.email, role: "viewer" } });
  const viewer = await signedInPage(browser, viewerAccount);
  await viewer.goto(`/memos/${memoId}`);
  await viewer.getByRole("button", { name: "History" }).click();
  const history = viewer.getByRole("complementary", { name: "History" });
  await expect(history.getByText("Created")).toBeVisible();
  await expect(history.getByRole("button", { name: "Save version…" })).toHaveCount(0);
  await expect(history.getByRole("button", { name: "Restore" })).toHaveCount(0);
  await history.getByRole("button", { name: "View" }).first().click();
  await expect(viewer.getByTestId("version-preview")).toContainText("The call went well.");
  const versions = (await (await viewer.request.get(`/api/memos/${memoId}/versions`)).json()) as {
    versions: { id: string }[];
  };
  expect((await viewer.request.post(`/api/memos/${memoId}/versions/${versions.versions[0].id}/restore`)).status()).toBe(
    403,
  );
  await owner.context().close();
  await viewer.context().close();
});

test("a restore announces itself to everyone in the memo, who restored which version, and can be undone", async ({
  browser,
  request,
}) => {
  const [ownerAccount, colleagueAccount] = await Promise.all([
    createAnalyst(request, "Rita Restorer"),
    createAnalyst(request, "Ed Editor"),
  ]);
  const owner = await signedInPage(browser, ownerAccount);
  const memoId = await createMemoVia(owner, {
    from: "source",
    source: "Assessment\nThe minister will attend the summit.",
  });
  await owner.request.post(`/api/memos/${memoId}/sharing`, { data: { email: colleagueAccount.email, role: "editor" } });
  const colleague = await signedInPage(browser, colleagueAccount);
  await Promise.all([owner.goto(`/memos/${memoId}`), colleague.goto(`/memos/${memoId}`)]);
  await typeAtEnd(colleague, " Ed's paragraph of analysis.");
  await expect(colleague.getByTestId("save-status")).toHaveText("Saved");
  await expect(colleague.getByTestId("restore-banner")).toHaveCount(0);

  // The owner restores version 1, the memo as created.
  await owner.getByRole("button", { name: "History" }).click();
  const history = owner.getByRole("complementary", { name: "History" });
  await history.getByRole("listitem").filter({ hasText: "Version 1" }).getByRole("button", { name: "Restore" }).click();
  await owner
    .getByRole("dialog", { name: /Restore/ })
    .getByRole("button", { name: "Restore this version" })
    .click();
  await expect(editorOf(colleague)).not.toContainText("Ed's paragraph of analysis.", { timeout: 5_000 });
  const told = colleague.getByTestId("restore-banner");
  await expect(told).toContainText(
    /^Rita Restorer restored version 1 at .+\. The text it replaced is kept as version 2\./u,
  );
  await expect(owner.getByTestId("restore-banner")).toContainText(/^You restored version 1/u);
  await colleague.screenshot({ path: "e2e/artifacts/restore-announced.png" });

  // The colleague undoes it: their text is back for everyone, and that is announced too.
  await told.getByRole("button", { name: "Undo restore" }).click();
  await expect(editorOf(owner)).toContainText("Ed's paragraph of analysis.", { timeout: 5_000 });
  await expect(owner.getByTestId("restore-banner")).toContainText(/^Ed Editor restored version 2/u);
  await expect(told).toContainText(/^You restored version 2/u);
  await told.getByRole("button", { name: "Dismiss" }).click();
  await expect(told).toHaveCount(0);
  await owner.context().close();
  await colleague.context().close();
});
