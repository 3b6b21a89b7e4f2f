import { z } from "zod";
import { isAllowedLink, LINK_HTML_ATTRIBUTES, ORDERED_LIST_TYPES } from "../../common/editor/memoExtensions";
import {
  SUGGESTED_DELETION,
  SUGGESTED_INSERTION,
  SUGGESTION_ID_PATTERN,
} from "../../common/suggestions/suggestionMarks";
import { UUID_PATTERN } from "../ids";
import { isStorableText } from "../../common/validation/storableText";

// The values a memo's node attributes and marks may hold in its Yjs document, as y-tiptap writes
// them: an attribute is one value under its name on the element, a mark is a formatting attribute
// of the text whose value is the mark's attrs (null where the mark ends). A value the schema's
// names allow can still be wrong (a heading of level 99, a link to "java\tscript:"), so each has
// its shape here. Every attribute of the schema must be listed (a test checks), so a new one
// cannot go unchecked.

const text = (max: number) => z.string().max(max).refine(isStorableText);

/** Node name → attribute name → accepted values. */
export const ATTRIBUTE_VALUES: Record<string, Record<string, z.ZodType>> = {
  heading: { level: z.union([z.literal(1), z.literal(2), z.literal(3)]) },
  orderedList: {
    // Any whole number: "1234567. " starts a list there, and HTML allows <ol start="-3">.
    start: z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER),
    type: z.enum(ORDERED_LIST_TYPES).nullable(),
  },
};

const noAttributes = z.strictObject({});

const link = z.strictObject({
  href: text(2048).refine(isAllowedLink),
  title: text(500).nullable().optional(),
  // Stored by clients before these became fixed (memoExtensions.ts), and ignored since: only the
  // values those clients wrote are accepted.
  target: z.literal(LINK_HTML_ATTRIBUTES.target).nullable().optional(),
  rel: z.literal(LINK_HTML_ATTRIBUTES.rel).nullable().optional(),
  class: z.null().optional(),
});

/** A suggestion's id, author (a user id) and time (server/collab/suggestionRules.ts checks the author). */
const suggestion = z.strictObject({
  id: z.string().regex(SUGGESTION_ID_PATTERN),
  author: z.string().regex(UUID_PATTERN),
  time: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  split: z.literal(true).nullable().optional(),
});

/** Mark name → accepted attrs (a mark's value when it starts). */
export const MARK_VALUES: Record<string, z.ZodType> = {
  bold: noAttributes,
  italic: noAttributes,
  underline: noAttributes,
  link,
  [SUGGESTED_INSERTION]: suggestion,
  [SUGGESTED_DELETION]: suggestion,
};

/** Whether `value` may be the attribute `attribute` of a `node` element. */
export function validAttributeValue(node: string, attribute: string, value: unknown): boolean {
  const schema =
    Object.hasOwn(ATTRIBUTE_VALUES, node) && Object.hasOwn(ATTRIBUTE_VALUES[node], attribute)
      ? ATTRIBUTE_VALUES[node][attribute]
      : undefined;
  return schema !== undefined && schema.safeParse(value).success;
}

/** Whether `value` may be the formatting value of the mark `mark` (null ends it). */
export function validMarkValue(mark: string, value: unknown): boolean {
  if (value === null) return true;
  return Object.hasOwn(MARK_VALUES, mark) && MARK_VALUES[mark].safeParse(value).success;
}
