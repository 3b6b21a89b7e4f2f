import { NextResponse } from "next/server";
import { requireUserForRoute } from "@/app/_auth/session";
import { handleRoute } from "@/app/_http/routeHandler";
import { searchSql } from "@/server/db";
import { parseSearchPage, searchMemos } from "@/server/search/searchMemos";
import { parseSearchQuery } from "@/server/search/searchQuery";

/** `?q=…&limit=…&offset=…`: the memos the signed-in user may open that match, best first. */
export function GET(request: Request) {
  return handleRoute(request, async () => {
    const user = await requireUserForRoute();
    const params = new URL(request.url).searchParams;
    const query = parseSearchQuery(params.get("q") ?? "");
    const page = parseSearchPage(params.get("limit"), params.get("offset"));
    return NextResponse.json(await searchMemos(searchSql(), user.id, query, page), {
      headers: { "cache-control": "private, no-store" },
    });
  });
}
