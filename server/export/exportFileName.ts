// File names of exports: "<title>-<date>.<ext>", for example
// "Pakistan-US-Relations-in-2025-2025-11-26.pdf". The Content-Disposition header carries an ASCII
// name for old clients and the full Unicode one in RFC 5987's filename*, so an Arabic title still
// names the file.

const MAX_TITLE_CHARS = 80;

function slug(title: string, keep: RegExp): string {
  const words = title
    .normalize("NFC")
    // "U.S." and "Pakistan’s" read as one word each.
    .replace(/[.'’`]/gu, "")
    .split(new RegExp(`[^${keep.source}]+`, "u"))
    .filter(Boolean);
  let name = "";
  for (const word of words) {
    const next = name ? `${name}-${word}` : word;
    if (Array.from(next).length > MAX_TITLE_CHARS) break;
    name = next;
  }
  return (
    name ||
    Array.from(words[0] ?? "")
      .slice(0, MAX_TITLE_CHARS)
      .join("")
  );
}

/** The file name in Unicode: letters and digits of any script, joined by hyphens. */
export function exportFileName(title: string, date: string, extension: string): string {
  return `${slug(title, /\p{L}\p{M}\p{N}/u) || "memo"}-${date}.${extension}`;
}

/** The same name in ASCII: accents dropped, other scripts left out. */
export function asciiExportFileName(title: string, date: string, extension: string): string {
  const ascii = title.normalize("NFKD").replace(/\p{M}/gu, "");
  return `${slug(ascii, /A-Za-z0-9/u) || "memo"}-${date}.${extension}`;
}

/** A Content-Disposition header that downloads the export under its name. */
export function attachmentDisposition(title: string, date: string, extension: string): string {
  const unicode = exportFileName(title, date, extension);
  const ascii = asciiExportFileName(title, date, extension);
  // RFC 5987 ext-value: UTF-8, percent-encoded, with the few characters encodeURIComponent leaves
  // that attr-char does not allow.
  const encoded = encodeURIComponent(unicode).replace(
    /['()*]/gu,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
