import { describe, expect, it } from "vitest";
import { errorResponse } from "@/app/_http/routeHandler";
import { failureOf } from "../testing/fixtures";
import { isDatabaseBusy } from "./databaseBusy";
import { createTransactionLane } from "./transactionLane";

// The lane against real timers and real promises; the errors are shaped as Prisma and pg shape
// theirs (a P2028 is what 13 of 200 memos left at once died of before the lane).

const prismaBusy = () =>
  Object.assign(new Error("Transaction API error: Unable to start a transaction in the given time."), {
    code: "P2028",
  });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("database busy", () => {
  it("is told apart from other failures and answered 503 with Retry-After, never 500", () => {
    expect(isDatabaseBusy(prismaBusy())).toBe(true);
    expect(isDatabaseBusy(Object.assign(new Error("Timed out fetching a new connection"), { code: "P2024" }))).toBe(
      true,
    );
    expect(isDatabaseBusy(new Error("timeout exceeded when trying to connect"))).toBe(true);
    expect(isDatabaseBusy(Object.assign(new Error("Unique constraint failed"), { code: "P2002" }))).toBe(false);
    expect(isDatabaseBusy("P2028")).toBe(false);
    const response = errorResponse(prismaBusy());
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
  });
});

describe("transaction lane", () => {
  it("runs at most `slots` at once, the others in the order they came", async () => {
    const lane = createTransactionLane(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const work = (n: number) => async () => {
      running++;
      most = Math.max(most, running);
      await sleep(20);
      running--;
      order.push(n);
      return n;
    };
    const runs = Array.from({ length: 8 }, (_, n) => lane.run(work(n)));
    expect(lane.stats()).toEqual({ running: 2, waiting: 6 });
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(2);
    expect(order.slice(0, 2).sort()).toEqual([0, 1]);
    expect(order.slice(2, 4).sort()).toEqual([2, 3]);
    expect(lane.stats()).toEqual({ running: 0, waiting: 0 });
  });

  it("a request that cannot get a slot within waitMs gets a 503; one that must happen waits as long as it takes", async () => {
    const lane = createTransactionLane(1);
    const long = lane.run(() => sleep(400).then(() => "long"));
    const request = failureOf(() => lane.run(async () => "request", { waitMs: 100 }));
    const mustHappen = lane.run(async () => "stored");
    const refused = await request;
    expect(errorResponse(refused).status).toBe(503);
    expect(lane.stats().waiting).toBe(1);
    expect(await long).toBe("long");
    expect(await mustHappen).toBe("stored");
  });

  it("retries a busy database with backoff until it answers; other errors are not retried", async () => {
    const lane = createTransactionLane(1);
    let attempts = 0;
    const stored = await lane.run(async () => {
      if (++attempts < 4) throw prismaBusy();
      return "stored";
    });
    expect(stored).toBe("stored");
    expect(attempts).toBe(4);

    let failing = 0;
    const broken = await failureOf(() =>
      lane.run(async () => {
        failing++;
        throw new Error("a bug");
      }),
    );
    expect((broken as Error).message).toBe("a bug");
    expect(failing).toBe(1);
  });

  it("a request whose database stays busy past waitMs gets a 503, and its slot is given back", async () => {
    const lane = createTransactionLane(1);
    let attempts = 0;
    const refused = await failureOf(() =>
      lane.run(
        async () => {
          attempts++;
          throw prismaBusy();
        },
        { waitMs: 500 },
      ),
    );
    expect(attempts).toBeGreaterThan(1);
    expect(errorResponse(refused).status).toBe(503);
    expect(lane.stats()).toEqual({ running: 0, waiting: 0 });
    expect(await lane.run(async () => "next")).toBe("next");
  });
});
