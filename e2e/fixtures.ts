import crypto from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test as base, expect, type APIRequestContext, type Browser, type Page } from "@playwright/test";

/** Credentials of an analyst. */
export type Analyst = { name: string; email: string; password: string };

/** The demo analysts the embedded default seeded (passwords are generated per data folder). */
export function demoAnalysts(): Analyst[] {
  return JSON.parse(readFileSync(path.join(process.env.E2E_DATA_DIR!, "demo-accounts.json"), "utf8")) as Analyst[];
}

/** Creates a fresh account through the sign-up API. */
export async function createAnalyst(request: APIRequestContext, name = "E2E Analyst"): Promise<Analyst> {
  const analyst = {
    name,
    email: `e2e-${crypto.randomBytes(6).toString("hex")}@example.org`,
    password: "e2e password 1234",
  };
  const response = await request.post("/api/accounts", { data: analyst });
  expect(response.status()).toBe(201);
  return analyst;
}

/** Signs in through the sign-in form. */
export async function signIn(page: Page, analyst: Analyst, expectedPath = /\/memos$/): Promise<void> {
  if (!page.url().includes("/signin")) await page.goto("/signin");
  await page.getByLabel("Email").fill(analyst.email);
  await page.getByLabel("Password").fill(analyst.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(expectedPath);
}

/** A new browser window (context) signed in as `analyst`. */
export async function signedInPage(browser: Browser, analyst: Analyst): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, analyst);
  return page;
}

/** Creates a memo through the API of a signed-in page and returns its id. */
export async function createMemoVia(page: Page, body: Record<string, unknown>): Promise<string> {
  const response = await page.request.post("/api/memos", { data: body });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { memo: { id: string } }).memo.id;
}

/** The editable memo text. */
export const editorOf = (page: Page) => page.getByTestId("memo-editor");

/** Places the caret at the very end of the memo and types. */
export async function typeAtEnd(page: Page, text: string): Promise<void> {
  await editorOf(page).click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type(text);
}

/** Selects `text` in the memo, as a mouse drag would (the editor reads the DOM selection). */
export async function selectText(page: Page, text: string): Promise<void> {
  await expect(editorOf(page)).toContainText(text);
  await page.evaluate((wanted) => {
    const root = document.querySelector<HTMLElement>('[data-testid="memo-editor"]')!;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent!.indexOf(wanted);
      if (at === -1) continue;
      root.focus();
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + wanted.length);
      window.getSelection()!.removeAllRanges();
      window.getSelection()!.addRange(range);
      return;
    }
    throw new Error(`"${wanted}" is not in the memo`);
  }, text);
  // The editor takes the DOM selection on the next "selectionchange" event; until then it still
  // holds the previous one (a loaded machine showed the last passage in the next composer).
  await expect
    .poll(() =>
      page.evaluate(() => {
        const root = document.querySelector('[data-testid="memo-editor"]') as
          | (HTMLElement & {
              editor?: {
                state: {
                  selection: { from: number; to: number };
                  doc: { textBetween(from: number, to: number): string };
                };
              };
            })
          | null;
        const state = root?.editor?.state;
        return state ? state.doc.textBetween(state.selection.from, state.selection.to) : null;
      }),
    )
    .toBe(text);
}

export const test = base.extend<{ analyst: Analyst }>({
  analyst: async ({ request }, use) => use(await createAnalyst(request)),
});

export { expect };
