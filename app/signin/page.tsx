import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/SignInForm";
import { Brand } from "@/components/layout/Brand";
import { currentUser } from "../_auth/session";

export const metadata: Metadata = { title: "Sign in" };

const NOTICES: Record<string, string> = {
  "account-created": "Your account is ready. Sign in to continue.",
  "password-reset": "Your password was changed. Sign in with the new one.",
};

type Props = { searchParams: Promise<{ callbackUrl?: string; notice?: string; error?: string }> };

export default async function SignInPage({ searchParams }: Props) {
  const { callbackUrl, notice } = await searchParams;
  if (await currentUser()) redirect("/memos");
  return (
    <main className="auth-page">
      <div className="auth-card">
        <Brand />
        <h1>Sign in</h1>
        <p className="subtitle">Draft and review briefing memos with your team.</p>
        <SignInForm callbackUrl={callbackUrl} notice={NOTICES[notice ?? ""]} />
      </div>
    </main>
  );
}
