import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignUpForm } from "@/components/auth/SignUpForm";
import { Brand } from "@/components/layout/Brand";
import { currentUser } from "../_auth/session";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage() {
  if (await currentUser()) redirect("/memos");
  return (
    <main className="auth-page">
      <div className="auth-card">
        <Brand />
        <h1>Create your account</h1>
        <p className="subtitle">Start drafting memos in a minute.</p>
        <SignUpForm />
      </div>
    </main>
  );
}
