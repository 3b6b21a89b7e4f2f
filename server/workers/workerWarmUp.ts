import * as Y from "yjs";
import type { JSONContent } from "../../common/editor/memoDocument";
import { ydocFromMemoJson } from "../../common/editor/memoDocument";
import type { ExportFormat } from "../../common/export/exportFormats";
import { renderStoredMemo } from "../export/renderStoredMemo";
import type { MemoMetadata } from "../memos/memoMetadata";

// A new document worker's first export is slow: V8 has compiled none of pdfkit, fontkit, docx
// and Yjs yet, and a 10,000-item PDF took 2.5 s on a fresh thread against 1.6 s on a warm one
// (bench/README.md, Documents). Threads are new often: at start, after 30 s idle, and after every
// task that grew the heap past the recycling size. A thread that replaces another (no task waits
// for it: the old one serves until it is ready) first renders a small sample memo a few times in
// each format (heavyTasks.ts), which costs it about half a second.

/** One warm-up step: one render of the sample. */
export type WarmUpStep = () => Promise<void>;

const ITEMS = 40;

const text = (value: string, marks?: JSONContent["marks"]): JSONContent => ({ type: "text", text: value, marks });
const paragraph = (...content: JSONContent[]): JSONContent => ({ type: "paragraph", content });

/** A memo with what real ones hold: headings, formatted text and a link, lists, a quote, digits. */
export function sampleMemo(): JSONContent {
  const items = (prefix: string) =>
    Array.from({ length: ITEMS }, (_, index) => ({
      type: "listItem",
      content: [paragraph(text(`${prefix} ${index + 1}: ${(index * 7919) % 10007} tonnes in ${2000 + index}`))],
    }));
  return {
    type: "doc",
    content: [
      { type: "heading", attrs: { level: 2 }, content: [text("Bottom line")] },
      paragraph(
        text("Exports rose "),
        text("sharply", [{ type: "bold" }]),
        text(" in the "),
        text("third quarter", [{ type: "italic" }]),
        text(", as "),
        text("the ministry reported", [{ type: "link", attrs: { href: "https://example.org/report" } }]),
        text("."),
      ),
      { type: "bulletList", content: items("Item") },
      { type: "orderedList", content: items("Step") },
      { type: "blockquote", content: [paragraph(text("A quoted passage, as a source put it."))] },
    ],
  };
}

const METADATA: MemoMetadata = {
  to: "The Director",
  from: "Policy Planning",
  date: "2026-01-15",
  subject: "Warm-up",
  distribution: ["Desk"],
  marking: "UNCLASSIFIED",
  language: null,
};

/** The steps: the sample rendered in every format a few times over (V8 optimizes what runs often). */
export function exportWarmUp(rounds = 3): WarmUpStep[] {
  const state = Buffer.from(Y.encodeStateAsUpdate(ydocFromMemoJson(sampleMemo()))).toString("base64");
  const formats: ExportFormat[] = ["pdf", "docx", "md"];
  return Array.from({ length: rounds }, () =>
    formats.map((format) => async () => {
      await renderStoredMemo({
        format,
        title: "Warm-up",
        metadata: METADATA,
        exportedAt: new Date().toISOString(),
        state,
        log: null,
      });
    }),
  ).flat();
}
