import { describe, expect, it } from "vitest";
import { asciiExportFileName, attachmentDisposition, exportFileName } from "./exportFileName";

describe("export file names", () => {
  it("names the file after the title and date", () => {
    expect(exportFileName("Pakistan–U.S. Relations", "2025-11-26", "pdf")).toBe("Pakistan-US-Relations-2025-11-26.pdf");
    expect(exportFileName("Pakistan’s renewed quest: a note", "2025-11-26", "md")).toBe(
      "Pakistans-renewed-quest-a-note-2025-11-26.md",
    );
  });

  it("keeps other scripts in the Unicode name and drops them from the ASCII one", () => {
    expect(exportFileName("Café in Zürich", "2025-01-02", "docx")).toBe("Café-in-Zürich-2025-01-02.docx");
    expect(asciiExportFileName("Café in Zürich", "2025-01-02", "docx")).toBe("Cafe-in-Zurich-2025-01-02.docx");
    expect(exportFileName("مذكرة إحاطة", "2025-01-02", "pdf")).toBe("مذكرة-إحاطة-2025-01-02.pdf");
    expect(asciiExportFileName("مذكرة إحاطة", "2025-01-02", "pdf")).toBe("memo-2025-01-02.pdf");
  });

  it("cannot be steered into a path, a header or a hidden file", () => {
    for (const title of [
      "../../etc/passwd",
      'a"; filename="evil.exe',
      "line\r\nSet-Cookie: x=1",
      ".hidden",
      "  ",
      "💣💣",
    ]) {
      const name = exportFileName(title, "2025-01-02", "pdf");
      expect(name).toMatch(/^[\p{L}\p{M}\p{N}-]+\.pdf$/u);
      expect(name.startsWith("-") || name.startsWith(".")).toBe(false);
      const header = attachmentDisposition(title, "2025-01-02", "pdf");
      expect(header).toMatch(/^attachment; filename="[A-Za-z0-9-]+\.pdf"; filename\*=UTF-8''[A-Za-z0-9%._~-]+$/u);
    }
    expect(exportFileName("💣💣", "2025-01-02", "pdf")).toBe("memo-2025-01-02.pdf");
  });

  it("shortens long titles at a word boundary", () => {
    const name = exportFileName("word ".repeat(40), "2025-01-02", "pdf");
    expect(name.length).toBeLessThanOrEqual(80 + "-2025-01-02.pdf".length);
    expect(name).toMatch(/^(word-)+word-2025-01-02\.pdf$/u);
  });

  it("percent-encodes the Unicode name for filename*", () => {
    expect(attachmentDisposition("Café (draft)", "2025-01-02", "pdf")).toBe(
      `attachment; filename="Cafe-draft-2025-01-02.pdf"; filename*=UTF-8''Caf%C3%A9-draft-2025-01-02.pdf`,
    );
  });
});
