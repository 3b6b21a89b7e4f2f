import type http from "node:http";
import { describe, expect, it } from "vitest";
import { addressKey, attachPeerAddress, clientAddress, PEER_ADDRESS_HEADER } from "./clientAddress";

// Which address a sign-in came from, when the client writes X-Forwarded-For as it likes.

const from = (peer: string, forwarded?: string) => ({
  [PEER_ADDRESS_HEADER]: peer,
  ...(forwarded === undefined ? {} : { "x-forwarded-for": forwarded }),
});

describe("clientAddress", () => {
  it("with TRUST_PROXY=0, is the socket's peer whatever X-Forwarded-For says", () => {
    expect(clientAddress(from("198.51.100.7"), 0)).toBe("198.51.100.7");
    expect(clientAddress(from("198.51.100.7", "10.9.9.9"), 0)).toBe("198.51.100.7");
    expect(clientAddress(from("198.51.100.7", "10.9.9.9, 10.8.8.8"), 0)).toBe("198.51.100.7");
  });

  it("with TRUST_PROXY=1, is the right-most entry: what our proxy appended, not what the client prepended", () => {
    // The proxy (the peer, 10.0.0.2) appended the client's address; the client wrote the rest.
    expect(clientAddress(from("10.0.0.2", "203.0.113.5"), 1)).toBe("203.0.113.5");
    expect(clientAddress(from("10.0.0.2", "1.1.1.1, 2.2.2.2, 203.0.113.5"), 1)).toBe("203.0.113.5");
    expect(clientAddress(from("10.0.0.2", "1.1.1.1,203.0.113.5"), 1)).toBe("203.0.113.5");
  });

  it("with TRUST_PROXY=2, is the entry the outer proxy appended", () => {
    // client → outer proxy (appends client) → inner proxy (appends outer) → us (peer: inner).
    expect(clientAddress(from("10.0.0.3", "6.6.6.6, 203.0.113.5, 10.0.0.2"), 2)).toBe("203.0.113.5");
  });

  it("is null for garbage, and never falls back to an entry the client wrote", () => {
    expect(clientAddress(from("10.0.0.2", "not-an-address"), 1)).toBeNull();
    expect(clientAddress(from("10.0.0.2", "203.0.113.5, ' OR 1=1 --"), 1)).toBeNull();
    expect(clientAddress(from("10.0.0.2", "999.1.1.1"), 1)).toBeNull();
    expect(clientAddress(from("10.0.0.2", ""), 1)).toBe("10.0.0.2");
    // No peer header: the request did not come through our HTTP server.
    expect(clientAddress({ "x-forwarded-for": "203.0.113.5" }, 0)).toBeNull();
    expect(clientAddress({ "x-forwarded-for": "203.0.113.5" }, 1)).toBeNull();
    expect(clientAddress(from("garbage"), 0)).toBeNull();
    expect(clientAddress(undefined, 0)).toBeNull();
  });

  it("spells one address one way: IPv4 over IPv6, upper case, zones", () => {
    expect(clientAddress(from("10.0.0.2", "::FFFF:203.0.113.5"), 1)).toBe("203.0.113.5");
    expect(clientAddress(from("10.0.0.2", "2001:DB8::1%eth0"), 1)).toBe("2001:db8::1");
  });
});

describe("addressKey", () => {
  it("keeps an IPv4 address and counts IPv6 by its /64, however it is written", () => {
    expect(addressKey("203.0.113.5")).toBe("203.0.113.5");
    expect(addressKey("2001:db8:1:2::1")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8:1:2:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:0db8:0001:0002:0:0:0:9")).toBe("2001:db8:1:2::/64");
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey("64:ff9b::203.0.113.5")).toBe("64:ff9b:0:0::/64");
  });
});

describe("attachPeerAddress", () => {
  it("overwrites a peer header the client sent with the socket's address", () => {
    const req = {
      socket: { remoteAddress: "::ffff:198.51.100.7" },
      headers: { [PEER_ADDRESS_HEADER]: "10.10.10.10" },
    } as unknown as http.IncomingMessage;
    attachPeerAddress(req);
    expect(req.headers[PEER_ADDRESS_HEADER]).toBe("198.51.100.7");
    const gone = { socket: {}, headers: { [PEER_ADDRESS_HEADER]: "10.10.10.10" } } as unknown as http.IncomingMessage;
    attachPeerAddress(gone);
    expect(gone.headers[PEER_ADDRESS_HEADER]).toBeUndefined();
  });
});
