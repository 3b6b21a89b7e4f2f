import pg from "pg";

// Postgres catalog types the pg driver adapter cannot decode (prisma/orm#27403): `name` and `"char"`.
// `prisma migrate` reads them from pg_catalog while introspecting, so the CLI fails with
// "Column type 'name' could not be deserialized". Both are plain strings on the wire, so we relabel
// them as `text` before results reach the adapter. The patch is applied to pg.Client itself because
// the adapter opens extra pools of its own (the shadow database). Loaded by the Prisma CLI only
// (through prisma.config.ts), never by the app.
const NAME_OID = 19;
const CHAR_OID = 18;
const TEXT_OID = 25;

type QueryResultLike = { fields?: { dataTypeID: number }[] };
type AnyQuery = (this: pg.Client, ...args: unknown[]) => unknown;

function relabelResult(result: unknown): void {
  for (const one of Array.isArray(result) ? result : [result]) {
    for (const field of (one as QueryResultLike | undefined)?.fields ?? []) {
      if (field.dataTypeID === NAME_OID || field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
    }
  }
}

let patched = false;

/** Makes every pg client in this process report catalog `name` and `"char"` columns as `text`. */
export function relabelCatalogTypesAsText(): void {
  if (patched) return;
  patched = true;
  const prototype = pg.Client.prototype as unknown as { query: AnyQuery };
  const query = prototype.query;
  prototype.query = function (this: pg.Client, ...args: unknown[]) {
    // pg's Pool calls client.query with a trailing callback; direct callers use the promise form.
    const callback = args.at(-1);
    if (typeof callback === "function") {
      return query.call(this, ...args.slice(0, -1), (error: unknown, result: unknown) => {
        if (!error) relabelResult(result);
        callback(error, result);
      });
    }
    const pending = query.apply(this, args);
    return pending instanceof Promise ? pending.then((result) => (relabelResult(result), result)) : pending;
  };
}
