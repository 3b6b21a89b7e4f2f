import * as Y from "yjs";
import { craftedClient } from "./craftedClient";
import {
  createAnalyst,
  createMemoVia,
  editorOf,
  expect,
  signedInPage,
  test,
  typeAtEnd,
  type Analyst,
} from "./fixtures";
import type { Page } from "@playwright/test";

// A member with a crafted client instead of our browser, trying to freeze, hide or destroy
// colleagues' text. Two colleagues in real browsers keep co-editing, and nothing they saw saved is
// lost, in the editor or in what the server stores and exports.

async function share(owner: Page, memoId: string, analyst: Analyst, role: "editor" | "viewer"): Promise<void> {
  const response = await owner.request.post(`/api/memos/${memoId}/sharing`, { data: { email: analyst.email, role } });
  expect(response.status()).toBe(201);
}

/** Each colleague types, and the other sees it live; both are told it is saved. */
async function expectLiveCoEditing(first: Page, second: Page, tag: string): Promise<void> {
  await typeAtEnd(first, ` First ${tag}.`);
  await expect(editorOf(second)).toContainText(`First ${tag}.`, { timeout: 5_000 });
  await typeAtEnd(second, ` Second ${tag}.`);
  await expect(editorOf(first)).toContainText(`Second ${tag}.`, { timeout: 5_000 });
  await expect(first.getByTestId("save-status")).toHaveText("Saved");
  await expect(second.getByTestId("save-status")).toHaveText("Saved");
}

/** The memo's text as shown, without the colleagues' caret labels drawn into it. */
function textWithoutCarets(page: Page): Promise<string> {
  return editorOf(page).evaluate((editor) => {
    const copy = editor.cloneNode(true) as HTMLElement;
    for (const caret of copy.querySelectorAll(".presence-caret")) caret.remove();
    return copy.textContent ?? "";
  });
}

/** The memo as the server stores it, through its Markdown export. */
async function storedMarkdown(page: Page, memoId: string): Promise<string> {
  const response = await page.request.get(`/api/memos/${memoId}/export?format=md`);
  expect(response.status()).toBe(200);
  return response.text();
}

/** The close code, or "still open" if the server has not closed the connection within `seconds`. */
const withinSeconds = (closed: Promise<number>, seconds: number) =>
  Promise.race([closed, new Promise<string>((resolve) => setTimeout(() => resolve("still open"), seconds * 1000))]);

const position = (client: number, clock: number) => ({ type: null, tname: null, item: { client, clock }, assoc: 0 });

/** Presence states that made y-tiptap's caret plugin throw in every other browser, and others we never send. */
const MALFORMED_PRESENCE: unknown[] = [
  { cursor: { anchor: {}, head: {} } },
  { cursor: { anchor: "0", head: "0" } },
  { cursor: { anchor: position(1, 0), head: 7 } },
  { cursor: { anchor: { tname: "elsewhere" }, head: { tname: "elsewhere" } } },
  { activity: "active", cursor: null, onload: "alert(1)" },
];

test("a viewer's or an editor's malformed presence closes only their connection; colleagues keep co-editing", async ({
  browser,
  request,
}) => {
  const [owner, colleague, viewer] = await Promise.all([
    createAnalyst(request, "Olga Owner"),
    createAnalyst(request, "Emil Editor"),
    createAnalyst(request, "Vera Viewer"),
  ]);
  const first = await signedInPage(browser, owner);
  const memoId = await createMemoVia(first, {
    from: "source",
    title: "Presence under attack",
    source: "Background\nThe talks resume on Monday.",
  });
  await share(first, memoId, colleague, "editor");
  await share(first, memoId, viewer, "viewer");
  const second = await signedInPage(browser, colleague);
  const hostile = await signedInPage(browser, viewer);
  await Promise.all([first.goto(`/memos/${memoId}`), second.goto(`/memos/${memoId}`)]);
  await expect(editorOf(first)).toContainText("The talks resume on Monday.");
  await expect(editorOf(second)).toContainText("The talks resume on Monday.");
  await expectLiveCoEditing(first, second, "before");
  // Both carets are in the memo: the caret plugin draws the other's, and would draw the attacker's.
  await expect(first.locator(".presence-caret-label")).toHaveText(colleague.name);

  // Each state from a connection of its own, left open: what colleagues see does not depend on
  // the server closing it.
  const attempts: { name: string; closed: Promise<number> }[] = [];
  for (const [attacker, page] of [
    ["viewer", hostile],
    ["editor", second],
  ] as const) {
    for (const [index, state] of MALFORMED_PRESENCE.entries()) {
      const crafted = await craftedClient(page, memoId);
      await crafted.synced;
      crafted.sendPresence(700_000 + attempts.length, 1, state);
      attempts.push({ name: `${attacker}: ${JSON.stringify(state)} (${index})`, closed: crafted.closed });
    }
  }

  await expectLiveCoEditing(first, second, "after");
  for (const { name, closed } of attempts) expect(await withinSeconds(closed, 5), name).toBe(1008);
  await expect(first.locator(".presence-caret-label")).toHaveText(colleague.name);
  await second.reload();
  await expect
    .poll(() => textWithoutCarets(second))
    .toContain("First before. Second before. First after. Second after.");
  expect(await storedMarkdown(first, memoId)).toContain("First before. Second before. First after. Second after.");
  for (const page of [first, second, hostile]) await page.context().close();
});

