import type { MemoRole } from "@/server/sharing/memoPermissions";
import { callApi, jsonRequest, type Jsonified } from "@/components/api/callApi";
import type { AuditEntry, MemoPerson, MemoSharing } from "@/server/sharing/sharingQueries";

// Client for the sharing routes; failures become Errors with a message to show.

/** A person with access, as the browser receives it. */
export type SharingPerson = Jsonified<MemoPerson>;
/** Who has access, as the browser receives it. */
export type Sharing = Jsonified<MemoSharing>;
/** A pending invitation. */
export type SharingInvite = NonNullable<Sharing["invites"]>[number];
/** One line of the sharing audit log. */
export type AuditEvent = Jsonified<AuditEntry>;

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
