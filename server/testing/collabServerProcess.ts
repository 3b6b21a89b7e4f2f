// The collaboration server alone, as a separate process, for tests that must kill it (SIGKILL).
// Environment: DATABASE_URL, SESSION_SECRET, PORT. Prints "ready <port>" once listening.
import { createPrismaClient } from "../db";
import { startTestCollabServer } from "./collabHarness";

const prisma = createPrismaClient(process.env.DATABASE_URL!);
const server = await startTestCollabServer(prisma, process.env.DATABASE_URL!, {
  port: Number(process.env.PORT),
  secret: process.env.SESSION_SECRET,
  batchMs: Number(process.env.BATCH_MS ?? 50),
  redisUrl: process.env.REDIS_URL || undefined,
});
process.stdout.write(`ready ${server.port}\n`);
process.on("SIGTERM", () => {
  void server.stop().then(async () => {
    await prisma.$disconnect();
    process.exit(0);
  });
});
