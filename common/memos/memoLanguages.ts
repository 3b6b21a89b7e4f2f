// The languages a memo can be written in, as its details name them: search stems a memo's words
// in its language (PostgreSQL text-search configurations, see the search migration). A memo
// without one is searched as English; a passage mostly in Arabic script is searched as Arabic
// whatever the memo's language.

export const MEMO_LANGUAGES = [
  { code: "en", label: "English" },
  { code: "fr", label: "Français" },
  { code: "de", label: "Deutsch" },
  { code: "es", label: "Español" },
  { code: "ar", label: "العربية" },
] as const;

export type MemoLanguage = (typeof MEMO_LANGUAGES)[number]["code"];

export const MEMO_LANGUAGE_CODES = MEMO_LANGUAGES.map((language) => language.code) as [MemoLanguage, ...MemoLanguage[]];
