/**
 * Milliseconds on the system's monotonic clock (CLOCK_MONOTONIC through process.hrtime), which every
 * process on the machine shares: a send time taken in one client worker and an arrival time taken in
 * another are directly comparable.
 */
export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
