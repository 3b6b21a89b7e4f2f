import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_MEMO_MARKINGS, setEnv } from "./env";

const original = process.env.MEMO_MARKINGS;
afterEach(() => {
  setEnv({ MEMO_MARKINGS: original });
});

describe("MEMO_MARKINGS", () => {
  it("defaults to the three standard markings, UNCLASSIFIED first", () => {
    expect(setEnv({ MEMO_MARKINGS: undefined }).MEMO_MARKINGS).toEqual(DEFAULT_MEMO_MARKINGS);
    expect(DEFAULT_MEMO_MARKINGS[0]).toBe("UNCLASSIFIED");
  });

  it("reads a |-separated list, trimming entries and keeping commas and slashes", () => {
    const env = setEnv({ MEMO_MARKINGS: " OFFICIAL | OFFICIAL-SENSITIVE |SECRET//REL TO USA, GBR| " });
    expect(env.MEMO_MARKINGS).toEqual(["OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET//REL TO USA, GBR"]);
  });

  it("refuses an empty list and duplicates with a readable error", () => {
    expect(() => setEnv({ MEMO_MARKINGS: " | " })).toThrow(/MEMO_MARKINGS: name at least one marking/);
    expect(() => setEnv({ MEMO_MARKINGS: "SECRET|SECRET" })).toThrow(/MEMO_MARKINGS: markings must be unique/);
  });
});

describe("TRUST_PROXY and COLLAB_BYTES_PER_SECOND", () => {
  afterEach(() => {
    setEnv({ TRUST_PROXY: undefined, COLLAB_BYTES_PER_SECOND: undefined });
  });

  it("default to no proxy (the socket's peer is the client) and 512 KiB a second", () => {
    const env = setEnv({ TRUST_PROXY: undefined, COLLAB_BYTES_PER_SECOND: undefined });
    expect(env.TRUST_PROXY).toBe(0);
    expect(env.COLLAB_BYTES_PER_SECOND).toBe(512 * 1024);
  });

  it("take a hop count from 0 to 10, and refuse anything else", () => {
    expect(setEnv({ TRUST_PROXY: "2" }).TRUST_PROXY).toBe(2);
    for (const value of ["11", "-1", "1.5", "yes"]) expect(() => setEnv({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
    expect(() => setEnv({ TRUST_PROXY: undefined, COLLAB_BYTES_PER_SECOND: "100" })).toThrow(/COLLAB_BYTES_PER_SECOND/);
  });
});

describe("single sign-on and PASSWORD_SIGNIN", () => {
  const oidc = {
    OIDC_ISSUER: "https://login.example.org/realms/ministry",
    OIDC_CLIENT_ID: "demarche",
    OIDC_CLIENT_SECRET: "a-secret",
  };
  const none = {
    OIDC_ISSUER: undefined,
    OIDC_CLIENT_ID: undefined,
    OIDC_CLIENT_SECRET: undefined,
    OIDC_SCOPES: undefined,
    OIDC_TRUST_EMAIL: undefined,
    OIDC_DISPLAY_NAME: undefined,
    PASSWORD_SIGNIN: undefined,
  };
  afterEach(() => {
    setEnv(none);
  });

  it("is off by default, with password sign-in on", () => {
    const env = setEnv(none);
    expect(env.oidc).toBeNull();
    expect(env.PASSWORD_SIGNIN).toBe(true);
  });

  it("reads the provider, with defaults for scopes, claims, the button and email trust", () => {
    expect(setEnv({ ...none, ...oidc }).oidc).toEqual({
      issuer: "https://login.example.org/realms/ministry",
      clientId: "demarche",
      clientSecret: "a-secret",
      scopes: "openid email profile",
      emailClaim: "email",
      nameClaim: "name",
      displayName: "single sign-on",
      trustEmail: false,
    });
    const custom = setEnv({ ...none, ...oidc, OIDC_TRUST_EMAIL: "true", OIDC_DISPLAY_NAME: "Ministry account" });
    expect(custom.oidc).toMatchObject({ trustEmail: true, displayName: "Ministry account" });
  });

  it("needs all three of issuer, client id and secret, or none", () => {
    expect(() => setEnv({ ...none, OIDC_ISSUER: oidc.OIDC_ISSUER, OIDC_CLIENT_ID: "demarche" })).toThrow(
      /set all three for single sign-on, or none/,
    );
  });

  it("refuses an issuer that is not https (http only on loopback), and scopes without openid", () => {
    for (const issuer of ["http://login.example.org", "javascript:alert(1)", "not a url", "ftp://127.0.0.1"]) {
      expect(() => setEnv({ ...none, ...oidc, OIDC_ISSUER: issuer })).toThrow(/OIDC_ISSUER/);
    }
    expect(setEnv({ ...none, ...oidc, OIDC_ISSUER: "http://127.0.0.1:8080" }).oidc?.issuer).toBe(
      "http://127.0.0.1:8080",
    );
    expect(() => setEnv({ ...none, ...oidc, OIDC_SCOPES: "email profile" })).toThrow(/must include openid/);
  });

  it("turns password sign-in off only beside single sign-on", () => {
    expect(() => setEnv({ ...none, PASSWORD_SIGNIN: "off" })).toThrow(/PASSWORD_SIGNIN: off needs single sign-on/);
    expect(setEnv({ ...none, ...oidc, PASSWORD_SIGNIN: "off" }).PASSWORD_SIGNIN).toBe(false);
    expect(() => setEnv({ ...none, ...oidc, PASSWORD_SIGNIN: "no" })).toThrow(/PASSWORD_SIGNIN/);
  });
});
