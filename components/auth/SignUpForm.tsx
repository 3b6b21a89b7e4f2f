"use client";

import Link from "next/link";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { fieldMessages, type ErrorBody } from "@/components/api/callApi";
import type { SignUpInput } from "@/server/accounts/accountInput";

type FieldErrors = Partial<Record<keyof SignUpInput, string>>;

export function SignUpForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input: SignUpInput = {
      name: String(form.get("name") ?? ""),
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
    };
    setPending(true);
    setError(null);
    setFieldErrors({});
    try {
      const response = await fetch("/api/accounts", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(input),
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as ErrorBody | null;
        setFieldErrors(fieldMessages(body));
        setError(body?.error?.message ?? "Could not create the account. Try again.");
        return;
      }
      const result = await signIn("credentials", { email: input.email, password: input.password, redirect: false });
      if (!result || result.error) {
        router.replace("/signin?notice=account-created");
        return;
      }
      router.replace("/memos");
      router.refresh();
    } catch {
      setError("Could not reach the server. Check your connection and try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
      <div className="field">
        <label htmlFor="name">Full name</label>
        <input id="name" name="name" autoComplete="name" required autoFocus aria-invalid={!!fieldErrors.name} />
        {fieldErrors.name && <span className="field-error">{fieldErrors.name}</span>}
      </div>
      <div className="field">
        <label htmlFor="email">Work email</label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          aria-invalid={!!fieldErrors.email}
        />
        {fieldErrors.email && <span className="field-error">{fieldErrors.email}</span>}
      </div>
      <div className="field">
        <label htmlFor="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          aria-describedby="password-hint"
          aria-invalid={!!fieldErrors.password}
        />
        {fieldErrors.password ? (
          <span className="field-error">{fieldErrors.password}</span>
        ) : (
          <span className="field-hint" id="password-hint">
            At least 10 characters.
          </span>
        )}
      </div>
      <button className="button button-primary" type="submit" disabled={pending}>
        {pending ? "Creating your account…" : "Create account"}
      </button>
      <p className="auth-switch">
        Already have an account? <Link href="/signin">Sign in</Link>
      </p>
    </form>
  );
}
