// Who may do what with a memo: the one table every path consults (pages, routes, the WebSocket,
// history, exports). The UI reads it too, to hide what the server would refuse anyway.

/** A user's role in a memo. The owner is Memo.ownerId; members hold the other three. */
export type MemoRole = "owner" | "editor" | "commenter" | "viewer";

export const MEMO_ROLES: readonly MemoRole[] = ["owner", "editor", "commenter", "viewer"];

/** Roles the owner can give a colleague. */
export const MEMBER_ROLES = ["editor", "commenter", "viewer"] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** Everything one can do with a memo. */
export type MemoAction =
  | "open"
  | "edit"
  | "suggest"
  | "decideSuggestions"
  | "comment"
  | "deleteAnyComment"
  | "rename"
  | "delete"
  | "viewSharing"
  | "manageSharing"
  | "viewAudit"
  | "export"
  | "editMetadata"
  | "viewHistory"
  | "manageVersions";

const EVERYONE: MemoRole[] = ["owner", "editor", "commenter", "viewer"];
const WRITERS: MemoRole[] = ["owner", "editor"];

const ALLOWED: Record<MemoAction, readonly MemoRole[]> = {
  open: EVERYONE,
  edit: WRITERS,
  /** Commenters suggest (as in Google Docs); the server lets their updates carry nothing else. */
  suggest: ["owner", "editor", "commenter"],
  decideSuggestions: WRITERS,
  comment: ["owner", "editor", "commenter"],
  /** Authors delete their own comments with "comment"; this is deleting someone else's. */
  deleteAnyComment: ["owner"],
  rename: WRITERS,
  delete: ["owner"],
  viewSharing: EVERYONE,
  manageSharing: ["owner"],
  viewAudit: ["owner"],
  export: EVERYONE,
  editMetadata: WRITERS,
  viewHistory: EVERYONE,
  manageVersions: WRITERS,
};

/** Whether `role` may perform `action`. */
export function roleAllows(role: MemoRole, action: MemoAction): boolean {
  return ALLOWED[action].includes(role);
}

/** Human labels, for the UI and messages. */
export const ROLE_LABELS: Record<MemoRole, string> = {
  owner: "Owner",
  editor: "Editor",
  commenter: "Commenter",
  viewer: "Viewer",
};
