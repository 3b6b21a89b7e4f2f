import { describe, expect, it } from "vitest";
import { saveStatus } from "./StatusPills";

describe("saveStatus", () => {
  const offline = { connection: "offline", storageFailing: false } as const;

  it("says Saved only when the server acknowledged every edit", () => {
    expect(saveStatus({ ...offline, connection: "connected", saved: true, keptLocally: false }).label).toBe("Saved");
    expect(saveStatus({ ...offline, connection: "connected", saved: false, keptLocally: true }).label).toBe("Saving…");
    // A memo that never connected (a refused address, a server that is down) is never "Saved".
    expect(saveStatus({ ...offline, connection: "connecting", saved: true, keptLocally: true }).label).toBe(
      "Not connected yet",
    );
  });

  it("says kept on this device only once the device copy has committed the edits", () => {
    expect(saveStatus({ ...offline, saved: false, keptLocally: false }).label).toBe(
      "Offline — keeping changes on this device…",
    );
    expect(saveStatus({ ...offline, saved: false, keptLocally: true }).label).toBe(
      "Offline — changes kept on this device",
    );
    expect(saveStatus({ ...offline, connection: "reconnecting", saved: false, keptLocally: false }).label).toBe(
      "Not saved yet — keeping on this device…",
    );
    expect(saveStatus({ ...offline, connection: "reconnecting", saved: false, keptLocally: true }).label).toBe(
      "Not saved yet — kept on this device",
    );
  });
});
