import type { ClientRecord } from "./clients/clientWorker";

// Joins what the clients recorded (gathered from every worker) into per-delivery latencies: for each
// edit made inside the measurement window, its arrival at every other client on the same memo.

/** Deliveries of one run: latencies (ms) of those that arrived, and how many were expected. */
export type Deliveries = { latencies: Float64Array; expected: number; received: number; edits: number };

/**
 * Latency from each measured edit to its arrival at every other client (or, with `include`, at the
 * clients it accepts for a sender: e.g. only those on another server instance).
 */
export function deliveryLatencies(
  clients: ClientRecord[],
  window: { from: number; to: number },
  include: (sender: number, receiver: number) => boolean = () => true,
): Deliveries {
  const latencies: number[] = [];
  let expected = 0;
  let edits = 0;
  for (const sender of clients) {
    const senderIndex = clients.indexOf(sender);
    sender.sends.forEach((sentAt, clock) => {
      if (sentAt === undefined || sentAt < window.from || sentAt >= window.to) return;
      edits++;
      for (const [receiverIndex, receiver] of clients.entries()) {
        if (receiver === sender || !include(senderIndex, receiverIndex)) continue;
        expected++;
        const arrivedAt = receiver.arrivals.get(sender.clientId)?.[clock];
        if (arrivedAt !== undefined) latencies.push(arrivedAt - sentAt);
      }
    });
  }
  return { latencies: Float64Array.from(latencies), expected, received: latencies.length, edits };
}

/** Time from each measured edit to the server's saved acknowledgement covering it (ms). */
export function ackLatencies(
  clients: ClientRecord[],
  window: { from: number; to: number },
): { latencies: Float64Array; unacknowledged: number } {
  const latencies: number[] = [];
  let unacknowledged = 0;
  for (const client of clients) {
    client.sends.forEach((sentAt, clock) => {
      if (sentAt === undefined || sentAt < window.from || sentAt >= window.to) return;
      const ackedAt = client.acks[clock];
      if (ackedAt === undefined) unacknowledged++;
      else latencies.push(ackedAt - sentAt);
    });
  }
  return { latencies: Float64Array.from(latencies), unacknowledged };
}
