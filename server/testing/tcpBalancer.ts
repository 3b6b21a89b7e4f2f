import net from "node:net";
import type { AddressInfo } from "node:net";

/**
 * A minimal TCP load balancer for tests, standing in for nginx or HAProxy: each connection goes to
 * the next backend in turn, skipping backends that refuse it, so clients of a dead instance reach
 * another one by reconnecting through the same address.
 */
export async function startTcpBalancer(backends: () => number[]): Promise<{ port: number; close(): Promise<void> }> {
  let next = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => client.destroy());
    client.pause();
    const ports = backends();
    const attempt = (tries: number) => {
      if (tries >= ports.length) return client.destroy();
      const port = ports[next++ % ports.length];
      const upstream = net.connect(port, "127.0.0.1");
      upstream.once("connect", () => {
        sockets.add(upstream);
        upstream.on("close", () => {
          sockets.delete(upstream);
          client.destroy();
        });
        client.on("close", () => upstream.destroy());
        upstream.on("error", () => upstream.destroy());
        client.pipe(upstream).pipe(client);
        client.resume();
      });
      upstream.once("error", () => attempt(tries + 1));
    };
    attempt(0);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
