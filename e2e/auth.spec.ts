import { execFileSync } from "node:child_process";
import { createAnalyst, createMemoVia, expect, signIn, test } from "./fixtures";

test("a new user signs up and lands on an empty memos page that says what to do", async ({ page }) => {
  await page.goto("/signup");
  await page.getByLabel("Full name").fill("Farah Siddiqui");
  await page.getByLabel("Work email").fill(`farah-${Date.now()}@example.org`);
  await page.getByLabel("Password").fill("a sturdy passphrase");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/memos$/);
  await expect(page.getByRole("heading", { name: "No memos yet" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Start a blank memo" })).toBeVisible();
  await expect(page.getByText("Farah Siddiqui")).toBeVisible();
});

test("sign-up explains what is wrong with the form", async ({ page }) => {
  await page.goto("/signup");
  await page.getByLabel("Full name").fill("Short Password");
  await page.getByLabel("Work email").fill(`short-${Date.now()}@example.org`);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Use at least 10 characters for your password.").first()).toBeVisible();
  // The field itself is marked, from the answer's details.issues; the others are not.
  await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Work email")).toHaveAttribute("aria-invalid", "false");
  await expect(page).toHaveURL(/\/signup$/);
});

test("signs in and out", async ({ page, analyst }) => {
  await signIn(page, analyst);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto("/memos");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fmemos/);
});

test("a wrong password gets a clear message that does not reveal whether the email exists", async ({
  page,
  analyst,
}) => {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(analyst.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  const alert = page.getByRole("main").getByRole("alert");
  await expect(alert).toHaveText("Email or password is incorrect.");

  await page.getByLabel("Email").fill(`nobody-${Date.now()}@example.org`);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(alert).toHaveText("Email or password is incorrect.");
  await expect(page).toHaveURL(/\/signin/);
});

test("repeated failures for one account from one address are throttled with a clear message, for seconds at first", async ({
  page,
  request,
}) => {
  const target = await createAnalyst(request, "Throttled Analyst");
  await page.goto("/signin");
  await page.getByLabel("Email").fill(target.email);
  // Three typos are free (server/accounts/signInThrottle.ts); the fourth failure waits 5 seconds.
  for (let attempt = 0; attempt < 4; attempt++) {
    await page.getByLabel("Password").fill(`wrong guess ${attempt}`);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeEnabled();
  }
  const alert = page.getByRole("main").getByRole("alert");
  await expect(alert).toHaveText("Too many failed sign-in attempts. Try again in 5 seconds.");
  await page.getByLabel("Password").fill(target.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(alert).toContainText("Too many failed sign-in attempts");
  await expect(page).toHaveURL(/\/signin/);
  // Once the wait is over, the right password signs in.
  await page.waitForTimeout(5_500);
  await page.getByLabel("Password").fill(target.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).not.toHaveURL(/\/signin/);
});

test("signed-out access to a memo redirects to sign-in, then back to the memo", async ({ browser, analyst }) => {
  const owner = await browser.newContext();
  const ownerPage = await owner.newPage();
  await signIn(ownerPage, analyst);
  const memoId = await createMemoVia(ownerPage, { from: "blank", title: "Return trip" });
  await owner.close();

  const anonymous = await browser.newContext();
  const page = await anonymous.newPage();
  await page.goto(`/memos/${memoId}`);
  await expect(page).toHaveURL(new RegExp(`/signin\\?callbackUrl=%2Fmemos%2F${memoId}`));
  await signIn(page, analyst, new RegExp(`/memos/${memoId}$`));
  await expect(page.getByLabel("Memo title")).toHaveValue("Return trip");
  await anonymous.close();
});

test("an operator's one-time link lets someone who forgot their password choose a new one", async ({
  page,
  analyst,
}) => {
  // `npm run accounts -- reset-password <email>`, beside the running server and its embedded database.
  const printed = execFileSync(
    process.execPath,
    ["--import", "tsx", "scripts/accounts.ts", "reset-password", analyst.email],
    {
      env: { ...process.env, DATA_DIR: process.env.E2E_DATA_DIR, PORT: process.env.E2E_PORT, LOG_LEVEL: "warn" },
      encoding: "utf8",
    },
  );
  const link = /(http:\/\/\S+\/reset-password\?token=[A-Za-z0-9_-]+)/u.exec(printed)?.[1];
  expect(link, printed).toBeDefined();

  await page.goto(link!);
  await page.getByLabel("New password", { exact: true }).fill("a new passphrase 2026");
  await page.getByLabel("New password again").fill("a different one");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("The two passwords differ.");
  await page.getByLabel("New password again").fill("a new passphrase 2026");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL(/\/signin\?notice=password-reset$/u);
  await expect(page.getByText("Your password was changed. Sign in with the new one.")).toBeVisible();
  await signIn(page, { ...analyst, password: "a new passphrase 2026" });

  // The link worked once.
  await page.context().clearCookies();
  await page.goto(link!);
  await page.getByLabel("New password", { exact: true }).fill("a third passphrase");
  await page.getByLabel("New password again").fill("a third passphrase");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText(
    "This reset link has expired or was already used.",
  );
});
