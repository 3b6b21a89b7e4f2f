import { z } from "zod";
import { emailAddress } from "../accounts/accountInput";
import { MEMBER_ROLES } from "../../common/sharing/memoPermissions";

// What sharing requests may carry. Checked with parseInput once the actor is authorized
// (sharingCommands.ts), so someone who may not share learns nothing from a malformed request.

/** A role the owner can give; "owner" is handed over, not given (ownerChangeInput). */
const memberRole = z.enum(MEMBER_ROLES, { message: "Choose a role: editor, commenter or viewer." });

/** An invitation: { email, role }. */
export const inviteInput = z.object({ email: emailAddress, role: memberRole });

/** A change of a member's role: { role }. */
export const roleChangeInput = z.object({ role: memberRole });

/** A handover of the memo: { userId } of the member who becomes its owner. */
export const ownerChangeInput = z.object({ userId: z.string({ error: "Choose the member who becomes the owner." }) });
