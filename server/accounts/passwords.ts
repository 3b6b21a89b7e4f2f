import { hash, verify } from "@node-rs/argon2";

// Argon2id, the memory-hard KDF OWASP recommends first, with its suggested minimum cost
// (19 MiB, 2 passes, 1 lane): about 50 ms per hash on our machines. @node-rs/argon2 ships
// prebuilt binaries, so it needs no install script and no compiler.
const ARGON2_OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password into a self-describing PHC string ($argon2id$…). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

let dummyHash: Promise<string> | undefined;

/**
 * Checks a password against a stored hash. With no hash (unknown email) it still spends the time
 * of one verification, so response times do not reveal which emails have accounts.
 */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (storedHash === null) {
    dummyHash ??= hashPassword("not a real password, only here to spend time");
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(storedHash, password).catch(() => false);
}
