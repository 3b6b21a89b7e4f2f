"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useId, useRef, useState, useSyncExternalStore, type KeyboardEvent } from "react";
import { Modal } from "@/components/memos/Modal";
import { fetchSearchPage, hitHref, type MarkedText, type SearchHit } from "./searchApi";
import type { Jsonified } from "@/components/api/callApi";

type Hit = Jsonified<SearchHit>;
type Results = { query: string; hits: Hit[]; more: boolean };

/** Waits this long after a keystroke before asking, so typing a word sends one request. */
const TYPING_MS = 150;

/** Text with its matched words in <mark>; always text, never HTML. */
function Marked({ text }: { text: MarkedText }) {
  return (
    <>
      {text.map((segment, index) =>
        segment.match ? <mark key={index}>{segment.text}</mark> : <span key={index}>{segment.text}</span>,
      )}
    </>
  );
}

const plain = (text: MarkedText) => text.map((segment) => segment.text).join("");

function whereFound(hit: Hit): string {
  if (hit.kind === "comment") return "In a comment";
  if (hit.kind === "memo") return "In the title or details";
  const heading = plain(hit.heading);
  return heading ? `In “${heading}”` : "In the text";
}

/** Ctrl+K / ⌘K opens search, except in the memo text, where it makes a link (as in Google Docs and Word). */
export function isSearchShortcut(event: globalThis.KeyboardEvent): boolean {
  if (event.key.toLowerCase() !== "k" || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey)
    return false;
  const target = event.target as HTMLElement | null;
  return !target?.closest?.(".ProseMirror");
}

const noSubscription = () => () => {};

/** The search box of the header: a button that opens a dialog of results as one types. */
export function SearchDialog() {
  const [open, setOpen] = useState(false);
  // The shortcut is announced (aria-keyshortcuts, the hint) once it works: the server's HTML and
  // hydration render it unannounced, and the render after hydration (after the effect below has
  // registered the listener) announces it.
  const shortcutReady = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (!isSearchShortcut(event)) return;
      event.preventDefault();
      setOpen(true);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  return (
    <>
      <button
        className="search-button"
        type="button"
        onClick={() => setOpen(true)}
        aria-keyshortcuts={shortcutReady ? "Control+K Meta+K" : undefined}
        title="Search the memos you can open (Ctrl+K)"
      >
        <span aria-hidden="true">⌕</span> <span className="search-button-label">Search</span>
        <kbd
          className="search-button-key"
          aria-hidden="true"
          style={{ visibility: shortcutReady ? undefined : "hidden" }}
        >
          Ctrl K
        </kbd>
      </button>
      <Modal open={open} onClose={() => setOpen(false)} labelledBy="search-title">
        <SearchPanel onClose={() => setOpen(false)} />
      </Modal>
    </>
  );
}

function SearchPanel({ onClose }: { onClose: () => void }) {
  const router = useRouter();
  const listId = useId();
  const [query, setQuery] = useState("");
  const [results, setResults] = useState<Results | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const request = useRef<AbortController | null>(null);

  const load = useCallback(async (text: string, offset: number) => {
    request.current?.abort();
    const controller = new AbortController();
    request.current = controller;
    setPending(true);
    setError(null);
    try {
      const page = await fetchSearchPage(text, offset, controller.signal);
      if (controller.signal.aborted) return;
      setResults((previous) => ({
        query: text,
        // Ranks may shift between pages (a memo edited meanwhile): a memo already listed stays once.
        hits:
          offset > 0 && previous?.query === text
            ? [
                ...previous.hits,
                ...page.hits.filter((hit) => !previous.hits.some((listed) => listed.memoId === hit.memoId)),
              ]
            : page.hits,
        more: page.more,
      }));
      if (offset === 0) setActive(0);
    } catch (failure) {
      if (!controller.signal.aborted) setError((failure as Error).message);
    } finally {
      if (request.current === controller) setPending(false);
    }
  }, []);

  useEffect(() => {
    if (!query.trim()) return;
    const timer = setTimeout(() => void load(query, 0), TYPING_MS);
    return () => clearTimeout(timer);
  }, [query, load]);

  const change = (next: string) => {
    setQuery(next);
    if (!next.trim()) {
      // Nothing to search for: no request, no results left from before.
      request.current?.abort();
      setResults(null);
      setPending(false);
      setError(null);
    }
  };

  useEffect(() => () => request.current?.abort(), []);

  const hits = results?.hits ?? [];
  const go = (hit: Hit | undefined) => {
    if (!hit) return;
    onClose();
    router.push(hitHref(hit));
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setActive((index) => Math.min(index + 1, hits.length - 1));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive((index) => Math.max(index - 1, 0));
    } else if (event.key === "Enter" && !event.nativeEvent.isComposing) {
      event.preventDefault();
      // Only results of what the box says now: not those of a query typed over a moment ago.
      if (results?.query === query) go(hits[active]);
    }
  };
  useEffect(() => {
    document.getElementById(`${listId}-${active}`)?.scrollIntoView({ block: "nearest" });
  }, [active, listId]);

  const status = !query.trim()
    ? "Search the titles, details, text and comments of every memo you can open."
    : error
      ? error
      : pending && !results
        ? "Searching…"
        : results && hits.length === 0 && !pending
          ? `No memo you can open matches “${query.trim()}”.`
          : results
            ? `${hits.length}${results.more ? "+" : ""} ${hits.length === 1 ? "memo" : "memos"} found`
            : "";

  return (
    <div className="search-panel">
      <h2 id="search-title" className="visually-hidden">
        Search memos
      </h2>
      <input
        className="search-input"
        type="search"
        role="combobox"
        aria-label="Search memos"
        aria-expanded={hits.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={hits.length > 0 ? `${listId}-${active}` : undefined}
        placeholder="Search memos: words, “a phrase”, or the start of a word"
        value={query}
        maxLength={200}
        autoFocus
        dir="auto"
        onChange={(event) => change(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <p className={error ? "search-status search-status-error" : "search-status"} role="status" aria-live="polite">
        {status}
      </p>
      <ul id={listId} className="search-results" role="listbox" aria-label="Memos found">
        {hits.map((hit, index) => (
          <li
            key={hit.memoId}
            id={`${listId}-${index}`}
            role="option"
            aria-selected={index === active}
            className={index === active ? "search-hit search-hit-active" : "search-hit"}
            onMouseMove={() => setActive(index)}
            onClick={() => go(hit)}
          >
            <span className="search-hit-title" dir="auto">
              <Marked text={hit.title} />
            </span>
            <span className="search-hit-where">{whereFound(hit)}</span>
            {hit.snippet.length > 0 && (
              <span className="search-hit-snippet" dir="auto">
                <Marked text={hit.snippet} />
              </span>
            )}
          </li>
        ))}
      </ul>
      <div className="search-actions">
        {results?.more && (
          <button
            className="button button-quiet button-small"
            type="button"
            disabled={pending}
            onClick={() => void load(results.query, hits.length)}
          >
            {pending ? "Loading…" : "More results"}
          </button>
        )}
        <span className="spacer" />
        <span className="search-hint" aria-hidden="true">
          ↑↓ to choose · Enter to open · Esc to close
        </span>
        <button className="button button-quiet button-small" type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
