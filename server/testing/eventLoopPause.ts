import { monitorEventLoopDelay } from "node:perf_hooks";

// How long this thread's event loop was blocked while something ran: the longest gap between
// ticks of a 5 ms timer (what another user's save or a health check would have waited), checked
// against perf_hooks' own histogram. For the document-worker tests and `npm run bench`.

/** Runs `work` and returns its result with the event loop's longest pause meanwhile, in ms. */
export async function withEventLoopPause<T>(work: () => Promise<T>): Promise<{ result: T; maxPauseMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  let last = performance.now();
  let gapMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    gapMs = Math.max(gapMs, now - last - 5);
    last = now;
  }, 5);
  histogram.enable();
  try {
    const result = await work();
    // A pause that began just before the end is caught by the next tick.
    await new Promise((resolve) => setTimeout(resolve, 10));
    return { result, maxPauseMs: Math.max(gapMs, histogram.max / 1e6 - 5) };
  } finally {
    histogram.disable();
    clearInterval(timer);
  }
}
