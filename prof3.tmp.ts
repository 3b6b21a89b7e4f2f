import { prepareImport } from "./server/import/prepareImport";
import { bulletLines, shortLines } from "./server/testing/largeMemos";
for (const [name, src] of [
  ["bullets", bulletLines(512 * 1024)],
  ["short", shortLines(512 * 1024)],
  ["bullets", bulletLines(512 * 1024)],
  ["short", shortLines(512 * 1024)],
] as const) {
  const t = performance.now();
  const p = prepareImport(src, "x");
  console.log(name, (performance.now() - t) | 0, Object.keys(p));
}
