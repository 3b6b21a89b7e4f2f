import type { z } from "zod";
import { callApi, jsonRequest, type Jsonified } from "@/components/api/callApi";
import type { inviteInput, ownerChangeInput, roleChangeInput } from "@/server/sharing/sharingInput";
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

// The bodies the sharing routes take, from the server's schemas (sharingInput.ts).
type InviteRequest = z.input<typeof inviteInput>;
type RoleChangeRequest = z.input<typeof roleChangeInput>;
type OwnerChangeRequest = z.input<typeof ownerChangeInput>;

export function sharingApi(memoId: string) {
  const base = `/api/memos/${memoId}/sharing`;
  return {
    load: () => callApi<Sharing>(base),
    audit: () => callApi<{ events: AuditEvent[] }>(`${base}/audit`),
    invite: (email: string, role: InviteRequest["role"]) =>
      callApi<{ kind: "member" | "pending" }>(base, jsonRequest("POST", { email, role } satisfies InviteRequest)),
    changeRole: (userId: string, role: RoleChangeRequest["role"]) =>
      callApi(`${base}/members/${userId}`, jsonRequest("PATCH", { role } satisfies RoleChangeRequest)),
    remove: (userId: string) => callApi(`${base}/members/${userId}`, { method: "DELETE" }),
    revoke: (inviteId: string) => callApi(`${base}/invites/${inviteId}`, { method: "DELETE" }),
    transfer: (userId: string) =>
      callApi(`${base}/owner`, jsonRequest("POST", { userId } satisfies OwnerChangeRequest)),
  };
}
