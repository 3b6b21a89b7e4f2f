// Entry of a document worker thread. Demarche's server code is TypeScript run through tsx, and a
// worker thread starts without the parent's loaders (the pool passes no execArgv, since under
// vitest or `node --import tsx` they differ), so it registers tsx itself before loading the tasks.
import { register } from "tsx/esm/api";

register();
await import("./heavyTasks.ts");
