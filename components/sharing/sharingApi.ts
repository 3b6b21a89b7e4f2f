import type { MemoRole } from "@/server/sharing/memoPermissions";
import { callApi, jsonRequest } from "@/components/api/callApi";

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


export function sharingApi(memoId: string) {
  const base = `/api/memos/${memoId}/sharing`;
  return {
    load: () => callApi<Sharing>(base),
    audit: () => callApi<{ events: AuditEvent[] }>(`${base}/audit`),
    invite: (email: string, role: MemoRole) => callApi<{ kind: "member" | "pending" }>(base, jsonRequest("POST", { email, role })),
    changeRole: (userId: string, role: MemoRole) => callApi(`${base}/members/${userId}`, jsonRequest("PATCH", { role })),
    remove: (userId: string) => callApi(`${base}/members/${userId}`, { method: "DELETE" }),
    revoke: (inviteId: string) => callApi(`${base}/invites/${inviteId}`, { method: "DELETE" }),
    transfer: (userId: string) => callApi(`${base}/owner`, jsonRequest("POST", { userId })),
  };
}
