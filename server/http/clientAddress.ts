import type http from "node:http";
import { isIP } from "node:net";

// Which network address a request came from, for the sign-in throttle. X-Forwarded-For is
// written by whoever sends the request, so only the entries our own proxies appended can be
// believed: TRUST_PROXY says how many proxies sit in front of us, and the address is the one the
// outermost of them saw. With none (the default) it is the socket's peer, which Next.js does not
// pass on to route handlers (it only fills in X-Forwarded-For when the client sent none), so the
// HTTP server writes it into a header of its own before handing the request over.

/** The header the app server sets from the socket's peer address; a client's own value is overwritten. */
export const PEER_ADDRESS_HEADER = "x-demarche-peer-address";

type Headers = Record<string, unknown> | undefined;

/**
 * One spelling per address: "::ffff:10.0.0.1" is 10.0.0.1 reached over an IPv6 socket, and an IPv6
 * address's zone and letter case are not part of who sent it.
 */
function normalized(address: string): string {
  const trimmed = address.trim().toLowerCase().replace(/%.*$/, "");
  return trimmed.startsWith("::ffff:") && isIP(trimmed.slice(7)) === 4 ? trimmed.slice(7) : trimmed;
}

/** The eight 16-bit groups of an IPv6 address (isIP() said it is one), an IPv4 tail counting as two. */
function ipv6Groups(address: string): number[] {
  const [head, tail] = address.includes("::") ? address.split("::") : [address, undefined];
  const parse = (part: string | undefined) =>
    (part ? part.split(":") : []).flatMap((group) =>
      group.includes(".")
        ? (([a, b, c, d]) => [(a << 8) | b, (c << 8) | d])(group.split(".").map(Number))
        : [parseInt(group, 16)],
    );
  const left = parse(head);
  const right = parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/**
 * The key of an address for counting: an IPv4 address as is, an IPv6 address by its /64 network,
 * since one subscriber is routinely given a whole /64 and could otherwise change address per guess.
 */
export function addressKey(address: string): string {
  if (isIP(address) !== 6) return address;
  return `${ipv6Groups(address)
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(":")}::/64`;
}

/** Records the socket's peer address on the request, replacing anything the client sent under that name. */
export function attachPeerAddress(req: http.IncomingMessage): void {
  const peer = req.socket.remoteAddress;
  if (peer) req.headers[PEER_ADDRESS_HEADER] = normalized(peer);
  else delete req.headers[PEER_ADDRESS_HEADER];
}

/**
 * The client's address: with `trustProxy` proxies in front, the entry of X-Forwarded-For that the
 * outermost one appended (the nth from the right), else the peer. Null when the request did not
 * come through our HTTP server (no peer header) or that entry is not an address.
 */
export function clientAddress(headers: Headers, trustProxy: number): string | null {
  const peer = headers?.[PEER_ADDRESS_HEADER];
  if (typeof peer !== "string" || isIP(peer) === 0) return null;
  if (trustProxy === 0) return peer;
  const forwarded = headers?.["x-forwarded-for"];
  // Several X-Forwarded-For headers arrive joined by ", " (Node does that), so one split serves both.
  const hops = typeof forwarded === "string" ? forwarded.split(",").map(normalized).filter(Boolean) : [];
  // The peer is the innermost proxy; each proxy appended the address it was reached from. With
  // fewer entries than proxies, the leftmost is the furthest any of our proxies can vouch for.
  const chain = [...hops, peer];
  const candidate = chain[Math.max(0, chain.length - 1 - trustProxy)];
  // Not an address: a proxy that does not append one. Lumping such requests with the proxy's own
  // address would let one client's failures block everyone behind it.
  return isIP(candidate) ? candidate : null;
}
