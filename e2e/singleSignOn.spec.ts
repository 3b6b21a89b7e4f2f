import crypto from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { createAnalyst, createMemoVia, signIn } from "./fixtures";

// Single sign-on (issue 22): the app is configured (playwright.config.ts) with a real OpenID
// Connect provider on 127.0.0.1 (e2e/identityProviders.ts), beside passwords.

const idp = `http://127.0.0.1:${process.env.E2E_OIDC_PORT}`;
const otherIdp = `http://127.0.0.1:${process.env.E2E_OIDC_OTHER_PORT}`;
const newEmail = (prefix = "sso") => `${prefix}-${crypto.randomBytes(5).toString("hex")}@ministry.example`;

/** From the app's sign-in page through the provider's sign-in form, as `email`. */
async function signInThroughProvider(page: Page, email: string, name: string): Promise<void> {
  await page.goto("/signin");
  await page.getByRole("button", { name: "Sign in with Test IdP" }).click();
  await expect(page.getByRole("heading", { name: "Test identity provider" })).toBeVisible();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Continue" }).click();
}

test("a colleague signs in through the identity provider: the account is made and the invitation is waiting", async ({
  browser,
  page,
}) => {
  const owner = await createAnalyst(page.request, "Inviting Owner");
  await signIn(page, owner);
  const email = newEmail();
  const memoId = await createMemoVia(page, { from: "blank", title: "Brief for the newcomer" });
  const invite = await page.request.post(`/api/memos/${memoId}/sharing`, { data: { email, role: "editor" } });
  expect(invite.ok()).toBe(true);

  const context = await browser.newContext();
  const hosts = new Set<string>();
  context.on("request", (request) => hosts.add(new URL(request.url()).host));
  const newcomer = await context.newPage();
  await newcomer.goto("/signin");
  await expect(newcomer.getByRole("button", { name: "Sign in with Test IdP" })).toBeVisible();
  await newcomer.screenshot({ path: test.info().outputPath("sign-in-with-sso.png"), fullPage: true });
  await signInThroughProvider(newcomer, email, "Rania Sayegh");
  await expect(newcomer).toHaveURL(/\/memos$/);
  await expect(newcomer.getByRole("link", { name: "Brief for the newcomer" })).toBeVisible();
  await expect(newcomer.getByRole("link", { name: /Rania Sayegh/ })).toBeVisible();

  // The session is a recorded one, like a password sign-in's.
  await newcomer.goto("/account/sessions");
  await expect(newcomer.getByRole("list", { name: "Signed-in devices" }).getByRole("listitem")).toHaveCount(1);

  // Signing out and in again is the same account: the provider remembers the person, so no form.
  await newcomer.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(newcomer).toHaveURL(/\/signin$/);
  await newcomer.getByRole("button", { name: "Sign in with Test IdP" }).click();
  await expect(newcomer).toHaveURL(/\/memos$/);
  await expect(newcomer.getByRole("link", { name: "Brief for the newcomer" })).toBeVisible();

  // The browser talked to the app and the configured issuer, nothing else.
  expect([...hosts].sort()).toEqual([new URL(idp).host, `localhost:${process.env.E2E_PORT}`].sort());
  await context.close();
});

test("an answer from another identity provider is refused (mix-up), and nobody is signed in", async ({ page }) => {
  // The browser is sent to another provider that registers the same client; its code comes back.
  await page.route(`${idp}/auth?*`, (route) =>
    route.fulfill({ status: 302, headers: { location: route.request().url().replace(idp, otherIdp) } }),
  );
  await signInThroughProvider(page, newEmail("mixup"), "Wrong Issuer");
  await expect(page).toHaveURL(/\/signin\?(.*&)?error=OAuthCallback/);
  await expect(page.getByRole("main").getByRole("alert")).toContainText("Single sign-on did not complete");
  await page.goto("/memos");
  await expect(page).toHaveURL(/\/signin/);
});

test("an authorization code that expired on the way back is refused with a message", async ({ page }) => {
  // The provider gives "slow-" people a code that lives one second and sends it back late.
  await signInThroughProvider(page, newEmail("slow"), "Slow Connection");
  await expect(page).toHaveURL(/\/signin\?(.*&)?error=OAuthCallback/);
  await expect(page.getByRole("main").getByRole("alert")).toContainText("had expired");
  await page.goto("/memos");
  await expect(page).toHaveURL(/\/signin/);

  // Trying again at a normal pace works (as someone the provider has not signed in yet).
  await page.context().clearCookies({ domain: "127.0.0.1" });
  await signInThroughProvider(page, newEmail("prompt"), "Prompt Connection");
  await expect(page).toHaveURL(/\/memos$/);
});

test("an email the provider does not vouch for signs nobody in", async ({ page }) => {
  // The provider leaves email_verified out for "unverified-" emails.
  await signInThroughProvider(page, newEmail("unverified"), "Someone Else");
  await expect(page).toHaveURL(/\/signin\?(.*&)?error=OidcUnverifiedEmail/);
  await expect(page.getByRole("main").getByRole("alert")).toContainText("does not say your email address is verified");
  await page.goto("/memos");
  await expect(page).toHaveURL(/\/signin/);
});

test("signing in through the provider takes over a password account of that email: its password and sessions end", async ({
  browser,
  page,
}) => {
  // Someone signed up with this address and a password before single sign-on was set up.
  const holder = await createAnalyst(page.request, "Early Sign-up");
  await signIn(page, holder);
  const memoId = await createMemoVia(page, { from: "blank", title: "Written before sign-on" });

  const context = await browser.newContext();
  const owner = await context.newPage();
  await signInThroughProvider(owner, holder.email, "Address Owner");
  await expect(owner).toHaveURL(/\/memos$/);
  await expect(owner.getByRole("link", { name: "Written before sign-on" })).toBeVisible();

  // The earlier browser is signed out, and the password no longer opens the account.
  await page.goto(`/memos/${memoId}`);
  await expect(page).toHaveURL(/\/signin/);
  await page.getByLabel("Email").fill(holder.email);
  await page.getByLabel("Password").fill(holder.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Email or password is incorrect.");
  await context.close();
});
