import { createMemoVia, editorOf, expect, signedInPage, test, typeAtEnd } from "./fixtures";

test("offline edits survive a reload, merge with a colleague's on reconnect, and only then show Saved", async ({
  browser,
  analyst,
}) => {
  // Three browser contexts, two sign-ins and two reloads through the service worker: about 21 s
  // here, and 66 s once on a loaded machine (every step three times slower), past the 60 s default.
  test.slow();
  const alice = await signedInPage(browser, analyst);
  const memoId = await createMemoVia(alice, {
    from: "source",
    source: "Field report\nThe delegation arrived on time.",
  });
  await alice.goto(`/memos/${memoId}`);
  await expect(alice.getByTestId("save-status")).toHaveText("Saved");
  // Let the service worker take control, then load once through it so the page is cached.
  await alice.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await alice.reload();
  await expect(editorOf(alice)).toContainText("The delegation arrived on time.");
  await expect.poll(() => alice.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);

  const bob = await signedInPage(browser, analyst);
  await bob.goto(`/memos/${memoId}`);
  await expect(editorOf(bob)).toContainText("The delegation arrived on time.");

  await alice.context().setOffline(true);
  await expect(alice.getByTestId("connection-status")).toHaveText("Offline");
  await typeAtEnd(alice, " Typed offline, before the reload.");
  await expect(alice.getByTestId("save-status")).toHaveText("Offline — changes kept on this device");

  // Closing or reloading with unsaved edits asks first.
  const warned = new Promise<string>((resolve) =>
    alice.once("dialog", (dialog) => {
      resolve(dialog.type());
      void dialog.accept();
    }),
  );
  await alice.reload();
  expect(await warned).toBe("beforeunload");
  await expect(editorOf(alice)).toContainText("Typed offline, before the reload.");
  await expect(alice.getByTestId("connection-status")).toHaveText("Offline");
  await expect(alice.getByTestId("save-status")).toHaveText("Offline — changes kept on this device");
  await typeAtEnd(alice, " And after it.");

  await typeAtEnd(bob, " Bob, online meanwhile.");
  await expect(bob.getByTestId("save-status")).toHaveText("Saved");
  await expect(editorOf(alice)).not.toContainText("Bob, online meanwhile.");

  await alice.context().setOffline(false);
  await expect(alice.getByTestId("connection-status")).toHaveText("Live");
  await expect(alice.getByTestId("save-status")).toHaveText("Saved");
  for (const page of [alice, bob]) {
    await expect(editorOf(page)).toContainText("Typed offline, before the reload.");
    await expect(editorOf(page)).toContainText("And after it.");
    await expect(editorOf(page)).toContainText("Bob, online meanwhile.");
  }
  const fresh = await signedInPage(browser, analyst);
  await fresh.goto(`/memos/${memoId}`);
  await expect(editorOf(fresh)).toContainText("And after it.");
  await expect(editorOf(fresh)).toContainText("Bob, online meanwhile.");
  for (const page of [alice, bob, fresh]) await page.context().close();
});

test("a memo opened once reloads offline: the first visit is enough", async ({ browser, analyst }) => {
  const page = await signedInPage(browser, analyst);
  const memoId = await createMemoVia(page, {
    from: "source",
    source: "Field report\nOpened once, on a hotel connection.",
  });
  await page.goto(`/memos/${memoId}`);
  await expect(page.getByTestId("save-status")).toHaveText("Saved");
  // No reload: the service worker fetches what the first visit loaded before it existed, the
  // page last (useOfflinePages.ts).
  await expect
    .poll(() => page.evaluate(async () => (await caches.match(location.href)) !== undefined), { timeout: 20_000 })
    .toBe(true);

  await page.context().setOffline(true);
  await page.reload();
  await expect(editorOf(page)).toContainText("Opened once, on a hotel connection.");
  await expect(page.getByTestId("connection-status")).toHaveText("Offline");
  await typeAtEnd(page, " Typed offline.");
  await expect(page.getByTestId("save-status")).toHaveText("Offline — changes kept on this device");
  await page.screenshot({ path: "e2e/artifacts/offline-first-visit.png" });
  await page.context().setOffline(false);
  await expect(page.getByTestId("save-status")).toHaveText("Saved");
  await page.context().close();
});
