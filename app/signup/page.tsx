import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SignUpForm } from "@/components/auth/SignUpForm";
import { Brand } from "@/components/layout/Brand";
import { currentUser } from "../_auth/session";
import { PASSWORD_SIGNIN_OFF, passwordSignInOn } from "../_auth/signInMethods";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage() {
  if (await currentUser()) redirect("/memos");
  return (
    <main className="auth-page">
      <div className="auth-card">
        <Brand />
        <h1>Create your account</h1>
        <p className="subtitle">Start drafting memos in a minute.</p>
        {passwordSignInOn() ? (
          <SignUpForm />
        ) : (
          <p className="alert alert-info">
            {PASSWORD_SIGNIN_OFF} <Link href="/signin">Sign in</Link>
          </p>
        )}
      </div>
    </main>
  );
}
