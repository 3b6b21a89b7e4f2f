import { NextResponse } from "next/server";
import { requireUserForRoute } from "@/app/_auth/session";
import { handleRoute, readJsonBody } from "@/app/_http/routeHandler";
import { db } from "@/server/db";
import { loadEnv } from "@/server/env";
import { invalidInput } from "@/server/errors";
import { formatBytes } from "@/server/import/decodeSourceText";
import { readSampleSource, SAMPLE_SOURCE } from "@/server/import/sampleSource";
import { createMemo, importMemo } from "@/server/memos/memoCommands";
import { createMemoInput } from "@/server/memos/memoInput";
import { listMemos } from "@/server/memos/memoQueries";
import { parseInput } from "@/server/validation/parseInput";

/** The signed-in user's memos, newest first. */
export function GET(request: Request) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    return NextResponse.json({ memos: await listMemos(db(), user.id) });
  });
}

/** Creates a memo: blank, from a pasted source text, or from the sample source. */
export function POST(request: Request) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const maxBytes = loadEnv().IMPORT_MAX_BYTES;
    // JSON escaping can triple a text's size; the source itself is checked against maxBytes below.
    const body = await readJsonBody(request, maxBytes * 3 + 64 * 1024).catch((error: unknown) => {
      throw (error as { code?: string }).code === "too_large"
        ? invalidInput(`The source is larger than ${formatBytes(maxBytes)}. Split it into several memos.`)
        : error;
    });
    // Any signed-in user may create a memo: there is nothing to authorize before the input.
    const input = parseInput(createMemoInput, body);
    let id: string;
    if (input.from === "blank") {
      id = await createMemo(db(), { ownerId: user.id, title: input.title?.trim() || "Untitled memo" });
    } else if (input.from === "source") {
      id = await importMemo({ ownerId: user.id, source: input.source, title: input.title, maxBytes });
    } else {
      const source = await readSampleSource();
      id = await importMemo({ ownerId: user.id, source, title: SAMPLE_SOURCE.title, maxBytes });
    }
    return NextResponse.json({ memo: { id } }, { status: 201 });
  });
}
