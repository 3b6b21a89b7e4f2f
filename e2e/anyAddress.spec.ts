import { createMemoVia, editorOf, expect, signIn, test, typeAtEnd } from "./fixtures";

// With the default configuration (no APP_URL), a colleague who opens a pasted link at 127.0.0.1,
// a host name or a LAN address instead of localhost must be able to work: sign in, open the memo,
// co-edit with someone on localhost, and see "Saved" only once the server has stored the edit.
// Before, the memo stayed on a grey placeholder and "Connecting…" next to a green "Saved".

test("a memo opened at 127.0.0.1 instead of localhost loads, co-edits and saves", async ({ browser, analyst }) => {
  const onLocalhost = await (await browser.newContext()).newPage();
  await signIn(onLocalhost, analyst);
  const memoId = await createMemoVia(onLocalhost, {
    from: "source",
    title: "Pasted link",
    source: "Background\nThe talks resume on Monday.",
  });

  const numeric = new URL(test.info().project.use.baseURL!);
  numeric.hostname = "127.0.0.1";
  const onAddress = await (await browser.newContext({ baseURL: numeric.origin })).newPage();
  await onAddress.goto("/signin");
  await signIn(onAddress, analyst);
  expect(new URL(onAddress.url()).hostname).toBe("127.0.0.1");
  await onAddress.goto(`/memos/${memoId}`);
  await onLocalhost.goto(`/memos/${memoId}`);
  await expect(onAddress.getByTestId("connection-status")).toHaveText("Live");
  await expect(editorOf(onAddress)).toContainText("The talks resume on Monday.");

  await typeAtEnd(onAddress, " Typed at the numeric address.");
  await expect(editorOf(onLocalhost)).toContainText("Typed at the numeric address.", { timeout: 2_000 });
  await expect(onAddress.getByTestId("save-status")).toHaveText("Saved");
  // API writes from that address are ours too (the same-origin check of route handlers).
  const renamed = await onAddress.request.patch(`/api/memos/${memoId}`, {
    data: { title: "Renamed at 127.0.0.1" },
    headers: { origin: numeric.origin },
  });
  expect(renamed.status()).toBe(200);
  // Another site's page is still refused.
  const forged = await onAddress.request.patch(`/api/memos/${memoId}`, {
    data: { title: "Forged" },
    headers: { origin: "http://evil.example" },
  });
  expect(forged.status()).toBe(403);
  await onAddress.reload();
  await expect(editorOf(onAddress)).toContainText("Typed at the numeric address.");
  // Signing out stays at this address.
  await onAddress.getByRole("button", { name: "Sign out" }).click();
  await expect(onAddress).toHaveURL(`${numeric.origin}/signin`);
  await onAddress.context().close();
  await onLocalhost.context().close();
});
