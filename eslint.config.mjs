import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    ignores: ["node_modules/**", ".next/**", ".data/**", "server/generated/**", "test-results/**", "playwright-report/**", "next-env.d.ts"],
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
    files: ["server/env.ts", "scripts/**", "prisma.config.ts", "playwright.config.ts", "e2e/**", "server/testing/**", "server/database/**", "server/startup/**", "bench/**", "**/*.test.ts"],
    rules: { "no-restricted-syntax": "off" },
  },
  {
    // Playwright fixtures call `use`, which the React hooks rule mistakes for React's.
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
];

export default config;
