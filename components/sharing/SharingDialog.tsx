"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { Modal } from "@/components/memos/Modal";
import { RelativeTime } from "@/components/memos/RelativeTime";
import { MEMBER_ROLES, ROLE_LABELS, type MemberRole } from "@/common/sharing/memoPermissions";
import { auditSentence } from "./auditSentence";
import { sharingApi, type AuditEvent, type Sharing } from "./sharingApi";

const ROLE_HINTS: Record<MemberRole, string> = {
  editor: "can edit",
  commenter: "can read and comment",
  viewer: "can read",
};

/** Who has access to a memo; the owner invites, changes roles, removes and hands over ownership. */
export function SharingDialog({
  memoId,
  memoTitle,
  you,
  open,
  onClose,
}: {
  memoId: string;
  memoTitle: string;
  you: { id: string };
  open: boolean;
  onClose: () => void;
}) {
  const router = useRouter();
  const api = sharingApi(memoId);
  const [sharing, setSharing] = useState<Sharing | null>(null);
  const [audit, setAudit] = useState<AuditEvent[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [role, setRole] = useState<MemberRole>("editor");

  const fetchSharing = useCallback(async () => {
    const api = sharingApi(memoId);
    const next = await api.load();
    return { next, events: next.yourRole === "owner" ? (await api.audit()).events : null };
  }, [memoId]);
  const refresh = useCallback(
    () =>
      fetchSharing().then(({ next, events }) => {
        setSharing(next);
        setAudit(events);
      }),
    [fetchSharing],
  );

  useEffect(() => {
    if (!open) return;
    let current = true;
    fetchSharing().then(
      ({ next, events }) => {
        if (!current) return;
        setSharing(next);
        setAudit(events);
      },
      (failure: Error) => current && setError(failure.message),
    );
    return () => {
      current = false;
    };
  }, [open, fetchSharing]);

  async function act(run: () => Promise<unknown>, success?: string) {
    setPending(true);
    setError(null);
    setNotice(null);
    try {
      await run();
      if (success) setNotice(success);
      await refresh();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setPending(false);
    }
  }

  async function invite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const email = String(new FormData(form).get("email") ?? "").trim();
    await act(async () => {
      const result = await api.invite(email, role);
      form.reset();
      setNotice(
        result.kind === "member"
          ? `${email} can now open this memo.`
          : `${email} has no account yet: the invitation waits until they sign up.`,
      );
    });
  }

  const isOwner = sharing?.yourRole === "owner";

  return (
    <Modal open={open} onClose={onClose} labelledBy="sharing-title">
      <div className="modal-body sharing">
        <h2 id="sharing-title">Share “{memoTitle}”</h2>
        <p>{isOwner ? "Invite colleagues by email and choose what they can do." : "People who can open this memo."}</p>
        {error && (
          <p className="alert alert-error" role="alert">
            {error}
          </p>
        )}
        {notice && (
          <p className="alert alert-info" role="status">
            {notice}
          </p>
        )}
        {isOwner && (
          <form className="invite-form" onSubmit={invite}>
            <label className="visually-hidden" htmlFor="invite-email">
              Colleague&apos;s email
            </label>
            <input
              id="invite-email"
              name="email"
              type="email"
              required
              placeholder="colleague@ministry.example"
              autoComplete="off"
            />
            <label className="visually-hidden" htmlFor="invite-role">
              Role
            </label>
            <select id="invite-role" value={role} onChange={(event) => setRole(event.target.value as MemberRole)}>
              {MEMBER_ROLES.map((option) => (
                <option key={option} value={option}>
                  {ROLE_LABELS[option]} — {ROLE_HINTS[option]}
                </option>
              ))}
            </select>
            <button className="button button-primary" type="submit" disabled={pending}>
              Invite
            </button>
          </form>
        )}
        {!sharing && !error && <p className="editor-loading">Loading…</p>}
        {sharing && (
          <>
            <h3>People with access</h3>
            <ul className="people" aria-label="People with access">
              {sharing.people.map((person) => (
                <li key={person.userId} className="person" data-user-email={person.email}>
                  <div className="person-main">
                    <strong>
                      {person.name}
                      {person.userId === you.id && " (you)"}
                    </strong>
                    <span className="memo-row-meta">
                      {person.email}
                      {person.invitedByName && ` · invited by ${person.invitedByName}`}
                    </span>
                  </div>
                  {isOwner && person.role !== "owner" ? (
                    <div className="person-actions">
                      <label className="visually-hidden" htmlFor={`role-${person.userId}`}>
                        Role of {person.name}
                      </label>
                      <select
                        id={`role-${person.userId}`}
                        value={person.role}
                        disabled={pending}
                        onChange={(event) =>
                          void act(
                            () => api.changeRole(person.userId, event.target.value as MemberRole),
                            `${person.name} is now ${event.target.value}.`,
                          )
                        }
                      >
                        {MEMBER_ROLES.map((option) => (
                          <option key={option} value={option}>
                            {ROLE_LABELS[option]}
                          </option>
                        ))}
                      </select>
                      <button
                        className="button button-quiet button-small"
                        type="button"
                        disabled={pending}
                        onClick={() => void act(() => api.remove(person.userId), `${person.name} was removed.`)}
                      >
                        Remove
                      </button>
                      <button
                        className="button button-quiet button-small"
                        type="button"
                        disabled={pending}
                        onClick={() => {
                          if (window.confirm(`Make ${person.name} the owner? You will stay on as an editor.`)) {
                            void act(() => api.transfer(person.userId), `${person.name} is now the owner.`);
                          }
                        }}
                      >
                        Make owner
                      </button>
                    </div>
                  ) : (
                    <span className="role-badge">{ROLE_LABELS[person.role]}</span>
                  )}
                </li>
              ))}
            </ul>
            {sharing.invites && sharing.invites.length > 0 && (
              <>
                <h3>Waiting for sign-up</h3>
                <ul className="people" aria-label="Pending invitations">
                  {sharing.invites.map((invite) => (
                    <li key={invite.id} className="person">
                      <div className="person-main">
                        <strong>{invite.email}</strong>
                        <span className="memo-row-meta">
                          {ROLE_LABELS[invite.role]} · invited by {invite.invitedByName}
                        </span>
                      </div>
                      <button
                        className="button button-quiet button-small"
                        type="button"
                        disabled={pending}
                        onClick={() => void act(() => api.revoke(invite.id), "Invitation cancelled.")}
                      >
                        Cancel invitation
                      </button>
                    </li>
                  ))}
                </ul>
              </>
            )}
            {!isOwner && (
              <button
                className="button button-small"
                type="button"
                disabled={pending}
                onClick={() => {
                  if (!window.confirm("Leave this memo? You will need a new invitation to open it again.")) return;
                  void act(async () => {
                    await api.remove(you.id);
                    router.push("/memos");
                  });
                }}
              >
                Leave this memo
              </button>
            )}
            {audit && (
              <>
                <h3>Sharing activity</h3>
                {audit.length === 0 ? (
                  <p className="memo-row-meta">No sharing changes yet.</p>
                ) : (
                  <ol className="audit" aria-label="Sharing activity">
                    {audit.map((event) => (
                      <li key={event.id}>
                        {auditSentence(event)} · <RelativeTime iso={event.createdAt} />
                      </li>
                    ))}
                  </ol>
                )}
              </>
            )}
          </>
        )}
      </div>
      <div className="modal-actions">
        <button className="button" type="button" onClick={onClose}>
          Done
        </button>
      </div>
    </Modal>
  );
}
