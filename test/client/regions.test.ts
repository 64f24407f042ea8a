import {
  GenesysConfigError,
  KNOWN_REGIONS,
  isLoopbackHost,
  regionEndpoints,
  resolveEndpoints,
} from "../../provider/src/client";
import { makeClient } from "./helpers";

describe("regions", () => {
  test("all 18 regions of the contract map to api./login. hosts of their domain", () => {
    expect(KNOWN_REGIONS).toHaveLength(18);
    expect(regionEndpoints("us-east-1")).toEqual({
      apiUrl: "https://api.mypurecloud.com",
      authUrl: "https://login.mypurecloud.com",
    });
    expect(regionEndpoints("eu-central-1").authUrl).toBe("https://login.mypurecloud.de");
    expect(regionEndpoints("eu-west-1").apiUrl).toBe("https://api.mypurecloud.ie");
    expect(regionEndpoints("us-east-2").apiUrl).toBe("https://api.use2.us-gov-pure.cloud");
    expect(regionEndpoints("eusc-de-east-1").authUrl).toBe("https://login.edee1.eusc-pure.cloud");
    expect(regionEndpoints("ap-southeast-2").apiUrl).toBe("https://api.mypurecloud.com.au");
    expect(regionEndpoints("ap-northeast-3").apiUrl).toBe("https://api.apne3.pure.cloud");
    for (const region of KNOWN_REGIONS) {
      const { apiUrl, authUrl } = regionEndpoints(region);
      expect(apiUrl.replace("https://api.", "")).toBe(authUrl.replace("https://login.", ""));
    }
  });

  test("an unknown region is an error listing the known ones (no fallback to us-east-1)", () => {
    expect(() => regionEndpoints("eu-north-9")).toThrow(GenesysConfigError);
    try {
      resolveEndpoints({ region: "mypurecloud.com" });
      throw new Error("expected a failure");
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('Unknown Genesys Cloud region "mypurecloud.com"');
      for (const region of KNOWN_REGIONS) expect(message).toContain(region);
    }
  });

  test("the client constructor rejects an unknown region", () => {
    expect(() => makeClient({ apiUrl: undefined, region: "us-east-7" })).toThrow(/Known regions: us-east-1, us-east-2/);
  });

  test("neither region nor apiUrl is an error", () => {
    expect(() => resolveEndpoints({})).toThrow(/Set a Genesys Cloud region/);
  });

  test("overrides win; the login host is derived from apiUrl when only that is given", () => {
    expect(resolveEndpoints({ region: "eu-central-1", authUrl: "https://login.proxy.example/" })).toEqual({
      apiUrl: "https://api.mypurecloud.de",
      authUrl: "https://login.proxy.example",
    });
    expect(resolveEndpoints({ region: "eu-central-1", apiUrl: "https://api.proxy.example/genesys/" })).toEqual({
      apiUrl: "https://api.proxy.example/genesys",
      authUrl: "https://login.proxy.example/genesys",
    });
    expect(resolveEndpoints({ apiUrl: "http://127.0.0.1:8787" })).toEqual({
      apiUrl: "http://127.0.0.1:8787",
      authUrl: "http://127.0.0.1:8787",
    });
  });

  test("plain http:// is accepted only for loopback hosts", () => {
    for (const url of ["http://127.0.0.1:8080", "http://127.8.9.10", "http://localhost:3000", "http://[::1]:9000"]) {
      expect(() => resolveEndpoints({ apiUrl: url })).not.toThrow();
    }
    for (const url of [
      "http://api.mypurecloud.com",
      "http://10.0.0.1",
      "http://127.0.0.1.nip.io",
      "http://128.0.0.1",
    ]) {
      expect(() => resolveEndpoints({ apiUrl: url })).toThrow(/plain http:\/\/ on a non-loopback host/);
    }
    expect(() => resolveEndpoints({ region: "us-east-1", authUrl: "http://login.example.com" })).toThrow(
      GenesysConfigError,
    );
    expect(() => resolveEndpoints({ apiUrl: "ftp://127.0.0.1" })).toThrow(/must use https/);
    expect(() => resolveEndpoints({ apiUrl: "not a url" })).toThrow(/not a valid URL/);
  });

  test("loopback detection", () => {
    expect(isLoopbackHost("127.0.0.1")).toBe(true);
    expect(isLoopbackHost("127.255.255.254")).toBe(true);
    expect(isLoopbackHost("LOCALHOST")).toBe(true);
    expect(isLoopbackHost("[::1]")).toBe(true);
    expect(isLoopbackHost("127.0.0.256")).toBe(false);
    expect(isLoopbackHost("localhost.evil.com")).toBe(false);
    expect(isLoopbackHost("0.0.0.0")).toBe(false);
  });

  test("missing credentials and bad numbers are configuration errors", () => {
    expect(() => makeClient({ clientSecret: "" })).toThrow(/clientSecret is required/);
    expect(() => makeClient({ clientId: " " })).toThrow(/clientId is required/);
    expect(() => makeClient({ maxConcurrency: 0 })).toThrow(/maxConcurrency must be a positive integer/);
    expect(() => makeClient({ requestsPerSecond: -1 })).toThrow(/requestsPerSecond/);
  });
});
