/** The client the test identity provider (testIdentityProvider.ts) registers for Demarche. */
export const TEST_CLIENT_ID = "demarche-tests";
export const TEST_CLIENT_SECRET = "a-client-secret-for-the-tests-only";
