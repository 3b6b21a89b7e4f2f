#!/usr/bin/env node
// Runs the Prisma CLI offline. Prisma 6.19 would download a native query engine for `generate`
// from binaries.prisma.sh, which these machines cannot reach; our client is generated with
// engineType "client" and never loads that engine, so naming any existing file stops the
// download. Migrations run on the WebAssembly schema engine (prisma.config.ts).
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const cli = require.resolve("prisma/build/index.js");
const result = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], {
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_QUERY_ENGINE_LIBRARY: process.env.PRISMA_QUERY_ENGINE_LIBRARY ?? cli,
    CHECKPOINT_DISABLE: "1",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
  },
});
process.exit(result.status ?? 1);
