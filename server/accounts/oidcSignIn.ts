import { z } from "zod";
import type { PrismaClient } from "../db";
import { acceptPendingInvites, lockInvitationsFor } from "../sharing/sharingCommands";
import { emailAddress } from "./accountInput";
import type { AccountSummary } from "./signUp";
import { endAllSessionsIn } from "./userSessions";

// The account a person signing in through the identity provider gets. The provider's (issuer,
// subject) pair names the person for good; the email only finds an account the first time, and
// only an email the provider vouches for (email_verified on the email claim) or the operator
// trusts (OIDC_TRUST_EMAIL): an invitation is addressed to an email, and an account is found by
// it, so whoever could claim an unverified address would get both.
//   - a known identity signs in to its account, whatever its email has become;
//   - a new identity whose email has no account gets one (no password), and the invitations
//     waiting for that email become memberships, as at sign-up;
//   - a new identity whose email has a password account takes that account over: the provider
//     proved the email, while sign-up never did, so the password and every session of the account
//     end (whoever signed up with someone else's address loses the way in);
//   - an account that already has an identity at this provider is not linked to a second one (a
//     provider that reused an address for someone new must not hand them the old account).

/** What the provider said about the person, from the ID token and userinfo claims. */
export type OidcPerson = { issuer: string; subject: string; claims: Record<string, unknown> };

/** Which claims hold what, and whether unverified emails may be used. */
export type OidcClaimRules = { emailClaim: string; nameClaim: string; trustEmail: boolean };

/** Why a sign-in was refused; the sign-in page words each one (app/signin/page.tsx). */
export type OidcRefusal = "unusable_claims" | "unverified_email" | "linked_elsewhere" | "raced";

export type OidcSignInResult =
  { ok: true; account: AccountSummary; tookOver: boolean } | { ok: false; reason: OidcRefusal; detail: string };

const refuse = (reason: OidcRefusal, detail: string): OidcSignInResult => ({ ok: false, reason, detail });

const NAME_CHARS = 100;

const subject = z.string().min(1).max(255);

/** The display name from the name claim, made storable; the email's local part when there is none. */
function displayName(claim: unknown, email: string): string {
  const cleaned =
    typeof claim === "string"
      ? claim
          .replace(/[\p{Cc}\p{Cs}\u2028\u2029\uFFFE\uFFFF]/gu, " ")
          .replace(/\s+/g, " ")
          .trim()
      : "";
  const name = cleaned || email.split("@")[0]!;
  return Array.from(name).slice(0, NAME_CHARS).join("").trim();
}

/** The account `person` signs in to, created or taken over on a first sign-in; or why not. */
export async function signInWithOidc(
  db: PrismaClient,
  person: OidcPerson,
  rules: OidcClaimRules,
  now = new Date(),
): Promise<OidcSignInResult> {
  const sub = subject.safeParse(person.subject);
  if (!sub.success) return refuse("unusable_claims", "no usable subject (sub)");
  const known = await findIdentity(db, person.issuer, sub.data);
  if (known) return { ok: true, account: known, tookOver: false };

  const email = emailAddress.safeParse(person.claims[rules.emailClaim]);
  if (!email.success) return refuse("unusable_claims", `no usable email address in the claim "${rules.emailClaim}"`);
  // email_verified speaks of the email claim only, not of another claim that holds an address.
  const verified =
    rules.emailClaim === "email" && (person.claims.email_verified === true || person.claims.email_verified === "true");
  if (!verified && !rules.trustEmail) return refuse("unverified_email", `${email.data} is not verified`);
  const name = displayName(person.claims[rules.nameClaim], email.data);
  try {
    return await db.$transaction(async (tx) => {
      await lockInvitationsFor(tx, email.data);
      const existing = await tx.user.findUnique({
        where: { email: email.data },
        select: {
          id: true,
          email: true,
          name: true,
          passwordHash: true,
          identities: { where: { issuer: person.issuer }, select: { subject: true } },
        },
      });
      if (existing?.identities.some((identity) => identity.subject === sub.data)) {
        // A first sign-in of the same person committed while this one waited for the lock.
        return {
          ok: true as const,
          account: { id: existing.id, email: existing.email, name: existing.name },
          tookOver: false,
        };
      }
      if (existing && existing.identities.length > 0) {
        return refuse("linked_elsewhere", `${email.data} signs in as another subject of this provider`);
      }
      const user = existing
        ? { id: existing.id, email: existing.email, name: existing.name }
        : await tx.user.create({ data: { name, email: email.data }, select: { id: true, email: true, name: true } });
      await tx.oidcIdentity.create({ data: { issuer: person.issuer, subject: sub.data, userId: user.id } });
      if (existing) {
        if (existing.passwordHash !== null) {
          await tx.user.update({ where: { id: existing.id }, data: { passwordHash: null } });
        }
        await endAllSessionsIn(tx, existing.id, now);
      }
      await acceptPendingInvites(tx, user);
      return { ok: true as const, account: user, tookOver: existing !== null };
    });
  } catch (error) {
    // Two first sign-ins of one person at once: the other created the identity (or the account).
    if ((error as { code?: string }).code === "P2002") {
      const raced = await findIdentity(db, person.issuer, sub.data);
      if (raced) return { ok: true, account: raced, tookOver: false };
      return refuse("raced", "another first sign-in for the same email ran at the same time");
    }
    throw error;
  }
}

async function findIdentity(db: PrismaClient, issuer: string, subject: string): Promise<AccountSummary | null> {
  const identity = await db.oidcIdentity.findUnique({
    where: { issuer_subject: { issuer, subject } },
    select: { user: { select: { id: true, email: true, name: true } } },
  });
  return identity?.user ?? null;
}
