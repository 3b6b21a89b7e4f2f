// Small client for the memo routes: every failure becomes an Error with a message to show.

type ErrorBody = { error?: { message?: string } };

async function call<T>(input: string, init: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(input, init);
  } catch {
    throw new Error("Could not reach the server. Check your connection and try again.");
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as ErrorBody | null;
    throw new Error(body?.error?.message ?? `The server answered ${response.status}. Try again.`);
  }
  return (response.status === 204 ? undefined : await response.json()) as T;
}

const json = (body: unknown): RequestInit => ({
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

export type CreateMemoRequest =
  | { from: "blank"; title?: string }
  | { from: "source"; title?: string; source: string }
  | { from: "sample" };

export const memoApi = {
  create: (request: CreateMemoRequest) =>
    call<{ memo: { id: string } }>("/api/memos", { method: "POST", ...json(request) }),
  importFile: (file: File, title?: string) =>
    call<{ memo: { id: string } }>(`/api/memos/import${title ? `?title=${encodeURIComponent(title)}` : ""}`, {
      method: "POST",
      headers: { "content-type": file.type || "application/octet-stream" },
      body: file,
    }),
  rename: (id: string, title: string) => call<{ ok: true }>(`/api/memos/${id}`, { method: "PATCH", ...json({ title }) }),
  remove: (id: string) => call<void>(`/api/memos/${id}`, { method: "DELETE" }),
};