test("an editor's structurally invalid updates are refused, and an honest editor opening the memo afterwards loses nothing", async ({
  browser,
  request,
}) => {
  const [owner, attacker] = await Promise.all([
    createAnalyst(request, "Olga Owner"),
    createAnalyst(request, "Mallory Editor"),
  ]);
  const first = await signedInPage(browser, owner);
  const memoId = await createMemoVia(first, {
    from: "source",
    title: "Structure under attack",
    source: "Background\nOlga's paragraph stays.\nA second paragraph.",
  });
  await share(first, memoId, attacker, "editor");
  const hostile = await signedInPage(browser, attacker);
  await hostile.goto("/memos");

  const blocks = (doc: Y.Doc) => doc.getXmlFragment("default");
  const paragraphWith = (doc: Y.Doc, text: string) =>
    blocks(doc)
      .toArray()
      .find((block) => block.toString().includes(text)) as Y.XmlElement;
  const attempts: [string, (doc: Y.Doc) => void][] = [
    [
      "a paragraph inside Olga's paragraph",
      (doc) => paragraphWith(doc, "Olga").insert(0, [new Y.XmlElement("paragraph")]),
    ],
    ["an element named text inside it", (doc) => paragraphWith(doc, "Olga").insert(0, [new Y.XmlElement("text")])],
    ["text directly under the root", (doc) => blocks(doc).insert(0, [new Y.XmlText("wipe")])],
    ["a list item at the root", (doc) => blocks(doc).insert(0, [new Y.XmlElement("listItem")])],
    ["a heading of level 99", (doc) => (blocks(doc).get(0) as Y.XmlElement).setAttribute("level", 99 as never)],
    [
      "a NUL character",
      (doc) =>
        (
          paragraphWith(doc, "Olga")
            .toArray()
            .find((child) => child instanceof Y.XmlText) as Y.XmlText
        ).insert(0, "\u0000"),
    ],
  ];
  const sent: { name: string; closed: Promise<number> }[] = [];
  for (const [name, edit] of attempts) {
    const crafted = await craftedClient(hostile, memoId);
    await crafted.synced;
    crafted.sendEdit(edit);
    sent.push({ name, closed: crafted.closed });
  }

  await first.goto(`/memos/${memoId}`);
  await expect(editorOf(first)).toContainText("Olga's paragraph stays.");
  await expect(editorOf(first).locator("p", { hasText: "Olga" })).toHaveText("Olga's paragraph stays.");
  await typeAtEnd(first, " Typed after the attempts.");
  await expect(first.getByTestId("save-status")).toHaveText("Saved");
  await first.reload();
  await expect(editorOf(first)).toContainText("Olga's paragraph stays.");
  await expect(editorOf(first)).toContainText("A second paragraph. Typed after the attempts.");
  const markdown = await storedMarkdown(first, memoId);
  expect(markdown).toContain("Olga's paragraph stays.");
  expect(markdown).toContain("A second paragraph. Typed after the attempts.");
  expect(markdown).not.toContain("wipe");
  for (const format of ["pdf", "docx"])
    expect((await first.request.get(`/api/memos/${memoId}/export?format=${format}`)).status()).toBe(200);
  for (const { name, closed } of sent) expect(await withinSeconds(closed, 5), name).toBe(1008);
  for (const page of [first, hostile]) await page.context().close();
});
