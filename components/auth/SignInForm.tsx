"use client";

import Link from "next/link";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

/**
 * Only same-site paths may be returned to after signing in: one leading slash, and no backslash or
 * control character, which browsers read as slashes or drop ("/\\evil.example" is another site).
 */
function safeCallback(callbackUrl: string | undefined): string {
  return callbackUrl && /^\/(?!\/)[^\\\u0000-\u001f\u007f]*$/.test(callbackUrl) ? callbackUrl : "/memos";
}

type Props = {
  callbackUrl?: string;
  notice?: string;
  /** An error the sign-in page was sent back with (a failed single sign-on), already in words. */
  initialError?: string;
  /** The identity provider's name, when single sign-on is configured. */
  singleSignOn?: string;
  /** Whether the email-and-password form is offered (PASSWORD_SIGNIN). */
  passwordSignIn: boolean;
};

export function SignInForm({ callbackUrl, notice, initialError, singleSignOn, passwordSignIn }: Props) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(initialError ?? null);
  const [pending, setPending] = useState(false);
  const [redirecting, setRedirecting] = useState(false);

  async function onSingleSignOn() {
    setRedirecting(true);
    setError(null);
    // next-auth posts to /api/auth/signin/oidc with its CSRF token, then sends the browser to the provider.
    await signIn("oidc", { callbackUrl: safeCallback(callbackUrl) });
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      // Without it next-auth answers with this page's own address, and reads an earlier
      // ?error= in it (a failed single sign-on) as this sign-in's error.
      callbackUrl: safeCallback(callbackUrl),
      redirect: false,
    });
    setPending(false);
    if (!result || result.error) {
      setError(
        result?.error && result.error !== "CredentialsSignin" ? result.error : "Email or password is incorrect.",
      );
      return;
    }
    router.replace(safeCallback(callbackUrl));
    router.refresh();
  }

  return (
    <div className="sign-in-methods">
      {notice && !error && <p className="alert alert-info">{notice}</p>}
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
      {singleSignOn && (
        <button
          className={`button ${passwordSignIn ? "" : "button-primary"}`}
          type="button"
          onClick={onSingleSignOn}
          disabled={redirecting}
        >
          {redirecting ? "Opening sign-in…" : `Sign in with ${singleSignOn}`}
        </button>
      )}
      {singleSignOn && passwordSignIn && (
        <p className="auth-divider" aria-hidden="true">
          or
        </p>
      )}
      {passwordSignIn && (
        <form onSubmit={onSubmit} noValidate>
          <div className="field">
            <label htmlFor="email">Email</label>
            <input id="email" name="email" type="email" autoComplete="username" required autoFocus={!singleSignOn} />
          </div>
          <div className="field">
            <label htmlFor="password">Password</label>
            <input id="password" name="password" type="password" autoComplete="current-password" required />
          </div>
          <button className="button button-primary" type="submit" disabled={pending}>
            {pending ? "Signing in…" : "Sign in"}
          </button>
          <p className="auth-switch">
            New to Demarche? <Link href="/signup">Create an account</Link>
          </p>
        </form>
      )}
      {!passwordSignIn && <p className="auth-switch">Your account is created the first time you sign in.</p>}
    </div>
  );
}
