import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname) };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          environment: "node",
          include: [
            "server/**/*.test.ts",
            "common/**/*.test.ts",
            "components/**/*.test.ts",
            "prisma/**/*.test.ts",
            "app/**/*.test.ts",
            "bench/**/*.test.ts",
          ],
          exclude: ["**/*.integration.test.ts", "node_modules/**"],
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          environment: "node",
          include: ["server/**/*.integration.test.ts", "prisma/**/*.integration.test.ts"],
          globalSetup: ["server/testing/globalSetup.ts"],
          testTimeout: 30_000,
          // Generous: each file starts real servers and databases, and CI machines are shared.
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
