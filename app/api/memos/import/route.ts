import { NextResponse } from "next/server";
import { requireUserForRoute } from "@/app/_auth/session";
import { handleRoute, readBodyBytes } from "@/app/_http/routeHandler";
import { loadEnv } from "@/server/env";
import { decodeSourceText, formatBytes } from "@/server/import/decodeSourceText";
import { importMemo } from "@/server/memos/memoCommands";

/** Creates a memo from an uploaded text file (the raw file is the body; ?title= is optional). */
export function POST(request: Request) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const maxBytes = loadEnv().IMPORT_MAX_BYTES;
    const bytes = await readBodyBytes(
      request,
      maxBytes,
      `The source is larger than ${formatBytes(maxBytes)}. Split it into several memos.`,
    );
    const source = decodeSourceText(bytes, maxBytes);
    const title = new URL(request.url).searchParams.get("title") ?? undefined;
    const id = await importMemo({ ownerId: user.id, source, title, maxBytes });
    return NextResponse.json({ memo: { id } }, { status: 201 });
  });
}
