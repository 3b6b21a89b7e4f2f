import { Database } from "@hocuspocus/extension-database";
import { Server } from "@hocuspocus/server";
import pg from "pg";
import { HOCUSPOCUS_TABLE } from "./hocuspocusTable";
import { runServerProcess } from "./serverProcess";

// Anchor: Hocuspocus with its defaults (debounced stores: 2 s, at most 10 s; updates that arrive in
// one event-loop turn merged into one broadcast), in memory or with its database extension storing
// the whole document state in a bytea table of the same PostgreSQL as ours.

const mode = process.argv[2] === "postgres" ? "postgres" : "memory";

void runServerProcess(async () => {
  const pool =
    mode === "postgres" ? new pg.Pool({ connectionString: process.env.BENCH_DATABASE_URL, max: 10 }) : undefined;
  const extensions = pool
    ? [
        new Database({
          fetch: async ({ documentName }) => {
            const result = await pool.query<{ data: Buffer }>(`SELECT data FROM ${HOCUSPOCUS_TABLE} WHERE name = $1`, [
              documentName,
            ]);
            return result.rows[0] ? new Uint8Array(result.rows[0].data) : null;
          },
          store: async ({ documentName, state }) => {
            await pool.query(
              `INSERT INTO ${HOCUSPOCUS_TABLE} (name, data) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET data = EXCLUDED.data`,
              [documentName, state],
            );
          },
        }),
      ]
    : [];
  const server = new Server({ port: 0, address: "127.0.0.1", quiet: true, stopOnSignals: false, extensions });
  await server.listen();
  return {
    port: server.address.port,
    openDocuments: () => server.hocuspocus.getDocumentsCount(),
    async stop() {
      await server.destroy();
      await pool?.end();
    },
  };
});
