import { loadEnv } from "@/server/env";
import { forbidden } from "@/server/errors";

/** What sign-up and password reset answer when PASSWORD_SIGNIN=off. */
export const PASSWORD_SIGNIN_OFF =
  "Email-and-password accounts are turned off here: sign in with single sign-on, which creates your account the first time.";

/** For the sign-up and password-reset routes: a 403 when passwords are turned off. */
export function requirePasswordSignIn(): void {
  if (!loadEnv().PASSWORD_SIGNIN) throw forbidden(PASSWORD_SIGNIN_OFF);
}

/** Whether pages offer email-and-password forms. */
export function passwordSignInOn(): boolean {
  return loadEnv().PASSWORD_SIGNIN;
}
