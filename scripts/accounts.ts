// `npm run accounts -- reset-password <email>`: prints a one-time link (valid an hour) with which
// the account's owner chooses a new password, for a self-hosted box without email. Runs beside the
// server: it uses DATABASE_URL, or the embedded PostgreSQL that `npm start` is running.
import { issuePasswordReset, RESET_LINK_MINUTES } from "../server/accounts/passwordReset";
import { runningEmbeddedUrl } from "../server/database/embeddedPostgres";
import { createPrismaClient } from "../server/db";
import { loadEnv } from "../server/env";
import { isAppError } from "../server/errors";

const USAGE = "Usage: npm run accounts -- reset-password <email>\n";

async function main(): Promise<number> {
  const [command, email, ...rest] = process.argv.slice(2);
  if (command !== "reset-password" || !email || rest.length > 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  const env = loadEnv();
  if (!env.PASSWORD_SIGNIN) {
    process.stderr.write("Password sign-in is off (PASSWORD_SIGNIN=off): people sign in through single sign-on.\n");
    return 1;
  }
  const url = env.DATABASE_URL ?? runningEmbeddedUrl(env.dataDir);
  if (!url) {
    process.stderr.write(
      `Demarche's database is not running. Start Demarche (npm start) with DATA_DIR=${env.dataDir}, then run this again.\n`,
    );
    return 1;
  }
  const db = createPrismaClient(url);
  try {
    const { token, name } = await issuePasswordReset(db, email);
    process.stdout.write(
      `Password reset link for ${name} <${email.trim().toLowerCase()}>, valid for ${RESET_LINK_MINUTES} minutes and once:\n\n  ${env.appUrl}/reset-password?token=${token}\n\nGive it to them in person or over a channel you trust; earlier links for this account no longer work.\n`,
    );
    return 0;
  } catch (error) {
    if (isAppError(error)) {
      process.stderr.write(`${error.code === "not_found" ? `No account has the email ${email}.` : error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await db.$disconnect();
  }
}

process.exitCode = await main();
