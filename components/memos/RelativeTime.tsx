"use client";

import { useSyncExternalStore } from "react";

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** "3 minutes ago", "yesterday"… */
export function formatRelative(date: Date, now = Date.now()): string {
  const seconds = Math.round((date.getTime() - now) / 1000);
  if (Math.abs(seconds) < 45) return "just now";
  const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(Math.round(seconds / 60), "minute");
}

// A shared clock that ticks once a minute; the server (and hydration) render without one.
const subscribeToMinutes = (onTick: () => void) => {
  const timer = setInterval(onTick, 30_000);
  return () => clearInterval(timer);
};
const currentMinute = () => Math.floor(Date.now() / 60_000);
const noClock = () => null;

/** A <time> that reads relatively and refreshes every minute; the full date is in its tooltip. */
export function RelativeTime({ iso }: { iso: string }) {
  const minute = useSyncExternalStore(subscribeToMinutes, currentMinute, noClock);
  const date = new Date(iso);
  return (
    <time dateTime={iso} title={date.toLocaleString("en")}>
      {minute === null ? date.toISOString().slice(0, 10) : formatRelative(date)}
    </time>
  );
}
