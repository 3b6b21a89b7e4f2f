import type { PrismaPg } from "@prisma/adapter-pg";

// The pg driver adapter runs a migration script by splitting it at every ";" and sending the
// pieces one by one (executeScript in @prisma/adapter-pg 6.19; prisma/orm#22495). A function
// body (PL/pgSQL, dollar-quoted) holds semicolons, so a migration that creates a trigger
// function broke into pieces PostgreSQL refused. Here a script goes to PostgreSQL whole, as
// psql would send it: one simple-protocol query, whose statements PostgreSQL itself parses (dollar
// quotes and all) and runs in one implicit transaction, so a migration also applies all or nothing.
// Loaded by the Prisma CLI only (through prisma.config.ts), never by the app.

type ScriptRunner = {
  client: { query(text: string): Promise<unknown> };
  onError(error: unknown): never;
  executeScript(script: string): Promise<void>;
};

const patched = new WeakSet<object>();

/** `factory`, whose connections run migration scripts whole. */
export function runMigrationScriptsWhole(factory: PrismaPg): PrismaPg {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const prototype = Object.getPrototypeOf(adapter) as ScriptRunner;
    if (!patched.has(prototype)) {
      patched.add(prototype);
      prototype.executeScript = async function (this: ScriptRunner, script: string) {
        try {
          await this.client.query(script);
        } catch (error) {
          this.onError(error);
        }
      };
    }
    return adapter;
  };
  return factory;
}
