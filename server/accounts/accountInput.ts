import { z } from "zod";
import { storableText } from "../../common/validation/storableText";

/** An email address as typed: trimmed and lower-cased before it is stored or looked up. */
export const emailAddress = storableText("the email address")
  .trim()
  .toLowerCase()
  .max(254, "That email address is too long.")
  .pipe(z.email("Enter a valid email address."));

/** A new password: long enough to resist guessing, short enough to hash cheaply. */
export const newPassword = storableText("the password")
  .min(10, "Use at least 10 characters for your password.")
  .max(256, "Use at most 256 characters for your password.");

/** What sign-up needs. */
export const signUpInput = z.object({
  name: storableText("your name")
    .trim()
    .min(1, "Enter your name.")
    .max(100, "Use at most 100 characters for your name."),
  email: emailAddress,
  password: newPassword,
});

export type SignUpInput = z.input<typeof signUpInput>;

/** The shape of a reset link's token: 32 random bytes, base64url. */
const resetToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "This reset link is not valid.");

/** What choosing a new password with a reset link needs. */
export const resetPasswordInput = z.object({ token: resetToken, password: newPassword });
