import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAppError, type InvalidInputDetails } from "../errors";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase";
import { verifySignIn } from "./signIn";
import { clientAddress, PEER_ADDRESS_HEADER } from "../http/clientAddress";
import { ADDRESS_CAP, PAIR_BACKOFF, pruneSignInThrottle } from "./signInThrottle";
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
    expect(stored.passwordHash?.startsWith("$argon2id$")).toBe(true);
    expect(stored.passwordHash).not.toContain(password);
  });

  it("refuses a taken email, whatever its case", async () => {
    await signUp(database.prisma, { name: "First", email: "taken@example.org", password });
    const error = await failureOf(() =>
      signUp(database.prisma, { name: "Second", email: "TAKEN@example.org", password }),
    );
    expect(isAppError(error, "conflict")).toBe(true);
  });

  it("explains each invalid field", async () => {
    const error = await failureOf(() => signUp(database.prisma, { name: "", email: "nope", password: "short" }));
    expect(isAppError(error, "invalid_input")).toBe(true);
    expect((error as { details: InvalidInputDetails }).details.issues).toEqual([
      { path: ["name"], message: "Enter your name." },
      { path: ["email"], message: "Enter a valid email address." },
      { path: ["password"], message: "Use at least 10 characters for your password." },
    ]);
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
    const wrongPassword = await failureOf(() =>
      verifySignIn(database.prisma, { email: "lena@example.org", password: "wrong password!", ip: "10.0.0.2" }),
    );
    const unknownEmail = await failureOf(() =>
      verifySignIn(database.prisma, { email: "nobody@example.org", password, ip: "10.0.0.2" }),
    );
    expect(isAppError(wrongPassword, "invalid_credentials")).toBe(true);
    expect(isAppError(unknownEmail, "invalid_credentials")).toBe(true);
    expect((wrongPassword as Error).message).toBe((unknownEmail as Error).message);
  });

  /** The outcome of one attempt: "ok", or the error's code and message. */
  const attempt = async (email: string, pass: string, ip: string | null) => {
    try {
      await verifySignIn(database.prisma, { email, password: pass, ip });
      return "ok";
    } catch (error) {
      if (!isAppError(error)) throw error;
      return `${error.code}: ${error.message}`;
    }
  };
  const wrong = "invalid_credentials: Email or password is incorrect.";
  const waitFor = (seconds: number) =>
    `throttled: Too many failed sign-in attempts. Try again in ${seconds} second${seconds === 1 ? "" : "s"}.`;
  /** Ends the pair's current block, as if its wait had passed. */
  const endBlock = (email: string, ip: string) =>
    database.prisma.signInThrottle.update({
      where: { key: `pair:${email} ${ip}` },
      data: { blockedUntil: new Date(Date.now() - 1000) },
    });

  it("backs off one (account, address) pair: three typos free, then seconds that double, then recovers", async () => {
    await signUp(database.prisma, { name: "Target", email: "target@example.org", password });
    const ip = "198.51.100.20";
    for (let i = 1; i <= PAIR_BACKOFF.freeFailures; i++)
      expect(await attempt("target@example.org", `guess ${i}xxxxxx`, ip)).toBe(wrong);
    expect(await attempt("target@example.org", "guess 4xxxxxx", ip)).toBe(waitFor(5));
    // While blocked, even the right password is refused, and the refusal is not counted.
    expect(await attempt("target@example.org", password, ip)).toMatch(/^throttled: .* Try again in [1-5] seconds?\.$/);
    expect(
      (await database.prisma.signInThrottle.findUniqueOrThrow({ where: { key: `pair:target@example.org ${ip}` } }))
        .failures,
    ).toBe(4);
    await endBlock("target@example.org", ip);
    expect(await attempt("target@example.org", "guess 5xxxxxx", ip)).toBe(waitFor(10));
    await endBlock("target@example.org", ip);
    expect(await attempt("target@example.org", "guess 6xxxxxx", ip)).toBe(waitFor(20));
    await endBlock("target@example.org", ip);
    // The right password once the wait is over: signed in, and the pair starts from zero.
    expect(await attempt("target@example.org", password, ip)).toBe("ok");
    for (let i = 1; i <= PAIR_BACKOFF.freeFailures; i++)
      expect(await attempt("target@example.org", `again ${i}xxxxxx`, ip)).toBe(wrong);
  });

  it("does not lock the owner out from their own address, whatever an attacker elsewhere tries", async () => {
    await signUp(database.prisma, { name: "Colleague", email: "colleague@example.org", password });
    const attacker = "203.0.113.66";
    // Thirty guesses, each waiting out the block the one before started (skipped here).
    for (let i = 0; i < 30; i++) {
      if (i > PAIR_BACKOFF.freeFailures) await endBlock("colleague@example.org", attacker);
      expect(await attempt("colleague@example.org", `guess ${i}xxxxxx`, attacker)).toMatch(
        /^(invalid_credentials|throttled)/,
      );
    }
    // The attacker's own pair is blocked for minutes now, even with the right password…
    expect(await attempt("colleague@example.org", password, attacker)).toMatch(
      /^throttled: .* Try again in 15 minutes\.$/,
    );
    // …and the colleague signs in from her address at once, typos included.
    expect(await attempt("colleague@example.org", "my typo xxxxx", "198.51.100.30")).toBe(wrong);
    expect(await attempt("colleague@example.org", password, "198.51.100.30")).toBe("ok");
    // Failures without a known address are their own pair too.
    expect(await attempt("colleague@example.org", password, null)).toBe("ok");
  });

  it("with TRUST_PROXY=0, a spoofed X-Forwarded-For does not give an attacker fresh pairs", async () => {
    await signUp(database.prisma, { name: "Spoofed", email: "spoofed@example.org", password });
    const outcomes = [];
    for (let i = 0; i < 6; i++) {
      // Each request claims another address; the peer, 203.0.113.77, is what counts.
      const ip = clientAddress({ [PEER_ADDRESS_HEADER]: "203.0.113.77", "x-forwarded-for": `10.0.${i}.1` }, 0);
      outcomes.push(await attempt("spoofed@example.org", `guess ${i}xxxxxx`, ip));
    }
    expect(outcomes.slice(0, 3)).toEqual([wrong, wrong, wrong]);
    expect(outcomes[3]).toBe(waitFor(5));
    expect(outcomes.slice(4).every((outcome) => outcome.startsWith("throttled"))).toBe(true);
  });

  it("counts an IPv6 attacker by its /64, so changing address within it gives no fresh pair", async () => {
    const outcomes = [];
    for (let i = 1; i <= 5; i++)
      outcomes.push(await attempt("v6target@example.org", `guess ${i}xxxxxx`, `2001:db8:aa:bb::${i.toString(16)}`));
    expect(outcomes).toEqual([wrong, wrong, wrong, waitFor(5), expect.stringMatching(/^throttled/)]);
  });

  it("throttles one address that tries many accounts, and only that address", async () => {
    const ip = "192.0.2.77";
    let last: unknown;
    for (let i = 0; i < ADDRESS_CAP.maxFailures; i++) last = await attempt(`victim${i}@example.org`, "whatever12", ip);
    expect(last).toMatch(/^throttled: .* Try again in 15 minutes\.$/);
    await signUp(database.prisma, { name: "Innocent", email: "innocent@example.org", password });
    expect(await attempt("innocent@example.org", password, ip)).toMatch(/^throttled/);
    expect(await attempt("innocent@example.org", password, "192.0.2.78")).toBe("ok");
  });

  it("guesses sent at once are checked no faster than one after another", async () => {
    await signUp(database.prisma, { name: "Raced", email: "race@example.org", password });
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, i) => attempt("race@example.org", `wrong ${i}xxxx`, "198.51.100.40")),
    );
    // Each attempt is counted before its password is checked: three typos are checked, no more.
    expect(outcomes.filter((outcome) => outcome === wrong)).toHaveLength(PAIR_BACKOFF.freeFailures);
    expect(outcomes.filter((outcome) => outcome.startsWith("throttled"))).toHaveLength(8 - PAIR_BACKOFF.freeFailures);
    const row = await database.prisma.signInThrottle.findUniqueOrThrow({
      where: { key: "pair:race@example.org 198.51.100.40" },
    });
    expect(row.failures).toBe(PAIR_BACKOFF.freeFailures + 1);
  });

  it("forgets counters whose failures no longer count, and keeps the ones that still do", async () => {
    const now = new Date("2026-12-02T12:00:00Z");
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const day = PAIR_BACKOFF.forgetAfterMs;
    await database.prisma.signInThrottle.createMany({
      data: [
        { key: "prune:old pair", failures: 9, windowStart: ago(day + 60_000) },
        { key: "prune:old, block over", failures: 9, windowStart: ago(day + 60_000), blockedUntil: ago(1_000) },
        {
          key: "prune:old, still blocked",
          failures: 60,
          windowStart: ago(day + 60_000),
          blockedUntil: new Date(now.getTime() + 60_000),
        },
        { key: "prune:recent", failures: 4, windowStart: ago(day - 60_000) },
      ],
    });
    expect(await pruneSignInThrottle(database.prisma, now)).toBeGreaterThanOrEqual(2);
    const left = await database.prisma.signInThrottle.findMany({
      where: { key: { startsWith: "prune:" } },
      select: { key: true },
    });
    expect(left.map((row) => row.key).sort()).toEqual(["prune:old, still blocked", "prune:recent"]);
  });
});
