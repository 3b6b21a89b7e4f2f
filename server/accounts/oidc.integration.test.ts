import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inviteToMemo } from "../sharing/sharingCommands";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase";
import { createTestMemo, createTestUser, failureOf } from "../testing/fixtures";
import { startTestIdentityProvider, type TestIdentityProvider } from "../testing/testIdentityProvider";
import { discoverOidcProvider, discoveryUrl, OidcDiscoveryError, oidcEndpoints } from "./oidcDiscovery";
import { signInWithOidc, type OidcClaimRules, type OidcPerson } from "./oidcSignIn";
import { liveSessionIds, startSession } from "./userSessions";

let database: TestDatabase;
let provider: TestIdentityProvider;

beforeAll(async () => {
  [database, provider] = await Promise.all([
    createTestDatabase(),
    startTestIdentityProvider({ redirectUris: ["http://localhost:1/api/auth/callback/oidc"] }),
  ]);
});
afterAll(async () => {
  await Promise.all([database.drop(), provider.close()]);
});

/** A server on 127.0.0.1 that answers every request with `answer`. */
async function fakeProvider(answer: (res: http.ServerResponse, origin: string) => void) {
  const server = http.createServer((_req, res) => answer(res, origin));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const documentFor = (issuer: string, overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    issuer,
    authorization_endpoint: `${issuer}/auth`,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/jwks`,
    ...overrides,
  });

describe("discovering the identity provider", () => {
  it("reads the endpoints of the real provider", async () => {
    const endpoints = await discoverOidcProvider(provider.issuer);
    expect(endpoints.issuer).toBe(provider.issuer);
    expect(endpoints.tokenEndpoint).toMatch(new RegExp(`^${provider.issuer}/`));
    expect(endpoints.userinfoEndpoint).toMatch(new RegExp(`^${provider.issuer}/`));
    // A trailing slash in the configuration is the only difference tolerated.
    expect((await discoverOidcProvider(`${provider.issuer}/`)).issuer).toBe(provider.issuer);
  });

  it("finds the document below an issuer's path, as Keycloak's realms have", () => {
    expect(discoveryUrl("https://id.example.org/realms/ministry/")).toBe(
      "https://id.example.org/realms/ministry/.well-known/openid-configuration",
    );
  });

  it("refuses a provider that names another issuer than the configured one", async () => {
    const fake = await fakeProvider((res) => res.end(documentFor("https://elsewhere.example.net")));
    try {
      const error = await failureOf(() => discoverOidcProvider(fake.origin));
      expect(error).toBeInstanceOf(OidcDiscoveryError);
      expect((error as Error).message).toContain(`not the configured OIDC_ISSUER "${fake.origin}"`);
    } finally {
      await fake.close();
    }
  });

  it("refuses documents that would send Demarche elsewhere, or are not documents", async () => {
    const cases: Array<[string, (res: http.ServerResponse, origin: string) => void, string]> = [
      [
        "an endpoint over http on another host",
        (res, origin) => res.end(documentFor(origin, { token_endpoint: "http://tokens.example.net/token" })),
        "token_endpoint must use https",
      ],
      [
        "a redirect to another host",
        (res) => {
          res.writeHead(302, { location: "https://elsewhere.example.net/.well-known/openid-configuration" });
          res.end();
        },
        "could not be reached",
      ],
      [
        "only unsigned ID tokens",
        (res, origin) => res.end(documentFor(origin, { id_token_signing_alg_values_supported: ["none"] })),
        "only unsigned ID tokens",
      ],
      ["an error status", (res) => res.writeHead(500).end("down"), "answered 500"],
      ["not JSON", (res) => res.end("<html>welcome</html>"), "did not answer with JSON"],
      ["a document without endpoints", (res, origin) => res.end(JSON.stringify({ issuer: origin })), "not usable"],
      ["an endless document", (res) => res.end(" ".repeat(300 * 1024)), "too large"],
    ];
    for (const [name, answer, message] of cases) {
      const fake = await fakeProvider(answer);
      try {
        const error = await failureOf(() => discoverOidcProvider(fake.origin));
        expect(error, name).toBeInstanceOf(OidcDiscoveryError);
        expect((error as Error).message, name).toContain(message);
      } finally {
        await fake.close();
      }
    }
  });

  it("keeps serving the endpoints it found when a later refresh fails, and says so when it never found any", async () => {
    let down = false;
    const fake = await fakeProvider((res, origin) => (down ? res.writeHead(503).end() : res.end(documentFor(origin))));
    try {
      const start = Date.now();
      const found = await oidcEndpoints(fake.origin, start);
      expect(found.tokenEndpoint).toBe(`${fake.origin}/token`);
      expect(found.idTokenSigningAlg).toBe("RS256");
      down = true;
      // An hour and more later the document is read again; the provider is down.
      expect(await oidcEndpoints(fake.origin, start + 2 * 60 * 60 * 1000)).toEqual(found);
      const never = await fakeProvider((res) => res.writeHead(503).end());
      try {
        expect(((await failureOf(() => oidcEndpoints(never.origin))) as Error).message).toContain("answered 503");
      } finally {
        await never.close();
      }
    } finally {
      await fake.close();
    }
  });

  it("says so when nothing answers", async () => {
    const fake = await fakeProvider((res) => res.end());
    await fake.close();
    const error = await failureOf(() => discoverOidcProvider(fake.origin));
    expect((error as Error).message).toContain("could not be reached");
  });
});

const rules = { emailClaim: "email", nameClaim: "name", trustEmail: false };
const issuer = "https://id.example.org/realms/ministry";
let counter = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${counter++}@example.org`;

/** The account a sign-in got, failing the test with the refusal when there was none. */
async function accountOf(person: OidcPerson, claimRules: OidcClaimRules = rules) {
  const result = await signInWithOidc(database.prisma, person, claimRules);
  if (!result.ok) throw new Error(`refused: ${result.reason} (${result.detail})`);
  return result.account;
}

async function refusalOf(person: OidcPerson, claimRules: OidcClaimRules = rules) {
  const result = await signInWithOidc(database.prisma, person, claimRules);
  return result.ok ? "signed in" : result.reason;
}

describe("the account a single sign-on signs in to", () => {
  it("is created at the first sign-in, without a password, with the invitations waiting for its email", async () => {
    const owner = await createTestUser(database.prisma, "Owner");
    const memoId = await createTestMemo(database.prisma, owner.id);
    const email = unique("newcomer");
    await inviteToMemo(database.prisma, owner.id, memoId, { email, role: "commenter" });

    const account = await accountOf({
      issuer,
      subject: "f3a9-newcomer",
      claims: { email: email.toUpperCase(), email_verified: true, name: "Leïla Haddad" },
    });
    expect(account).toMatchObject({ email, name: "Leïla Haddad" });
    const stored = await database.prisma.user.findUniqueOrThrow({ where: { id: account.id } });
    expect(stored.passwordHash).toBeNull();
    const membership = await database.prisma.memoMember.findUnique({
      where: { memoId_userId: { memoId, userId: account.id } },
    });
    expect(membership?.role).toBe("commenter");
    expect(await database.prisma.memoInvite.count({ where: { email } })).toBe(0);
  });

  it("stays the same account when the provider later sends another email or name", async () => {
    const first = await accountOf({
      issuer,
      subject: "renamed",
      claims: { email: unique("before"), email_verified: true, name: "Before" },
    });
    // Later sign-ins need no verified email: the subject is what names the person.
    const again = await accountOf({ issuer, subject: "renamed", claims: { email: unique("after"), name: "After" } });
    expect(again.id).toBe(first.id);
    // The same subject at another issuer is another person.
    const elsewhere = await accountOf({
      issuer: "https://other.example.org",
      subject: "renamed",
      claims: { email: unique("other"), email_verified: true },
    });
    expect(elsewhere.id).not.toBe(first.id);
  });

  it("uses an email only when the provider vouches for it, or the operator trusts the provider", async () => {
    const owner = await createTestUser(database.prisma, "Inviter");
    const memoId = await createTestMemo(database.prisma, owner.id);
    const email = unique("claimed");
    await inviteToMemo(database.prisma, owner.id, memoId, { email, role: "editor" });
    // Whoever types someone's address at a provider that does not verify it gets nothing.
    for (const email_verified of [undefined, false, "false", 1, "yes"]) {
      const person = { issuer, subject: `unverified-${String(email_verified)}`, claims: { email, email_verified } };
      expect(await refusalOf(person), String(email_verified)).toBe("unverified_email");
    }
    // email_verified speaks of the email claim, not of another claim holding an address.
    const username = { issuer, subject: "by-username", claims: { preferred_username: email, email_verified: true } };
    expect(await refusalOf(username, { ...rules, emailClaim: "preferred_username" })).toBe("unverified_email");
    expect(await database.prisma.user.count({ where: { email } })).toBe(0);
    expect(await database.prisma.memoInvite.count({ where: { email } })).toBe(1);

    const trusted = await accountOf(username, { ...rules, emailClaim: "preferred_username", trustEmail: true });
    expect(trusted.email).toBe(email);
    expect(await database.prisma.memoMember.count({ where: { memoId, userId: trusted.id } })).toBe(1);
  });

  it("takes over a password account of the same email: its password and sessions end", async () => {
    const existing = await createTestUser(database.prisma, "Signed up first");
    const session = await startSession(database.prisma, existing.id, "the earlier browser");
    const person = { issuer, subject: `owner-of-${existing.email}`, claims: { email: existing.email } };
    expect(await refusalOf(person)).toBe("unverified_email");
    expect(await database.prisma.oidcIdentity.count({ where: { userId: existing.id } })).toBe(0);

    const result = await signInWithOidc(
      database.prisma,
      { ...person, claims: { ...person.claims, email_verified: "true" } },
      rules,
    );
    expect(result).toMatchObject({ ok: true, tookOver: true, account: { id: existing.id, name: "Signed up first" } });
    const stored = await database.prisma.user.findUniqueOrThrow({ where: { id: existing.id } });
    expect(stored.passwordHash).toBeNull();
    expect(await liveSessionIds(database.prisma, [session])).toEqual(new Set());
  });

  it("does not give an account that has an identity at this provider to a second one", async () => {
    const email = unique("reused");
    const first = await accountOf({ issuer, subject: "left-the-ministry", claims: { email, email_verified: true } });
    // The provider gave the address to someone new: another subject.
    expect(await refusalOf({ issuer, subject: "new-hire", claims: { email, email_verified: true } })).toBe(
      "linked_elsewhere",
    );
    // Another provider (the operator moved) may link to it.
    const moved = await accountOf({
      issuer: "https://new-idp.example.org",
      subject: "left-the-ministry",
      claims: { email, email_verified: true },
    });
    expect(moved.id).toBe(first.id);
  });

  it("refuses claims it cannot use, and cleans a name it can", async () => {
    for (const claims of [{}, { email: "not an email" }, { email: 42 }, { email: "a\u0000b@example.org" }]) {
      expect(await refusalOf({ issuer, subject: "no-email", claims: { ...claims, email_verified: true } })).toBe(
        "unusable_claims",
      );
    }
    for (const subject of ["", "x".repeat(256)]) {
      expect(await refusalOf({ issuer, subject, claims: { email: unique("s"), email_verified: true } })).toBe(
        "unusable_claims",
      );
    }
    const account = await accountOf({
      issuer,
      subject: "odd-name",
      claims: {
        email: unique("odd-name"),
        email_verified: true,
        name: "  Ana\u0000\n\u202eMaria\ud800  " + "é".repeat(200),
      },
    });
    expect(account.name.startsWith("Ana \u202eMaria")).toBe(true);
    expect(Array.from(account.name).length).toBe(100);
    expect(account.name).not.toMatch(/[\u0000\n\ud800]/);
    const nameless = await accountOf({
      issuer,
      subject: "nameless",
      claims: { email: unique("nameless"), email_verified: true, name: { first: "A" } },
    });
    expect(nameless.name).toMatch(/^nameless-/);
  });

  it("gives two simultaneous first sign-ins of one person one account", async () => {
    const email = unique("twice");
    const person = { issuer, subject: "twice", claims: { email, email_verified: true } };
    const accounts = await Promise.all([1, 2, 3].map(() => accountOf(person)));
    expect(new Set(accounts.map((account) => account.id)).size).toBe(1);
    expect(await database.prisma.user.count({ where: { email } })).toBe(1);
  });
});
