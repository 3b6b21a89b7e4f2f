import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "../errors";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase";
import { verifySignIn } from "./signIn";
import { THROTTLE_RULES } from "./signInThrottle";
import { signUp } from "./signUp";
import { failureOf } from "../testing/fixtures";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

const password = "a long enough passphrase";

describe("sign-up", () => {
  it("creates an account with a normalised email and an Argon2id hash, never the password", async () => {
    const account = await signUp(database.prisma, { name: " Nadia Rahman ", email: "  Nadia@Example.ORG ", password });
    expect(account).toMatchObject({ name: "Nadia Rahman", email: "nadia@example.org" });
    const stored = await database.prisma.user.findUniqueOrThrow({ where: { id: account.id } });
    expect(stored.passwordHash.startsWith("$argon2id$")).toBe(true);
    expect(stored.passwordHash).not.toContain(password);
  });

  it("refuses a taken email, whatever its case", async () => {
    await signUp(database.prisma, { name: "First", email: "taken@example.org", password });
    const error = await failureOf(() => signUp(database.prisma, { name: "Second", email: "TAKEN@example.org", password }));
    expect(isAppError(error, "conflict")).toBe(true);
  });

  it("explains each invalid field", async () => {
    const error = await failureOf(() => signUp(database.prisma, { name: "", email: "nope", password: "short" }));
    expect(isAppError(error, "invalid_input")).toBe(true);
    expect((error as { details: { fields: Record<string, string> } }).details.fields).toEqual({
      name: "Enter your name.",
      email: "Enter a valid email address.",
      password: "Use at least 10 characters for your password.",
    });
  });
});

describe("sign-in", () => {
  it("accepts the right password, with the email in any case", async () => {
    await signUp(database.prisma, { name: "Omar", email: "omar@example.org", password });
    const account = await verifySignIn(database.prisma, { email: "OMAR@example.org", password, ip: "10.0.0.1" });
    expect(account.email).toBe("omar@example.org");
  });

  it("gives the same message for a wrong password and an unknown email", async () => {
    await signUp(database.prisma, { name: "Lena", email: "lena@example.org", password });
    const wrongPassword = await failureOf(() => verifySignIn(database.prisma, { email: "lena@example.org", password: "wrong password!", ip: "10.0.0.2" }));
    const unknownEmail = await failureOf(() => verifySignIn(database.prisma, { email: "nobody@example.org", password, ip: "10.0.0.2" }));
    expect(isAppError(wrongPassword, "invalid_credentials")).toBe(true);
    expect(isAppError(unknownEmail, "invalid_credentials")).toBe(true);
    expect((wrongPassword as Error).message).toBe((unknownEmail as Error).message);
  });

  it("throttles an account after repeated failures, even with the right password, then recovers", async () => {
    await signUp(database.prisma, { name: "Target", email: "target@example.org", password });
    for (let attempt = 1; attempt < THROTTLE_RULES.email.maxFailures; attempt++) {
      const error = await failureOf(() => verifySignIn(database.prisma, { email: "target@example.org", password: `guess ${attempt}`, ip: `10.1.0.${attempt}` }));
      expect(isAppError(error, "invalid_credentials")).toBe(true);
    }
    const blocking = await failureOf(() => verifySignIn(database.prisma, { email: "target@example.org", password: "last guess", ip: "10.1.0.99" }));
    expect(isAppError(blocking, "throttled")).toBe(true);
    expect((blocking as Error).message).toMatch(/Too many failed sign-in attempts\. Try again in 15 minutes\./);
    const rightPassword = await failureOf(() => verifySignIn(database.prisma, { email: "target@example.org", password, ip: "10.1.0.100" }));
    expect(isAppError(rightPassword, "throttled")).toBe(true);

    // Fifteen minutes later the block is over.
    await database.prisma.signInThrottle.update({
      where: { key: "email:target@example.org" },
      data: { blockedUntil: new Date(Date.now() - 1000), windowStart: new Date(Date.now() - 16 * 60_000) },
    });
    await expect(verifySignIn(database.prisma, { email: "target@example.org", password, ip: "10.1.0.101" })).resolves.toMatchObject({
      email: "target@example.org",
    });
  });

  it("throttles one address that tries many accounts", async () => {
    const ip = "192.0.2.77";
    let last: unknown;
    for (let attempt = 0; attempt < THROTTLE_RULES.ip.maxFailures; attempt++) {
      last = await failureOf(() => verifySignIn(database.prisma, { email: `victim${attempt}@example.org`, password: "whatever12", ip }));
    }
    expect(isAppError(last, "throttled")).toBe(true);
    await signUp(database.prisma, { name: "Innocent", email: "innocent@example.org", password });
    expect(isAppError(await failureOf(() => verifySignIn(database.prisma, { email: "innocent@example.org", password, ip })), "throttled")).toBe(true);
    await expect(verifySignIn(database.prisma, { email: "innocent@example.org", password, ip: "192.0.2.78" })).resolves.toBeTruthy();
  });

  it("counts concurrent failures without losing any", async () => {
    await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        failureOf(() => verifySignIn(database.prisma, { email: "race@example.org", password: `wrong ${i}xxxx`, ip: null })),
      ),
    );
    const row = await database.prisma.signInThrottle.findUniqueOrThrow({ where: { key: "email:race@example.org" } });
    expect(row.failures).toBe(4);
  });
});
