import { Counter, Gauge, Histogram, Registry } from "prom-client";

/** Prometheus metrics of the collaboration server (served at /metrics). */
export type CollabMetrics = ReturnType<typeof createCollabMetrics>;

/** Creates the collaboration metrics in their own registry. `stats` feeds the gauges at scrape time. */
export function createCollabMetrics(
  stats: () => {
    memos: number;
    connections: number;
    unstoredBytes: number;
    redis: number;
    versionsWaiting: number;
    versionsRetrying: number;
  },
) {
  const registry = new Registry();
  const gauge = (name: string, help: string, read: (s: ReturnType<typeof stats>) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read(stats()));
      },
    });
  gauge("demarche_open_memos", "Memos loaded in memory.", (s) => s.memos);
  gauge("demarche_connections", "Open collaboration WebSocket connections.", (s) => s.connections);
  gauge("demarche_unstored_bytes", "Bytes of document updates received but not yet stored.", (s) => s.unstoredBytes);
  gauge(
    "demarche_versions_waiting",
    "Automatic versions decided but not yet stored (waiting their turn, or being retried).",
    (s) => s.versionsWaiting,
  );
  gauge(
    "demarche_versions_retrying",
    "Automatic versions whose recording failed and is being retried until stored.",
    (s) => s.versionsRetrying,
  );
  gauge(
    "demarche_redis_connected",
    "1 when Redis is reachable, 0 when not, -1 without Redis (single instance).",
    (s) => s.redis,
  );
  return {
    registry,
    updates: new Counter({ name: "demarche_updates_total", help: "Document updates applied.", registers: [registry] }),
    bytesIn: new Counter({
      name: "demarche_ws_bytes_in_total",
      help: "Bytes received on collaboration sockets.",
      registers: [registry],
    }),
    bytesOut: new Counter({
      name: "demarche_ws_bytes_out_total",
      help: "Bytes sent on collaboration sockets.",
      registers: [registry],
    }),
    rejectedFrames: new Counter({
      name: "demarche_rejected_frames_total",
      help: "Frames refused, by reason; the sender was disconnected.",
      labelNames: ["reason"] as const,
      registers: [registry],
    }),
    persistenceLag: new Histogram({
      name: "demarche_persistence_lag_seconds",
      help: "Time from receiving an update to committing it to PostgreSQL.",
      buckets: [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    storeFailures: new Counter({
      name: "demarche_store_failures_total",
      help: "Failed attempts to store a batch.",
      registers: [registry],
    }),
    compactionFailures: new Counter({
      name: "demarche_compaction_failures_total",
      help: "Failed attempts to compact a memo's update log (retried with backoff).",
      registers: [registry],
    }),
  };
}
