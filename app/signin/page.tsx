import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/SignInForm";
import { Brand } from "@/components/layout/Brand";
import { loadEnv } from "@/server/env";
import { currentUser } from "../_auth/session";

export const metadata: Metadata = { title: "Sign in" };

const NOTICES: Record<string, string> = {
  "account-created": "Your account is ready. Sign in to continue.",
  "password-reset": "Your password was changed. Sign in with the new one.",
};

// Why a sign-in came back here: next-auth's error codes for OAuth, and ours (app/_auth/authOptions.ts).
const ERRORS: Record<string, string> = {
  OidcUnavailable: "Single sign-on is unavailable right now. Try again in a moment, or tell your administrator.",
  OidcUnverifiedEmail:
    "Your identity provider does not say your email address is verified, so Demarche cannot use it to find your account and invitations. Ask your administrator.",
  OidcAccountExists:
    "The account with your email address already signs in as someone else at your identity provider. Ask your administrator.",
  OidcRetry: "Signing in crossed another sign-in of yours. Try again.",
  OidcClaims: "Your identity provider did not send an email address Demarche can use. Ask your administrator.",
  OAuthSignin: "Single sign-on could not start. Try again in a moment, or tell your administrator.",
  OAuthCallback:
    "Single sign-on did not complete: the answer from the identity provider was not valid or had expired. Try again.",
  Callback: "Single sign-on did not complete. Try again.",
  AccessDenied: "The sign-in was refused.",
  SessionRequired: "Sign in to continue.",
};

type Props = { searchParams: Promise<{ callbackUrl?: string; notice?: string; error?: string }> };

export default async function SignInPage({ searchParams }: Props) {
  const { callbackUrl, notice, error } = await searchParams;
  if (await currentUser()) redirect("/memos");
  const env = loadEnv();
  return (
    <main className="auth-page">
      <div className="auth-card">
        <Brand />
        <h1>Sign in</h1>
        <p className="subtitle">Draft and review briefing memos with your team.</p>
        <SignInForm
          callbackUrl={callbackUrl}
          notice={NOTICES[notice ?? ""]}
          initialError={error ? (ERRORS[error] ?? "Sign-in did not complete. Try again.") : undefined}
          singleSignOn={env.oidc?.displayName}
          passwordSignIn={env.PASSWORD_SIGNIN}
        />
      </div>
    </main>
  );
}
