import { ROLE_LABELS } from "@/common/sharing/memoPermissions";
import type { AuditEvent } from "./sharingApi";

const role = (value: AuditEvent["toRole"]) => (value ? ROLE_LABELS[value].toLowerCase() : "");

/** "Olga invited carl@example.org as editor", for the sharing panel's activity list. */
export function auditSentence(event: AuditEvent): string {
  const actor = event.actorName ?? "Someone";
  const target = event.targetName ?? event.targetEmail ?? "someone";
  switch (event.action) {
    case "invited":
      return `${actor} invited ${target} as ${role(event.toRole)}`;
    case "invite_revoked":
      return `${actor} cancelled the invitation of ${target}`;
    case "invite_accepted":
      return `${target} joined as ${role(event.toRole)}`;
    case "role_changed":
      return `${actor} changed ${target} from ${role(event.fromRole)} to ${role(event.toRole)}`;
    case "removed":
      return `${actor} removed ${target}`;
    case "left":
      return `${target} left the memo`;
    case "ownership_transferred":
      return `${actor} made ${target} the owner`;
    default:
      return `${actor}: ${event.action}`;
  }
}
