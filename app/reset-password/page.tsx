import type { Metadata } from "next";
import Link from "next/link";
import { ResetPasswordForm } from "@/components/auth/ResetPasswordForm";
import { Brand } from "@/components/layout/Brand";
import { PASSWORD_SIGNIN_OFF, passwordSignInOn } from "../_auth/signInMethods";

export const metadata: Metadata = { title: "Choose a new password" };

type Props = { searchParams: Promise<{ token?: string | string[] }> };

/** The page a reset link opens: the token stays in the page, the server checks it on submit. */
export default async function ResetPasswordPage({ searchParams }: Props) {
  const { token } = await searchParams;
  return (
    <main className="auth-page">
      <div className="auth-card">
        <Brand />
        <h1>Choose a new password</h1>
        {!passwordSignInOn() ? (
          <p className="alert alert-info">
            {PASSWORD_SIGNIN_OFF} <Link href="/signin">Sign in</Link>
          </p>
        ) : typeof token === "string" && token !== "" ? (
          <>
            <p className="subtitle">This link works once. After it, sign in with the new password.</p>
            <ResetPasswordForm token={token} />
          </>
        ) : (
          <p className="alert alert-error" role="alert">
            This page needs the link your administrator gave you (it ends in <code>?token=…</code>).{" "}
            <Link href="/signin">Back to sign-in</Link>
          </p>
        )}
      </div>
    </main>
  );
}
