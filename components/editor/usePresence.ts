"use client";

import { useEffect, useState } from "react";
import type { Awareness } from "y-protocols/awareness";
import { usableRemotePresence } from "@/common/protocol/presenceState";
import type { MemoRole } from "@/common/sharing/memoPermissions";
import { presenceColor } from "@/common/sharing/presenceColor";

/** Whether someone is typing, has paused, or has the memo in a background tab. */
export type Activity = "active" | "idle" | "away";

/** One person in the memo (several tabs of one person count once, at their most active). */
export type Participant = {
  userId: string;
  name: string;
  color: string;
  role: MemoRole | null;
  activity: Activity;
  isYou: boolean;
};

const IDLE_AFTER_MS = 60_000;
const RANK: Record<Activity, number> = { active: 0, idle: 1, away: 2 };

export function participants(
  awareness: Awareness,
  you: { id: string; name: string },
  yourRole: MemoRole,
): Participant[] {
  const byUser = new Map<string, Participant>();
  for (const [clientId, raw] of awareness.getStates()) {
    const isYou = clientId === awareness.clientID;
    // Someone else's state is shown only in the shape the server relays (common/protocol/presenceState.ts).
    const state = isYou ? null : usableRemotePresence(raw);
    if (!isYou && !state) continue;
    const userId = state ? state.user.id : you.id;
    const person: Participant = {
      userId,
      name: state ? state.user.name : you.name,
      color: presenceColor(userId),
      role: state ? state.user.role : yourRole,
      activity: (state ? state.activity : (raw as { activity?: Activity }).activity) ?? "active",
      isYou: userId === you.id,
    };
    const known = byUser.get(userId);
    if (!known || RANK[person.activity] < RANK[known.activity]) byUser.set(userId, person);
  }
  return [...byUser.values()].sort(
    (a, b) => Number(b.isYou) - Number(a.isYou) || RANK[a.activity] - RANK[b.activity] || a.name.localeCompare(b.name),
  );
}

const samePerson = (a: Participant, b: Participant) =>
  a.userId === b.userId &&
  a.name === b.name &&
  a.color === b.color &&
  a.role === b.role &&
  a.activity === b.activity &&
  a.isYou === b.isYou;

/** Whether two lists show the same people the same way (caret moves change neither). */
export function samePeople(a: readonly Participant[], b: readonly Participant[]): boolean {
  return a.length === b.length && a.every((person, index) => samePerson(person, b[index]));
}

/**
 * Publishes this user's presence (name, colour, activity) and returns everyone in the memo.
 * The server replaces our `user` with the signed-in identity before others see it.
 */
export function usePresence(
  awareness: Awareness,
  you: { id: string; name: string },
  yourRole: MemoRole,
): Participant[] {
  const [people, setPeople] = useState<Participant[]>([]);

  useEffect(() => {
    awareness.setLocalStateField("user", { name: you.name, color: presenceColor(you.id) });
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    const setActivity = (activity: Activity) => {
      if (awareness.getLocalState()?.activity !== activity) awareness.setLocalStateField("activity", activity);
    };
    const onInput = () => {
      if (document.hidden) return;
      setActivity("active");
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = setTimeout(() => setActivity("idle"), IDLE_AFTER_MS);
    };
    const onVisibility = () => (document.hidden ? setActivity("away") : onInput());
    // Awareness changes with every caret move, ours and everyone's; the list (and the page that
    // shows it) changes only when someone arrives, leaves, or changes name, role or activity.
    const onChange = () =>
      setPeople((current) => {
        const next = participants(awareness, you, yourRole);
        return samePeople(current, next) ? current : next;
      });
    onVisibility();
    onChange();
    awareness.on("change", onChange);
    for (const event of ["keydown", "pointerdown", "focus"] as const) window.addEventListener(event, onInput);
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      if (idleTimer) clearTimeout(idleTimer);
      awareness.off("change", onChange);
      for (const event of ["keydown", "pointerdown", "focus"] as const) window.removeEventListener(event, onInput);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [awareness, you, yourRole]);

  return people;
}
