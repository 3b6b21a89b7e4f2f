import { mkdirSync } from "node:fs";
import type { Locator } from "@playwright/test";
import { createAnalyst, createMemoVia, editorOf, expect, signedInPage, signIn, test } from "./fixtures";

// Each paragraph of a memo reads in the direction of its own first letter (dir="auto" on text
// blocks, common/editor/memoExtensions.ts): an Arabic paragraph right-aligned and right to left, an
// English one left to right, in the same memo; the title and details fields likewise. A colleague's
// caret inside the Arabic paragraph still shows there. Leaves e2e/artifacts/text-direction.png.

const ARABIC = "قالت الوزارة إن المحادثات ستستأنف يوم الاثنين 🎉";
const ENGLISH = "The ministry said مرحبا بالعالم today.";

/** Computed direction and alignment of an element, and where its text sits inside it. */
async function layoutOf(element: Locator) {
  return element.evaluate((node) => {
    const style = getComputedStyle(node);
    const range = document.createRange();
    range.selectNodeContents(node);
    const text = range.getBoundingClientRect();
    const box = node.getBoundingClientRect();
    return {
      direction: style.direction,
      textAlign: style.textAlign,
      gapLeft: text.left - box.left,
      gapRight: box.right - text.right,
    };
  });
}

test("an Arabic paragraph reads right to left and an English one left to right, in one memo", async ({
  page,
  analyst,
  request,
}) => {
  await signIn(page, analyst);
  const memoId = await createMemoVia(page, { from: "source", title: "Direction", source: "Opening line." });
  await page.goto(`/memos/${memoId}`);
  await expect(page.getByTestId("connection-status")).toHaveText("Live");

  await editorOf(page).click();
  await page.keyboard.press("Control+End");
  await page.keyboard.press("Enter");
  await page.keyboard.type(ARABIC);
  await page.keyboard.press("Enter");
  await page.keyboard.type(ENGLISH);

  const arabic = editorOf(page).locator("p", { hasText: "قالت الوزارة" });
  const english = editorOf(page).locator("p", { hasText: "The ministry said" });
  await expect(arabic).toHaveAttribute("dir", "auto");
  const rtl = await layoutOf(arabic);
  const ltr = await layoutOf(english);
  expect(rtl.direction).toBe("rtl");
  expect(ltr.direction).toBe("ltr");
  // text-align is `start`, which is the right for a right-to-left paragraph: the text ends on the right.
  expect([rtl.textAlign, ltr.textAlign]).toEqual(["start", "start"]);
  expect(rtl.gapRight).toBeLessThan(2);
  expect(rtl.gapLeft).toBeGreaterThan(100);
  expect(ltr.gapLeft).toBeLessThan(2);
  expect(ltr.gapRight).toBeGreaterThan(100);

  // The title and the details take their direction from what is typed in them.
  await page.getByLabel("Memo title").fill("مذكرة حول المحادثات");
  await page.getByLabel("To", { exact: true }).fill("السفير");
  await page.getByLabel("From", { exact: true }).fill("Political Section");
  expect(await page.getByLabel("Memo title").evaluate((node) => getComputedStyle(node).direction)).toBe("rtl");
  expect(await page.getByLabel("To", { exact: true }).evaluate((node) => getComputedStyle(node).direction)).toBe("rtl");
  expect(await page.getByLabel("From", { exact: true }).evaluate((node) => getComputedStyle(node).direction)).toBe(
    "ltr",
  );

  // A colleague's caret at the end of the Arabic paragraph is drawn inside that paragraph.
  const colleague = await createAnalyst(request, "Rania Colleague");
  const share = await page.request.post(`/api/memos/${memoId}/sharing`, {
    data: { email: colleague.email, role: "editor" },
  });
  expect(share.ok()).toBe(true);
  const other = await signedInPage(page.context().browser()!, colleague);
  await other.goto(`/memos/${memoId}`);
  await expect(other.getByTestId("connection-status")).toHaveText("Live");
  await editorOf(other).locator("p", { hasText: "قالت الوزارة" }).click();
  await other.keyboard.press("End");
  const caret = page.locator(".presence-caret", {
    has: page.locator(".presence-caret-label", { hasText: "Rania Colleague" }),
  });
  await expect(caret).toBeVisible();
  const caretBox = (await caret.boundingBox())!;
  const paragraphBox = (await arabic.boundingBox())!;
  expect(caretBox.y).toBeGreaterThanOrEqual(paragraphBox.y - 4);
  expect(caretBox.y).toBeLessThan(paragraphBox.y + paragraphBox.height);
  // End of a right-to-left line is its left end.
  expect(caretBox.x).toBeLessThan(paragraphBox.x + paragraphBox.width / 2);

  mkdirSync("e2e/artifacts", { recursive: true });
  await page.screenshot({ path: "e2e/artifacts/text-direction.png" });
  await other.context().close();
});

test("a list whose first item is Arabic has its markers on the right, and follows its text", async ({
  page,
  analyst,
}) => {
  await signIn(page, analyst);
  const memoId = await createMemoVia(page, {
    from: "source",
    title: "Lists",
    source:
      "Opening line.\n- بند أول في القائمة\n- بند ثان\nBackground paragraph in English.\n- First English item.\n- Second item.",
  });
  await page.goto(`/memos/${memoId}`);
  const lists = editorOf(page).locator("ul");
  await expect(lists).toHaveCount(2);
  const sides = (list: Locator) =>
    list.evaluate((node) => {
      const style = getComputedStyle(node);
      return {
        direction: style.direction,
        paddingLeft: parseFloat(style.paddingLeft),
        paddingRight: parseFloat(style.paddingRight),
      };
    });
  await expect.poll(async () => (await sides(lists.nth(0))).direction).toBe("rtl");
  const arabic = await sides(lists.nth(0));
  expect(arabic.paddingRight).toBeGreaterThan(10);
  expect(arabic.paddingLeft).toBe(0);
  const english = await sides(lists.nth(1));
  expect(english.direction).toBe("ltr");
  expect(english.paddingLeft).toBeGreaterThan(10);

  // It follows the text: an English first item turns the list left to right.
  await editorOf(page).getByText("بند أول في القائمة").click();
  await page.keyboard.press("Home");
  await page.keyboard.type("Now English first: ");
  await expect.poll(async () => (await sides(lists.nth(0))).direction).toBe("ltr");
  await expect(lists.nth(0)).not.toHaveAttribute("dir", "rtl");
  await page.screenshot({ path: "e2e/artifacts/text-direction-lists.png" });
});
