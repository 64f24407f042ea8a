import got, { type Got } from "got";
import { z } from "zod";
import { callContext, newCallState } from "./call-state";
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

/** A got instance for the token endpoint: retries transient failures, no bearer token, no API limiter. */
export function createTokenHttp(
  deps: Omit<HookDependencies, "tokens" | "gate">,
  userAgent: string,
  timeoutMs: number,
): Got {
  const tuning = { ...deps.tuning, maxAttempts: Math.min(deps.tuning.maxAttempts, TOKEN_ATTEMPTS) };
  return got.extend({
    headers: { "user-agent": userAgent, accept: "application/json" },
    responseType: "text",
    timeout: { request: timeoutMs },
    retry: { limit: Number.MAX_SAFE_INTEGER, methods: ["POST"], calculateDelay: retryDelay({ ...deps, tuning }) },
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
