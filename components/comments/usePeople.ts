"use client";

import { useEffect, useState } from "react";
import { sharingApi } from "@/components/sharing/sharingApi";
import type { Mentionable } from "./mentionQuery";

/** The memo's people (owner and members), whom comments can mention. Empty until loaded. */
export function usePeople(memoId: string, refreshKey: unknown): Mentionable[] {
  const [people, setPeople] = useState<Mentionable[]>([]);
  useEffect(() => {
    let disposed = false;
    sharingApi(memoId)
      .load()
      .then((sharing) => {
        if (!disposed) setPeople(sharing.people.map((person) => ({ id: person.userId, name: person.name })));
      })
      .catch(() => undefined);
    return () => {
      disposed = true;
    };
  }, [memoId, refreshKey]);
  return people;
}
