"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { CommentsApi, Thread } from "./commentsApi";

/** Something that announces comment changes (the memo's connection). */
export type CommentsChangedSource = { onCommentsChanged(listener: (threadId: string) => void): () => void };

/**
 * The memo's threads: fetched on mount and again whenever the collaboration server says they
 * changed (and after every reconnection). Answers are applied in order: a slower, older answer
 * never replaces a newer one, nor a thread the user just wrote.
 */
export function useCommentThreads(api: CommentsApi, source: CommentsChangedSource) {
  const [threads, setThreads] = useState<Thread[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const generation = useRef(0);

  useEffect(() => {
    let disposed = false;
    const load = async () => {
      const ticket = ++generation.current;
      try {
        const list = await api.list();
        if (disposed || ticket !== generation.current) return;
        setThreads(list);
        setLoadError(null);
      } catch (failure) {
        if (!disposed && ticket === generation.current) setLoadError((failure as Error).message);
      }
    };
    void load();
    const stop = source.onCommentsChanged(() => void load());
    return () => {
      disposed = true;
      stop();
    };
  }, [api, source]);

  /** Puts a thread the user just changed in place (or removes it: null). */
  const apply = useCallback((threadId: string, thread: Thread | null) => {
    generation.current += 1;
    setThreads((list) => {
      const rest = (list ?? []).filter((entry) => entry.id !== threadId);
      if (!thread) return rest;
      const index = (list ?? []).findIndex((entry) => entry.id === threadId);
      return index === -1 ? [...rest, thread] : [...rest.slice(0, index), thread, ...rest.slice(index)];
    });
  }, []);

  return { threads, loadError, apply };
}
