import { GenesysConfigError } from "./errors";

/** The Genesys Cloud regions and the DNS domain each one serves (API contract, section 1). */
export const REGION_DOMAINS = {
  "us-east-1": "mypurecloud.com",
  "us-east-2": "use2.us-gov-pure.cloud",
  "us-west-2": "usw2.pure.cloud",
  "ca-central-1": "cac1.pure.cloud",
  "sa-east-1": "sae1.pure.cloud",
  "mx-central-1": "mxc1.pure.cloud",
  "eu-west-1": "mypurecloud.ie",
  "eu-west-2": "euw2.pure.cloud",
  "eu-central-1": "mypurecloud.de",
  "eu-central-2": "euc2.pure.cloud",
  "eusc-de-east-1": "edee1.eusc-pure.cloud",
  "me-central-1": "mec1.pure.cloud",
  "ap-south-1": "aps1.pure.cloud",
  "ap-southeast-1": "apse1.pure.cloud",
  "ap-southeast-2": "mypurecloud.com.au",
  "ap-northeast-1": "mypurecloud.jp",
  "ap-northeast-2": "apne2.pure.cloud",
  "ap-northeast-3": "apne3.pure.cloud",
} as const satisfies Record<string, string>;

/** A region name Genesys Cloud knows, e.g. `eu-central-1`. */
export type GenesysRegion = keyof typeof REGION_DOMAINS;

/** Every known region name, in contract order. */
export const KNOWN_REGIONS = Object.keys(REGION_DOMAINS) as readonly GenesysRegion[];

/** Where the client sends API calls and token requests. */
export interface GenesysEndpoints {
  /** Origin (plus optional path prefix) of the REST API, without `/api/v2` and without a trailing slash. */
  readonly apiUrl: string;
  /** Origin (plus optional path prefix) of the login service that serves `/oauth/token`. */
  readonly authUrl: string;
}

/** What the caller may say about the endpoints: a region, explicit URLs, or a region with overrides. */
export interface EndpointSettings {
  /** A Genesys Cloud region; unknown names are an error, never a silent fallback. */
  readonly region?: string;
  /** Overrides the API origin (emulator, proxy). */
  readonly apiUrl?: string;
  /** Overrides the login origin; derived from `apiUrl` when only that is given. */
  readonly authUrl?: string;
}

/** True when `region` is one of the 18 known regions. */
export function isKnownRegion(region: string): region is GenesysRegion {
  return Object.prototype.hasOwnProperty.call(REGION_DOMAINS, region);
}

/** The API and login origins of a known region; throws a {@link GenesysConfigError} listing the known ones otherwise. */
export function regionEndpoints(region: string): GenesysEndpoints {
  if (!isKnownRegion(region)) {
    throw new GenesysConfigError(
      `Unknown Genesys Cloud region "${region}". Known regions: ${KNOWN_REGIONS.join(", ")}. ` +
        `Use apiUrl/authUrl to point at an emulator or proxy.`,
    );
  }
  const domain = REGION_DOMAINS[region];
  return { apiUrl: `https://api.${domain}`, authUrl: `https://login.${domain}` };
}

/**
 * Resolves the endpoints from a region and/or overrides. Overrides win over the region. When only `apiUrl` is
 * given, the login origin is derived from it: `api.<domain>` becomes `login.<domain>`, any other host (the
 * emulator) serves both.
 */
export function resolveEndpoints(settings: EndpointSettings): GenesysEndpoints {
  const fromRegion = settings.region === undefined ? undefined : regionEndpoints(settings.region);
  const apiUrl = settings.apiUrl ?? fromRegion?.apiUrl;
  if (apiUrl === undefined) {
    throw new GenesysConfigError(
      `Set a Genesys Cloud region (one of ${KNOWN_REGIONS.join(", ")}) or an explicit apiUrl.`,
    );
  }
  const api = normalizeBaseUrl(apiUrl, "apiUrl");
  const authUrl = settings.authUrl ?? (settings.apiUrl === undefined ? fromRegion?.authUrl : undefined);
  const auth = authUrl === undefined ? deriveAuthUrl(api) : normalizeBaseUrl(authUrl, "authUrl");
  return { apiUrl: api, authUrl: auth };
}

/** True for hosts that never leave the machine: 127.0.0.0/8, `localhost` and `[::1]`. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === "localhost" || host === "[::1]" || host === "::1") return true;
  const octets = host.split(".");
  return (
    octets.length === 4 &&
    octets[0] === "127" &&
    octets.every((octet) => /^\d{1,3}$/.test(octet) && Number(octet) <= 255)
  );
}

/**
 * Validates a base URL and strips its trailing slash. `https:` is required, except for loopback hosts where
 * plain `http:` is allowed (a token and a client secret must never cross a network in clear text).
 */
export function normalizeBaseUrl(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new GenesysConfigError(`${field} "${value}" is not a valid URL.`);
  }
  if (url.protocol === "http:") {
    if (!isLoopbackHost(url.hostname)) {
      throw new GenesysConfigError(
        `${field} "${value}" uses plain http:// on a non-loopback host. Use https://, or http:// only for ` +
          `127.0.0.0/8, localhost or [::1] (a local emulator): credentials must not travel unencrypted.`,
      );
    }
  } else if (url.protocol !== "https:") {
    throw new GenesysConfigError(`${field} "${value}" must use https:// (got ${url.protocol}).`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new GenesysConfigError(`${field} "${value}" must not contain credentials, a query or a fragment.`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

function deriveAuthUrl(apiUrl: string): string {
  const url = new URL(apiUrl);
  if (url.hostname.startsWith("api.")) {
    url.hostname = `login.${url.hostname.slice("api.".length)}`;
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}
