import type { Db } from "../db";
import { attachmentDisposition } from "../export/exportFileName";
import type { ExportedFile } from "../export/exportMemo";
import { authorizeMemo } from "../memos/memoAccess";
import { readMemoMetadata } from "../memos/memoMetadata";
import { parseInput } from "../validation/parseInput";
import { runHeavyTask } from "../workers/heavyWork";
import { compareVersions, type VersionComparison } from "./versionQueries";
import type { JSONContent } from "../../common/editor/memoDocument";
import { CONTENT_TYPES } from "../../common/export/exportFormats";
import { SUGGESTED_DELETION, SUGGESTED_INSERTION } from "../../common/suggestions/suggestionMarks";
import { z } from "zod";

// A redline of any two versions: the older version's text with what the newer one adds and
// removes as tracked changes, in Word (w:ins/w:del, which Word's review pane accepts or rejects)
// or as a PDF with the changes marked. Built from the word-level comparison of the two versions
// (versionQueries.compareVersions, who wrote each addition included) as a memo body whose changes
// are suggestions, and rendered as the review copy of an export (server/export), in a worker.
// Paragraphs are those of the comparison's text; headings and lists print as paragraphs, and a
// paragraph the newer version adds or removes is a tracked change of its text, not of its mark.

const redlineInput = z.object({
  format: z.enum(["docx", "pdf"], { error: "Choose a redline format: docx or pdf." }),
});

/** The comparison as a memo body with its changes as suggestions, and who made them, by key. */
export function redlineBody(comparison: VersionComparison): { body: JSONContent; people: Record<string, string> } {
  const people: Record<string, string> = {};
  const time = new Date(comparison.to.createdAt).getTime();
  const personKey = (name: string) => {
    const key = `person-${Object.keys(people).length}`;
    const found = Object.entries(people).find(([, known]) => known === name);
    if (found) return found[0];
    people[key] = name;
    return key;
  };
  const remover = `Version ${comparison.to.number}`;
  const paragraphs: JSONContent[][] = [[]];
  comparison.parts.forEach((part, index) => {
    const mark =
      part.kind === "same"
        ? undefined
        : {
            type: part.kind === "added" ? SUGGESTED_INSERTION : SUGGESTED_DELETION,
            attrs: {
              id: `redline${String(index).padStart(8, "0")}`,
              author: personKey(part.kind === "added" ? (part.authors ?? []).join(", ") || remover : remover),
              time,
              split: null,
            },
          };
    part.text.split("\n\n").forEach((block, blockIndex) => {
      if (blockIndex > 0) paragraphs.push([]);
      block.split("\n").forEach((line, lineIndex) => {
        const paragraph = paragraphs[paragraphs.length - 1];
        if (lineIndex > 0) paragraph.push({ type: "hardBreak", ...(mark ? { marks: [mark] } : {}) });
        if (line) paragraph.push({ type: "text", text: line, ...(mark ? { marks: [mark] } : {}) });
      });
    });
  });
  return {
    body: {
      type: "doc",
      content: paragraphs.map((content) => ({ type: "paragraph", ...(content.length ? { content } : {}) })),
    },
    people,
  };
}

/** Downloads the redline of two versions of a memo the user may export (ids checked after authorization). */
export async function exportRedline(
  db: Db,
  userId: string,
  memoId: string,
  request: { from: unknown; to: unknown; format: unknown },
  options: { markings: readonly string[]; now?: Date },
): Promise<ExportedFile> {
  const memo = await authorizeMemo(db, userId, memoId, "export");
  const { format } = parseInput(redlineInput, { format: request.format });
  const comparison = await compareVersions(db, userId, memoId, request.from, request.to);
  const { body, people } = redlineBody(comparison);
  const metadata = await readMemoMetadata(db, memoId, options.markings);
  const exportedAt = options.now ?? new Date();
  const title = `${memo.title} — changes from version ${comparison.from.number} to ${comparison.to.number}`;
  const bytes = await runHeavyTask("renderRedline", {
    format,
    source: { title, metadata, body, exportedAt: exportedAt.toISOString(), people },
  });
  const fileTitle = `${memo.title} redline v${comparison.from.number}-v${comparison.to.number}`;
  return {
    bytes,
    contentType: CONTENT_TYPES[format],
    contentDisposition: attachmentDisposition(fileTitle, exportedAt.toISOString().slice(0, 10), format),
  };
}
