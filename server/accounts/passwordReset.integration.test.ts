import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "../errors";
import { createTestUser, type TestUser } from "../testing/fixtures";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase";
import { issuePasswordReset, resetPassword } from "./passwordReset";
import { verifyPassword } from "./passwords";

let database: TestDatabase;
let user: TestUser;

beforeAll(async () => {
  database = await createTestDatabase();
  user = await createTestUser(database.prisma, "Reset Me");
});
afterAll(async () => database.drop());

const failureOf = (run: () => Promise<unknown>) =>
  run().then(
    () => null,
    (error: unknown) => error,
  );
const hashOf = async () => (await database.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash;

describe("password reset links", () => {
  it("set a new password once; the token is stored only as its hash", async () => {
    const { token } = await issuePasswordReset(database.prisma, ` ${user.email.toUpperCase()} `);
    const stored = await database.prisma.passwordReset.findMany({ where: { userId: user.id } });
    expect(stored).toHaveLength(1);
    expect(stored[0].tokenHash).not.toContain(token);
    expect(await resetPassword(database.prisma, { token, password: "a brand new passphrase" })).toEqual({
      email: user.email,
    });
    expect(await verifyPassword(await hashOf(), "a brand new passphrase")).toBe(true);
    const again = await failureOf(() => resetPassword(database.prisma, { token, password: "yet another passphrase" }));
    expect(isAppError(again, "invalid_input")).toBe(true);
    expect(await verifyPassword(await hashOf(), "a brand new passphrase")).toBe(true);
  });

  it("refuse an expired link, an earlier link once a new one is issued, a weak password and a malformed token", async () => {
    const issuedAt = new Date(Date.now() - 61 * 60_000);
    const expired = await issuePasswordReset(database.prisma, user.email, issuedAt);
    expect(
      (
        (await failureOf(() =>
          resetPassword(database.prisma, { token: expired.token, password: "long enough pass" }),
        )) as Error
      ).message,
    ).toMatch(/expired or was already used/u);
    const first = await issuePasswordReset(database.prisma, user.email);
    const second = await issuePasswordReset(database.prisma, user.email);
    expect(
      isAppError(
        await failureOf(() => resetPassword(database.prisma, { token: first.token, password: "long enough pass" })),
        "invalid_input",
      ),
    ).toBe(true);
    expect(
      ((await failureOf(() => resetPassword(database.prisma, { token: second.token, password: "short" }))) as Error)
        .message,
    ).toMatch(/at least 10 characters/u);
    for (const token of ["", "x", "a".repeat(43) + "\u0000", { $ne: null }, second.token.slice(1)]) {
      expect(
        isAppError(
          await failureOf(() => resetPassword(database.prisma, { token, password: "long enough pass" })),
          "invalid_input",
        ),
      ).toBe(true);
    }
    // A weak password did not spend the link.
    await resetPassword(database.prisma, { token: second.token, password: "long enough pass" });
  });

  it("let only one of two simultaneous uses of a link succeed", async () => {
    const { token } = await issuePasswordReset(database.prisma, user.email);
    const outcomes = await Promise.allSettled(
      ["first racing passphrase", "second racing passphrase"].map((password) =>
        resetPassword(database.prisma, { token, password }),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
  });

  it("answer not_found for an unknown email and invalid_input for a malformed one", async () => {
    expect(
      isAppError(await failureOf(() => issuePasswordReset(database.prisma, "nobody@example.org")), "not_found"),
    ).toBe(true);
    expect(
      isAppError(await failureOf(() => issuePasswordReset(database.prisma, "not an email")), "invalid_input"),
    ).toBe(true);
  });

  it("forget the account's failed sign-ins, and no one else's", async () => {
    await database.prisma.signInThrottle.createMany({
      data: [
        {
          key: `pair:${user.email} 10.0.0.1`,
          failures: 6,
          windowStart: new Date(),
          blockedUntil: new Date(Date.now() + 60_000),
        },
        { key: `pair:other@example.org 10.0.0.1`, failures: 6, windowStart: new Date() },
        { key: `ip:10.0.0.1`, failures: 6, windowStart: new Date() },
      ],
    });
    const { token } = await issuePasswordReset(database.prisma, user.email);
    await resetPassword(database.prisma, { token, password: "after the lockout" });
    expect(
      (await database.prisma.signInThrottle.findMany({ select: { key: true }, orderBy: { key: "asc" } })).map(
        (row) => row.key,
      ),
    ).toEqual(["ip:10.0.0.1", "pair:other@example.org 10.0.0.1"]);
  });
});
