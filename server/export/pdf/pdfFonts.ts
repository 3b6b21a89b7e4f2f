import { readFileSync } from "node:fs";
import path from "node:path";
import * as fontkit from "fontkit";

// The fonts a PDF export embeds. They are static TrueType files from npm packages of Google Fonts
// (@expo-google-fonts/*: plain .ttf files, no code we run), because pdfkit subsets TrueType glyph
// outlines as they are: a variable font (as @fontsource-variable ships) would embed its default
// weight for every style. Source Serif 4 sets the text, Inter the marking and labels, and the Noto
// fonts stand in for scripts and symbols those two lack (Arabic, Hebrew, emoji).

/** A font registered in a PDF document under `name`. */
export type FontFace = { name: string; file: string };

const face = (pkg: string, family: string, style: string): FontFace => ({
  name: `${family}-${style}`,
  file: path.join("@expo-google-fonts", pkg, style, `${family}_${style}.ttf`),
});

/** Every face the PDF may use. */
export const FACES = {
  serif: face("source-serif-4", "SourceSerif4", "400Regular"),
  serifItalic: face("source-serif-4", "SourceSerif4", "400Regular_Italic"),
  serifBold: face("source-serif-4", "SourceSerif4", "700Bold"),
  serifBoldItalic: face("source-serif-4", "SourceSerif4", "700Bold_Italic"),
  serifSemiBold: face("source-serif-4", "SourceSerif4", "600SemiBold"),
  sans: face("inter", "Inter", "400Regular"),
  sansSemiBold: face("inter", "Inter", "600SemiBold"),
  sansBold: face("inter", "Inter", "700Bold"),
  arabic: face("noto-sans-arabic", "NotoSansArabic", "400Regular"),
  arabicBold: face("noto-sans-arabic", "NotoSansArabic", "700Bold"),
  hebrew: face("noto-sans-hebrew", "NotoSansHebrew", "400Regular"),
  hebrewBold: face("noto-sans-hebrew", "NotoSansHebrew", "700Bold"),
  emoji: face("noto-emoji", "NotoEmoji", "400Regular"),
} as const;

/** A face with its bytes and parsed font, loaded once per process. */
export type LoadedFace = FontFace & { data: Buffer; font: fontkit.Font };

// Read from node_modules under the working directory (the project folder, as for the sample
// source), with a path spelled out so the Next.js build does not try to bundle font files.
const loaded = new Map<string, LoadedFace>();

/** The bytes and parsed font of a face (read and parsed on first use). */
export function loadFace(fontFace: FontFace): LoadedFace {
  let entry = loaded.get(fontFace.name);
  if (!entry) {
    const data = readFileSync(path.join(process.cwd(), "node_modules", fontFace.file));
    entry = { ...fontFace, data, font: fontkit.create(data) as fontkit.Font };
    loaded.set(fontFace.name, entry);
  }
  return entry;
}

type FontkitFont = fontkit.Font & { _glyphs?: Record<number, unknown> };

/**
 * A face's parsed font, ready for a new PDF document. The font is parsed once per thread and
 * shared by its documents (pdfText.ts), but fontkit caches each glyph with the characters of its
 * first use, and some glyphs stand for several characters (an Arabic letter's contextual form is
 * shared by letters that differ only in their dots): the PDF's text layer (copy, search, screen
 * readers) names the characters the glyph was first used for. The cache is emptied here, so a
 * memo's PDF is the same whatever this thread rendered before. `_glyphs` is fontkit's own field
 * (2.0.4, pinned by the lockfile): renderMemoPdf.test.ts's bidi test reads "قالت" as "فالت" without this.
 */
export function pdfFontOf(fontFace: FontFace): fontkit.Font {
  const font: FontkitFont = loadFace(fontFace).font;
  if (font._glyphs) font._glyphs = {};
  return font;
}

/** Style of a run of text. */
export type TextStyle = { bold: boolean; italic: boolean };

/** The faces tried in order for text in `family` and `style`: the family first, then fallbacks. */
export function fontChain(
  family: "serif" | "serifSemiBold" | "sans" | "sansSemiBold" | "sansBold",
  style: TextStyle,
): FontFace[] {
  const bold = style.bold || family === "sansBold" || family === "sansSemiBold" || family === "serifSemiBold";
  const primary = {
    serif: style.bold
      ? style.italic
        ? FACES.serifBoldItalic
        : FACES.serifBold
      : style.italic
        ? FACES.serifItalic
        : FACES.serif,
    serifSemiBold: FACES.serifSemiBold,
    sans: style.bold ? FACES.sansBold : FACES.sans,
    sansSemiBold: FACES.sansSemiBold,
    sansBold: FACES.sansBold,
  }[family];
  return [
    primary,
    bold ? FACES.arabicBold : FACES.arabic,
    bold ? FACES.hebrewBold : FACES.hebrew,
    FACES.emoji,
    bold ? FACES.sansBold : FACES.sans,
  ];
}
