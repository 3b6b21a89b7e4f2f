// Transaction origins a room gives the updates and presence it applies that no client of this
// connection sent (a client's own update carries its CollabConnection as origin). The room and its
// outgoing turn read them to decide what to store, to whom to send it and what to publish.

/** Updates that are already in storage and must not be written again. */
export const STORED = Symbol("stored");
/** Updates and presence relayed from another instance (through Redis). */
export const REMOTE = Symbol("remote");
/** Client updates that waited for a broadcast and were applied together (see MemoRoom.applyWaiting). */
export const WAITED = Symbol("waited");
