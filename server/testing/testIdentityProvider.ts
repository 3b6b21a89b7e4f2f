import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Configuration, type KoaContextWithOIDC } from "oidc-provider";
import { TEST_CLIENT_ID, TEST_CLIENT_SECRET } from "./testOidcClient";

// A real OpenID Connect provider for the tests (oidc-provider, the reference implementation
// certified by the OpenID Foundation), on 127.0.0.1. Its sign-in page is ours, four fields and no
// outside resources, so a browser can be driven through it: whatever email and name are typed
// sign in as that person (subject = the email unless "subject" is given), and consent is implied.
// An email that starts with "slow-" gets an authorization code that lives one second and is sent
// back to the app two and a half seconds late, as over a stalled connection, so it arrives
// expired; "unverified-" emails come without email_verified.

export type TestIdentityProvider = { issuer: string; close(): Promise<void> };

type Person = { email: string; name: string };

const page = (body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head><body>${body}</body></html>`;
const escape = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** Starts a provider on 127.0.0.1 (`port` 0 picks one) whose client may return to `redirectUris`. */
export async function startTestIdentityProvider(options: {
  redirectUris: string[];
  port?: number;
}): Promise<TestIdentityProvider> {
  const people = new Map<string, Person>();
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const configuration: Configuration = {
    clients: [
      {
        client_id: TEST_CLIENT_ID,
        client_secret: TEST_CLIENT_SECRET,
        redirect_uris: options.redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    async findAccount(_ctx, id) {
      const person = people.get(id);
      if (!person) return undefined;
      return {
        accountId: id,
        async claims() {
          return {
            sub: id,
            email: person.email,
            name: person.name,
            ...(person.email.startsWith("unverified-") ? {} : { email_verified: true }),
          };
        },
      };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: { devInteractions: { enabled: false } },
    cookies: { keys: ["test-identity-provider-cookie-key"] },
    pkce: { required: () => true },
    ttl: {
      AuthorizationCode: (_ctx, code) => (String(people.get(code.accountId ?? "")?.email).startsWith("slow-") ? 1 : 60),
      Session: 600,
      Interaction: 600,
      Grant: 600,
      IdToken: 600,
      AccessToken: 600,
    },
    // First-party sign-in: consent to what was asked is implied.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { client, session, params } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const existing = session.grantIdFor(client.clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(String(params?.scope ?? "openid"));
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(issuer, configuration);
  provider.use(async (ctx, next) => {
    await next();
    const location = ctx.response.get("location");
    const person = people.get(String(ctx.oidc?.session?.accountId ?? ""));
    if (/[?&]code=/.test(location) && person?.email.startsWith("slow-")) {
      await new Promise((resolve) => setTimeout(resolve, 2500));
    }
  });
  const callback = provider.callback();

  server.on("request", (req, res) => {
    const url = new URL(req.url ?? "/", issuer);
    if (!url.pathname.startsWith("/interaction/")) {
      callback(req, res);
      return;
    }
    handleInteraction(req, res).catch((error: unknown) => {
      res.statusCode = 400;
      res.end(page(`<p role="alert">${escape(String((error as Error).message))}</p>`));
    });
  });

  async function handleInteraction(req: http.IncomingMessage, res: http.ServerResponse) {
    const details = await provider.interactionDetails(req, res);
    if (req.method === "GET") {
      res.setHeader("content-type", "text/html; charset=utf-8");
      res.end(
        page(`<h1>Test identity provider</h1>
<form method="post" action="/interaction/${details.uid}">
<label>Email <input name="email" type="email" required></label>
<label>Name <input name="name"></label>
<label>Subject <input name="subject"></label>
<button type="submit">Continue</button>
</form>`),
      );
      return;
    }
    const form = new URLSearchParams(await readBody(req));
    const email = form.get("email") ?? "";
    const subject = form.get("subject") || email;
    people.set(subject, { email, name: form.get("name") ?? "" });
    await provider.interactionFinished(req, res, { login: { accountId: subject } }, { mergeWithLastSubmission: false });
  }

  return {
    issuer,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
