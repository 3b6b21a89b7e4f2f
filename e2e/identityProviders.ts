// Started by playwright.config.ts beside the app: the identity provider the app is configured with
// (E2E_OIDC_PORT), and another one (E2E_OIDC_OTHER_PORT) that registers the same client, to send
// the app an answer from an issuer it does not trust. Both stop when Playwright ends the process.
import { startTestIdentityProvider } from "../server/testing/testIdentityProvider";

const redirectUris = [`http://localhost:${process.env.E2E_PORT}/api/auth/callback/oidc`];
const providers = await Promise.all(
  [process.env.E2E_OIDC_PORT, process.env.E2E_OIDC_OTHER_PORT].map((port) =>
    startTestIdentityProvider({ redirectUris, port: Number(port) }),
  ),
);
process.on("SIGTERM", () => {
  void Promise.all(providers.map((provider) => provider.close())).then(() => process.exit(0));
});
