import { flatListDoc } from "../server/testing/largeMemos";
import { versionContentOf } from "../server/versions/versionContent";
import { renderMemoPdf } from "../server/export/pdf/renderMemoPdf";
const doc = flatListDoc(10_000);
const { json } = versionContentOf(doc);
const source = { title: "Bench", metadata: { to: "A", from: "B", date: null, subject: "S", distribution: [], marking: "UNCLASSIFIED" }, body: json, exportedAt: new Date() };
for (let i = 0; i < 6; i++) {
  const t = performance.now();
  const c = process.cpuUsage();
  const bytes = await renderMemoPdf(source);
  const u = process.cpuUsage(c);
  console.log("pdf", Math.round(performance.now() - t), "ms wall", Math.round((u.user + u.system) / 1000), "ms cpu", bytes.length);
}
