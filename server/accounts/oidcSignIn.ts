import { z } from "zod";
import type { PrismaClient } from "../db";
import { conflict, invalidInput } from "../errors";
import { acceptPendingInvites, lockInvitationsFor } from "../sharing/sharingCommands";
import { emailAddress } from "./accountInput";
import type { AccountSummary } from "./signUp";

// The account a person signing in through the identity provider gets. The provider's (issuer,
// subject) pair names the person for good; the email only finds an account the first time:
//   - a known identity signs in to its account, whatever its email has become;
//   - a new identity whose email has no account gets one (no password), and the invitations
//     waiting for that email become memberships, as at sign-up;
//   - a new identity whose email already has an account is linked to it only when the provider
//     vouches for the email (email_verified), or the operator trusts the provider's emails
//     (OIDC_TRUST_EMAIL); otherwise it is refused, since whoever controls an unverified email
//     claim would take over the account.

/** What the provider said about the person, from the ID token and userinfo claims. */
export type OidcPerson = { issuer: string; subject: string; claims: Record<string, unknown> };

/** Which claims hold what, and whether unverified emails may link accounts. */
export type OidcClaimRules = { emailClaim: string; nameClaim: string; trustEmail: boolean };

/** Thrown when a new identity's email belongs to an account the provider does not vouch for. */
export const UNVERIFIED_EMAIL_TAKEN =
  "An account with this email already exists, and the identity provider does not say the email is verified. Sign in with your password, or ask your administrator.";

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

/**
 * The account `person` signs in to, created or linked on a first sign-in. Throws invalid_input
 * when the claims carry no usable email or subject, and conflict when the email's account may not
 * be linked (UNVERIFIED_EMAIL_TAKEN).
 */
export async function signInWithOidc(
  db: PrismaClient,
  person: OidcPerson,
  rules: OidcClaimRules,
): Promise<AccountSummary> {
  const sub = subject.safeParse(person.subject);
  if (!sub.success) throw invalidInput("The identity provider did not name the person (no usable subject).");
  const known = await findIdentity(db, person.issuer, sub.data);
  if (known) return known;

  const email = emailAddress.safeParse(person.claims[rules.emailClaim]);
  if (!email.success) {
    throw invalidInput(
      `The identity provider did not send a usable email address (claim "${rules.emailClaim}"). Ask your administrator.`,
    );
  }
  const verified = person.claims.email_verified === true || person.claims.email_verified === "true";
  const name = displayName(person.claims[rules.nameClaim], email.data);
  try {
    return await db.$transaction(async (tx) => {
      await lockInvitationsFor(tx, email.data);
      const existing = await tx.user.findUnique({
        where: { email: email.data },
        select: { id: true, email: true, name: true },
      });
      if (existing && !verified && !rules.trustEmail) throw conflict(UNVERIFIED_EMAIL_TAKEN);
      const user =
        existing ??
        (await tx.user.create({ data: { name, email: email.data }, select: { id: true, email: true, name: true } }));
      await tx.oidcIdentity.create({ data: { issuer: person.issuer, subject: sub.data, userId: user.id } });
      await acceptPendingInvites(tx, user);
      return user;
    });
  } catch (error) {
    // Two first sign-ins of one person at once: the other created the identity (or the account).
    if ((error as { code?: string }).code === "P2002") {
      const raced = await findIdentity(db, person.issuer, sub.data);
      if (raced) return raced;
      throw conflict("This sign-in raced another one for the same email. Try again.");
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
