import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "../errors";
import { inviteToMemo } from "../sharing/sharingCommands";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase";
import { createTestMemo, createTestUser, failureOf } from "../testing/fixtures";
import { startTestIdentityProvider, type TestIdentityProvider } from "../testing/testIdentityProvider";
import { discoverOidcProvider, discoveryUrl, OidcDiscoveryError } from "./oidcDiscovery";
import { signInWithOidc, UNVERIFIED_EMAIL_TAKEN } from "./oidcSignIn";

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
    // The same server under another name: its document (and its ID tokens) say 127.0.0.1.
    const configured = provider.issuer.replace("127.0.0.1", "localhost");
    const error = await failureOf(() => discoverOidcProvider(configured));
    expect(error).toBeInstanceOf(OidcDiscoveryError);
    expect((error as Error).message).toContain(`not the configured OIDC_ISSUER "${configured}"`);
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

describe("the account a single sign-on signs in to", () => {
  it("is created at the first sign-in, without a password, with the invitations waiting for its email", async () => {
    const owner = await createTestUser(database.prisma, "Owner");
    const memoId = await createTestMemo(database.prisma, owner.id);
    const email = unique("newcomer");
    await inviteToMemo(database.prisma, owner.id, memoId, { email, role: "commenter" });

    const account = await signInWithOidc(
      database.prisma,
      {
        issuer,
        subject: "f3a9-newcomer",
        claims: { email: email.toUpperCase(), email_verified: true, name: "Leïla Haddad" },
      },
      rules,
    );
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
    const first = await signInWithOidc(
      database.prisma,
      { issuer, subject: "renamed", claims: { email: unique("before"), name: "Before" } },
      rules,
    );
    const again = await signInWithOidc(
      database.prisma,
      { issuer, subject: "renamed", claims: { email: unique("after"), name: "After" } },
      rules,
    );
    expect(again.id).toBe(first.id);
    // The same subject at another issuer is another person.
    const elsewhere = await signInWithOidc(
      database.prisma,
      { issuer: "https://other.example.org", subject: "renamed", claims: { email: unique("other") } },
      rules,
    );
    expect(elsewhere.id).not.toBe(first.id);
  });

  it("links a password account only when the provider vouches for its email, or the operator trusts it", async () => {
    const existing = await createTestUser(database.prisma, "Has a password");
    const person = { issuer, subject: `claims-${existing.email}`, claims: { email: existing.email, name: "Impostor" } };

    const refused = await failureOf(() => signInWithOidc(database.prisma, person, rules));
    expect(isAppError(refused, "conflict")).toBe(true);
    expect((refused as Error).message).toBe(UNVERIFIED_EMAIL_TAKEN);
    const unverifiedString = { ...person, claims: { ...person.claims, email_verified: "false" } };
    expect(
      isAppError(await failureOf(() => signInWithOidc(database.prisma, unverifiedString, rules)), "conflict"),
    ).toBe(true);
    expect(await database.prisma.oidcIdentity.count({ where: { userId: existing.id } })).toBe(0);

    const verified = await signInWithOidc(
      database.prisma,
      { ...person, claims: { ...person.claims, email_verified: true } },
      rules,
    );
    expect(verified).toMatchObject({ id: existing.id, name: "Has a password" });

    const other = await createTestUser(database.prisma, "Trusted provider");
    const trusted = await signInWithOidc(
      database.prisma,
      { issuer, subject: `trusted-${other.email}`, claims: { email: other.email } },
      { ...rules, trustEmail: true },
    );
    expect(trusted.id).toBe(other.id);
  });

  it("refuses claims it cannot use, and cleans a name it can", async () => {
    for (const claims of [{}, { email: "not an email" }, { email: 42 }, { email: "a\u0000b@example.org" }]) {
      const error = await failureOf(() =>
        signInWithOidc(database.prisma, { issuer, subject: "no-email", claims }, rules),
      );
      expect(isAppError(error, "invalid_input"), JSON.stringify(claims)).toBe(true);
    }
    for (const subject of ["", "x".repeat(256)]) {
      const error = await failureOf(() =>
        signInWithOidc(database.prisma, { issuer, subject, claims: { email: unique("s") } }, rules),
      );
      expect(isAppError(error, "invalid_input")).toBe(true);
    }
    const email = unique("odd-name");
    const account = await signInWithOidc(
      database.prisma,
      { issuer, subject: "odd-name", claims: { email, name: "  Ana\u0000\n\u202eMaria\ud800  " + "é".repeat(200) } },
      rules,
    );
    expect(account.name.startsWith("Ana \u202eMaria")).toBe(true);
    expect(Array.from(account.name).length).toBe(100);
    expect(account.name).not.toMatch(/[\u0000\n\ud800]/);
    const nameless = await signInWithOidc(
      database.prisma,
      { issuer, subject: "nameless", claims: { email: unique("nameless"), name: { first: "A" } } },
      rules,
    );
    expect(nameless.name).toMatch(/^nameless-/);
  });

  it("gives two simultaneous first sign-ins of one person one account", async () => {
    const email = unique("twice");
    const person = { issuer, subject: "twice", claims: { email, email_verified: true } };
    const accounts = await Promise.all([1, 2, 3].map(() => signInWithOidc(database.prisma, person, rules)));
    expect(new Set(accounts.map((account) => account.id)).size).toBe(1);
    expect(await database.prisma.user.count({ where: { email } })).toBe(1);
  });
});
