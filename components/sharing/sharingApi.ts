import type { MemoRole } from "@/server/sharing/memoPermissions";

// Client for the sharing routes; failures become Errors with a message to show.

export type SharingPerson = { userId: string; name: string; email: string; role: MemoRole; invitedByName: string | null; since: string };
export type SharingInvite = { id: string; email: string; role: MemoRole; invitedByName: string; createdAt: string };
export type Sharing = { yourRole: MemoRole; people: SharingPerson[]; invites: SharingInvite[] | null };
export type AuditEvent = {
  id: string;
  action: string;
  actorName: string | null;
  targetName: string | null;
  targetEmail: string | null;
  fromRole: MemoRole | null;
  toRole: MemoRole | null;
  createdAt: string;
};

async function call<T>(input: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(input, { cache: "no-store", ...init });
  } catch {
    throw new Error("Could not reach the server. Check your connection and try again.");
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `The server answered ${response.status}. Try again.`);
  }
  return (response.status === 204 ? undefined : await response.json()) as T;
}

const json = (method: string, body: unknown): RequestInit => ({ method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

export function sharingApi(memoId: string) {
  const base = `/api/memos/${memoId}/sharing`;
  return {
    load: () => call<Sharing>(base),
    audit: () => call<{ events: AuditEvent[] }>(`${base}/audit`),
    invite: (email: string, role: MemoRole) => call<{ kind: "member" | "pending" }>(base, json("POST", { email, role })),
    changeRole: (userId: string, role: MemoRole) => call(`${base}/members/${userId}`, json("PATCH", { role })),
    remove: (userId: string) => call(`${base}/members/${userId}`, { method: "DELETE" }),
    revoke: (inviteId: string) => call(`${base}/invites/${inviteId}`, { method: "DELETE" }),
    transfer: (userId: string) => call(`${base}/owner`, json("POST", { userId })),
  };
}
