"use client";

import { initials } from "@/components/layout/AppHeader";
import { ROLE_LABELS } from "@/common/sharing/memoPermissions";
import type { Participant } from "./usePresence";

const ACTIVITY_LABEL = { active: "active", idle: "idle", away: "away" } as const;

/** Who is in the memo right now, viewers included, with their activity. */
export function PresenceAvatars({ people }: { people: Participant[] }) {
  if (people.length === 0) return null;
  const shown = people.slice(0, 6);
  return (
    <ul
      className="presence"
      aria-label={`${people.length} ${people.length === 1 ? "person" : "people"} in this memo`}
      data-testid="presence"
    >
      {shown.map((person) => {
        const description = `${person.name}${person.isYou ? " (you)" : ""}${person.role ? ` · ${ROLE_LABELS[person.role]}` : ""} · ${ACTIVITY_LABEL[person.activity]}`;
        return (
          <li
            key={person.userId}
            className="presence-avatar"
            data-activity={person.activity}
            title={description}
            aria-label={description}
            style={{ backgroundColor: person.color }}
          >
            {initials(person.name)}
          </li>
        );
      })}
      {people.length > shown.length && (
        <li
          className="presence-avatar presence-more"
          title={people
            .slice(6)
            .map((person) => person.name)
            .join(", ")}
        >
          +{people.length - shown.length}
        </li>
      )}
    </ul>
  );
}
