"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { callApi, jsonRequest } from "@/components/api/callApi";

/** Chooses a new password with a one-time reset link's token, then goes to sign-in. */
export function ResetPasswordForm({ token }: { token: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password") ?? "");
    if (password !== String(form.get("confirm") ?? "")) {
      setError("The two passwords differ.");
      return;
    }
    setPending(true);
    setError(null);
    try {
      await callApi<{ email: string }>("/api/accounts/reset-password", jsonRequest("POST", { token, password }));
      router.replace("/signin?notice=password-reset");
    } catch (failure) {
      setError((failure as Error).message);
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
        <label htmlFor="password">New password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={10}
          required
          autoFocus
          aria-describedby="password-hint"
        />
        <span className="field-hint" id="password-hint">
          At least 10 characters.
        </span>
      </div>
      <div className="field">
        <label htmlFor="confirm">New password again</label>
        <input id="confirm" name="confirm" type="password" autoComplete="new-password" required />
      </div>
      <button className="button button-primary" type="submit" disabled={pending}>
        {pending ? "Saving…" : "Set new password"}
      </button>
      <p className="auth-switch">
        Remembered it? <Link href="/signin">Sign in</Link>
      </p>
    </form>
  );
}
