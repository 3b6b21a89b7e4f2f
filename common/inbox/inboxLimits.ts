/** Unread counts past this show as "99+": counting further costs more and tells no one anything. */
export const UNREAD_COUNT_CAP = 99;
