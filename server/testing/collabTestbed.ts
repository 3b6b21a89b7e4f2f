import { afterAll, afterEach, beforeAll } from "vitest";
import {
  connectTestClient,
  sessionCookie,
  startTestCollabServer,
  type TestClient,
  type TestCollabServer,
} from "./collabHarness";
import { createTestUser, type TestUser } from "./fixtures";
import { createTestDatabase, type TestDatabase } from "./testDatabase";

// The set-up most collaboration integration tests share: a private database, a collaboration
// server on it, the people the file's tests act as, and clients that are closed after each test.
// Registered as vitest hooks by collabTestbed(), so a file declares what it needs in one line.

/** What a file's tests run against; its fields are set once the file's beforeAll hooks ran. */
export type CollabTestbed = {
  readonly database: TestDatabase;
  readonly server: TestCollabServer;
  /** The people asked for, in the order their names were given. */
  readonly people: TestUser[];
  /** Connects a client as `user` (closed after the test) and waits for its first sync. */
  connect(memoId: string, user: TestUser): Promise<TestClient>;
  /** Closes `client` after the test, as connect's clients are. */
  track<C extends TestClient>(client: C): C;
};

/** Options of the collaboration server, as startTestCollabServer takes them. */
type ServerOptions = NonNullable<Parameters<typeof startTestCollabServer>[2]>;

/**
 * Registers the hooks that set up and tear down a testbed for the calling test file: before all
 * its tests, a database, a server (with `server` options) and one user per name in `people`.
 */
export function collabTestbed(options: { people: string[]; server?: ServerOptions }): CollabTestbed {
  const clients: TestClient[] = [];
  let database: TestDatabase | undefined;
  let server: TestCollabServer | undefined;
  const people: TestUser[] = [];
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the testbed is set up in beforeAll; use it inside hooks and tests");
    return value;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestCollabServer(database.prisma, database.url, options.server);
    for (const name of options.people) people.push(await createTestUser(database.prisma, name));
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy();
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  const testbed: CollabTestbed = {
    get database() {
      return ready(database);
    },
    get server() {
      return ready(server);
    },
    people,
    async connect(memoId, user) {
      const running = ready(server);
      const client = testbed.track(connectTestClient(running.url, memoId, await sessionCookie(user, running.secret)));
      await client.synced();
      return client;
    },
    track(client) {
      clients.push(client);
      return client;
    },
  };
  return testbed;
}
