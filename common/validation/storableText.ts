import { z } from "zod";

// PostgreSQL cannot store two kinds of JavaScript string content: NUL (U+0000), which neither text
// nor jsonb accepts, and a lone UTF-16 surrogate, which has no UTF-8 encoding (jsonb refuses its
// escape; text would silently get U+FFFD instead). Neither comes from typing, so a request that
// carries one is refused with a message saying what to fix, here, before anything reaches the
// database and fails there as a 500. Every schema that accepts user text uses storableText. The
// editor makes pasted text storable the same way (toStorableText, components/editor/storablePaste.ts).

/** A UTF-16 surrogate not paired with its partner (with the u flag, a pair is one code point). */
const LONE_SURROGATE = /\p{Cs}/u;
const LONE_SURROGATES = /\p{Cs}/gu;
const NUL = "\u0000";

/** True when PostgreSQL can store `text` as it is (no NUL, no lone surrogate). */
export function isStorableText(text: string): boolean {
  return !text.includes(NUL) && !LONE_SURROGATE.test(text);
}

/** What is wrong with `text` for storage, as a message naming `what` ("the title"); null when nothing is. */
export function unstorableTextMessage(text: string, what: string): string | null {
  if (text.includes(NUL)) return `Remove the invisible control character (NUL) from ${what}.`;
  if (LONE_SURROGATE.test(text)) {
    return `${what.charAt(0).toUpperCase()}${what.slice(1)} contains a broken character (an unpaired surrogate): retype or paste it again.`;
  }
  return null;
}

/**
 * A zod string that PostgreSQL can store; `what` names the field in the message ("the title").
 * Checked before anything else in the chain, and the first failure stops the chain.
 */
export function storableText(what: string, params?: Parameters<typeof z.string>[0]) {
  return z.string(params).superRefine((text, context) => {
    const message = unstorableTextMessage(text, what);
    if (message) context.addIssue({ code: "custom", message, continue: false });
  });
}

/** `text` made storable: NUL dropped, each lone surrogate replaced with U+FFFD. */
export function toStorableText(text: string): string {
  return isStorableText(text) ? text : text.replaceAll(NUL, "").replace(LONE_SURROGATES, "\uFFFD");
}

/**
 * A copy of a JSON value with every string (keys included) made storable; `value` itself when it
 * needs no change. For text derived from stored state, which must be written whatever it holds.
 */
export function toStorableJson<T>(value: T): T {
  if (typeof value === "string") return toStorableText(value) as T;
  if (Array.isArray(value)) {
    const items = value.map((item: unknown) => toStorableJson(item));
    return items.some((item, index) => item !== value[index]) ? (items as T) : value;
  }
  if (value !== null && typeof value === "object") {
    let changed = false;
    const entries = Object.entries(value).map(([key, item]) => {
      const storable: [string, unknown] = [toStorableText(key), toStorableJson(item)];
      if (storable[0] !== key || storable[1] !== item) changed = true;
      return storable;
    });
    return changed ? (Object.fromEntries(entries) as T) : value;
  }
  return value;
}
