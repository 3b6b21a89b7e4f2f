import JSZip from "jszip";

// Reads a .docx back for tests: it is a zip of WordprocessingML parts. Paragraph text is collected
// from <w:t> (text), <w:tab/> and <w:br/>, with XML entities decoded.

/** The parts of a .docx a test looks at. */
export type DocxParts = {
  document: string;
  headers: string[];
  footers: string[];
  numbering: string;
  relationships: string;
  core: string;
};

/** Opens a .docx and reads its main parts as XML text. */
export async function readDocx(bytes: Uint8Array): Promise<DocxParts> {
  const zip = await JSZip.loadAsync(bytes);
  const read = async (name: string) => (await zip.file(name)?.async("string")) ?? "";
  const named = (pattern: RegExp) =>
    Promise.all(
      Object.keys(zip.files)
        .filter((name) => pattern.test(name))
        .sort()
        .map(read),
    );
  return {
    document: await read("word/document.xml"),
    headers: await named(/^word\/header\d+\.xml$/u),
    footers: await named(/^word\/footer\d+\.xml$/u),
    numbering: await read("word/numbering.xml"),
    relationships: await read("word/_rels/document.xml.rels"),
    core: await read("docProps/core.xml"),
  };
}

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Decodes the five XML entities and numeric character references. */
export function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/giu, (_, entity: string) =>
    entity.startsWith("#x")
      ? String.fromCodePoint(parseInt(entity.slice(2), 16))
      : entity.startsWith("#")
        ? String.fromCodePoint(Number(entity.slice(1)))
        : ENTITIES[entity],
  );
}

/** The text of every paragraph (<w:p>) of a part, in order. */
export function paragraphTexts(xml: string): string[] {
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>|<w:p\/>/gu)].map(([paragraph]) =>
    [...paragraph.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<w:tab\/>|<w:br\/>/gu)]
      .map(([token, text]) => (token.startsWith("<w:tab") ? "\t" : token.startsWith("<w:br") ? "\n" : decodeXml(text)))
      .join(""),
  );
}

/** The text of every paragraph, deleted text (<w:delText>) included: what a tracked change holds. */
export function trackedParagraphTexts(xml: string): string[] {
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/gu)].map(([paragraph]) =>
    [...paragraph.matchAll(/<w:(?:t|delText)(?: [^>]*)?>([^<]*)<\/w:(?:t|delText)>/gu)]
      .map(([, text]) => decodeXml(text))
      .join(""),
  );
}

/** A part as Word leaves it after "Accept all changes": deletions gone, insertions kept. */
export const acceptAllChanges = (xml: string) => xml.replace(/<w:del [^>]*>[\s\S]*?<\/w:del>/gu, "");

/** A part as Word leaves it after "Reject all changes": insertions gone, deletions kept. */
export const rejectAllChanges = (xml: string) => xml.replace(/<w:ins [^>]*>[\s\S]*?<\/w:ins>/gu, "");
