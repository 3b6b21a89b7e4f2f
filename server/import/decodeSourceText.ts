import { invalidInput, tooLarge, unsupportedMediaType } from "../errors";
import { unstorableTextMessage } from "../../common/validation/storableText";

// Control characters other than tab, line feed, form feed and carriage return do not occur in
// text an analyst would paste; a few of them mean the upload is a binary file.
const BINARY_CONTROL_CHARS = /[\u0000-\u0008\u000B\u000E-\u001F\u007F]/u;

/** Decodes an uploaded source as UTF-8 text, refusing oversized, binary or empty input. */
export function decodeSourceText(bytes: Uint8Array, maxBytes: number): string {
  if (bytes.byteLength > maxBytes) throw sourceTooLarge(maxBytes);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw unsupportedMediaType("The source is not text: upload a plain-text (.txt, UTF-8) file.");
  }
  if (text.trim() === "") throw invalidInput("The file is empty: choose a file that holds the source text.");
  return checkSourceText(text, maxBytes);
}

/** Checks pasted source text the same way as an upload. */
export function checkSourceText(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, "utf8") > maxBytes) throw sourceTooLarge(maxBytes);
  if (BINARY_CONTROL_CHARS.test(text)) {
    throw unsupportedMediaType("The source is not text: it contains binary data. Upload a plain-text (.txt) file.");
  }
  // A decoded upload cannot hold a lone surrogate (UTF-8 has none), pasted text can.
  const unstorable = unstorableTextMessage(text, "the source text");
  if (unstorable) throw invalidInput(unstorable);
  if (text.trim() === "") throw invalidInput("There is no source text: paste the text to turn into a memo.");
  return text;
}

function sourceTooLarge(maxBytes: number) {
  return tooLarge(`The source is larger than ${formatBytes(maxBytes)}. Split it into several memos.`);
}

/** "512 KB", "2 MB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  return `${Math.round(bytes / 1024)} KB`;
}
