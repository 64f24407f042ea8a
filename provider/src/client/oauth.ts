import got, { type Got, type RetryFunction } from "got";
import { z } from "zod";
import { callContext, callStateOf, newCallState } from "./call-state";
import { correlationId, parseJsonBody } from "./error-mapping";
import { GenesysAuthError } from "./errors";
import { retryDelay, type HookDependencies } from "./hooks";
import type { HeaderBag } from "./rate-limit-headers";
import { redactUrl, scrubSecrets } from "./redact";
import type { AccessToken } from "./token-cache";

const tokenAnswer = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive(),
});

const oauthErrorAnswer = z.object({
  error: z.string().optional(),
  error_description: z.string().optional(),
});

/** What a token request needs. The secret is passed per call and never stored here. */
export interface ClientCredentials {
  readonly authUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Token requests create nothing, so they are retried like idempotent calls, but briefly. */
const TOKEN_ATTEMPTS = 3;

/** How long a rate-limited token request keeps being retried (Terraform's provider waits up to a minute too). */
export const TOKEN_RATE_LIMIT_DEADLINE_MS = 60_000;

/**
 * True for the platform's answer to a rate-limited token request: not a 429 but
 * `400 {"error":"invalid_request","error_description":"rate limit exceeded; …"}` (platform-api.md section 1).
 */
export function isTokenRateLimitAnswer(status: number | undefined, body: unknown): boolean {
  if (status !== 400) return false;
  const parsed = oauthErrorAnswer.safeParse(parseJsonBody(body));
  return parsed.success && /rate limit exceeded/i.test(parsed.data.error_description ?? "");
}

/** The wait before retry `attempt` (1-based) of a rate-limited token request: 1 s doubling to 8 s, plus jitter. */
export function tokenRateLimitDelayMs(attempt: number, random: () => number = Math.random): number {
  return Math.min(8_000, 1_000 * 2 ** Math.max(0, attempt - 1)) + random() * 500;
}

/** A got instance for the token endpoint: retries transient failures, no bearer token, no API limiter. */
export function createTokenHttp(
  deps: Omit<HookDependencies, "tokens" | "gate">,
  userAgent: string,
  timeoutMs: number,
): Got {
  const tuning = { ...deps.tuning, maxAttempts: Math.min(deps.tuning.maxAttempts, TOKEN_ATTEMPTS) };
  const transient = retryDelay({ ...deps, tuning });
  const calculateDelay: RetryFunction = (retry) => {
    const { error, attemptCount } = retry;
    if (isTokenRateLimitAnswer(error.response?.statusCode, error.response?.body)) {
      const started = callStateOf(error.options).startedAt;
      const delay = tokenRateLimitDelayMs(attemptCount, deps.random);
      return deps.now() - started + delay > TOKEN_RATE_LIMIT_DEADLINE_MS ? 0 : delay;
    }
    return transient(retry);
  };
  return got.extend({
    headers: { "user-agent": userAgent, accept: "application/json" },
    responseType: "text",
    timeout: { request: timeoutMs },
    retry: {
      limit: Number.MAX_SAFE_INTEGER,
      methods: ["POST"],
      statusCodes: [400, 408, 429, 500, 502, 503, 504],
      calculateDelay,
    },
  });
}

/**
 * `POST {authUrl}/oauth/token` with the client credentials grant (Basic auth, form body). Failures become a
 * {@link GenesysAuthError} carrying status, `error` and `error_description` — never the secret or a token.
 */
export async function requestClientCredentialsToken(
  http: Got,
  credentials: ClientCredentials,
  now: () => number,
): Promise<AccessToken> {
  const url = `${credentials.authUrl}/oauth/token`;
  const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString("base64");
  const call = newCallState("POST", now(), true);
  const fail = (status: number, code: string, description: string | undefined, headers: HeaderBag = {}) =>
    new GenesysAuthError({
      status,
      code,
      serverMessage: description && scrubSecrets(description, [credentials.clientSecret, basic]),
      contextId: correlationId(headers),
      url: redactUrl(url),
      attempts: call.attempts,
      clientId: credentials.clientId,
    });

  let response;
  try {
    response = await http.post(url, {
      headers: { authorization: `Basic ${basic}` },
      form: { grant_type: "client_credentials" },
      context: callContext(call),
      hooks: {
        beforeRequest: [
          () => {
            call.attempts += 1;
          },
        ],
      },
      throwHttpErrors: true,
    });
  } catch (thrown) {
    const error = thrown as {
      code?: string;
      message?: string;
      response?: { statusCode: number; headers: HeaderBag; body?: unknown };
    };
    if (error.response) {
      const parsed = oauthErrorAnswer.safeParse(parseJsonBody(error.response.body));
      const body = parsed.success ? parsed.data : {};
      const { statusCode, headers } = error.response;
      throw fail(statusCode, body.error ?? `http.${statusCode}`, body.error_description, headers);
    }
    const code = error.code && error.code !== "ERR_GOT_REQUEST_ERROR" ? error.code : "ERROR";
    throw fail(0, `network.${code}`, error.message);
  }
  const answer = tokenAnswer.safeParse(parseJsonBody(response.body));
  if (!answer.success) {
    throw fail(
      response.statusCode,
      "invalid_token_response",
      "the token endpoint answered without access_token/expires_in",
      response.headers,
    );
  }
  const lifetimeMs = answer.data.expires_in * 1000;
  return { value: answer.data.access_token, expiresAt: now() + lifetimeMs, lifetimeMs };
}
