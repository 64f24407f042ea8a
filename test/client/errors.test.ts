import { inspect } from "node:util";
import nock from "nock";
import { GenesysApiError, formatApiErrorMessage } from "../../provider/src/client/index";
import { redactUrl, scrubSecrets } from "../../provider/src/client/redact";
import { API, CLIENT_SECRET, QUEUE_ID, makeClient, mockTokens, storedCode, useNock } from "./helpers";

useNock();
beforeEach(() => mockTokens());

const CODES = "/api/v2/routing/wrapupcodes";
const sent = () => {
  const { id: _id, ...rest } = storedCode();
  return rest as never;
};

describe("GenesysApiError from an answer", () => {
  test("a 409 body fills status, code, server message, contextId and entityId, and a readable message", async () => {
    nock(API).post(CODES).reply(
      409,
      {
        message: "A wrap-up code named Technical Support Escalation already exists in this queue",
        code: "general.conflict",
        status: 409,
        contextId: "ctx-body",
        entityId: "123",
        details: [],
        errors: [],
      },
      { "ININ-Correlation-Id": "ctx-header" },
    );

    const error = (await makeClient()
      .createWrapUpCode(sent())
      .catch((e: unknown) => e)) as GenesysApiError;

    expect(error).toBeInstanceOf(GenesysApiError);
    expect(error.name).toBe("GenesysApiError");
    expect(error).toMatchObject({
      status: 409,
      code: "general.conflict",
      serverMessage: "A wrap-up code named Technical Support Escalation already exists in this queue",
      contextId: "ctx-body",
      entityId: "123",
      method: "POST",
      url: `${API}${CODES}`,
      attempts: 1,
    });
    expect(error.message).toBe(
      "POST /api/v2/routing/wrapupcodes failed: 409 general.conflict: A wrap-up code named Technical Support " +
        "Escalation already exists in this queue (entityId 123, contextId ctx-body) — an object with that name " +
        'already exists; set onConflict: "adopt" to manage it, or choose another name',
    );
  });

  test("contextId falls back to the ININ-Correlation-Id header", async () => {
    nock(API)
      .get("/api/v2/routing/wrapupcodes/missing-scope")
      .reply(
        403,
        { code: "missing.permissions", message: "Missing scope routing:wrapupcode" },
        { "ININ-Correlation-Id": "ctx-h" },
      );

    const error = (await makeClient()
      .getWrapUpCode("missing-scope")
      .catch((e: unknown) => e)) as GenesysApiError;

    expect(error).toMatchObject({ status: 403, code: "missing.permissions", contextId: "ctx-h" });
    expect(error.message).toContain("contextId ctx-h");
    expect(error.message).toContain("Missing scope routing:wrapupcode");
  });

  test("field errors are kept in details and named in the message", async () => {
    nock(API)
      .put(`${CODES}/c1`)
      .reply(400, {
        code: "bad.request",
        message: "Validation failed",
        contextId: "ctx-400",
        details: [
          { errorCode: "field.invalid", fieldName: "codeName" },
          { errorCode: "field.required", fieldName: "routingQueue.id" },
        ],
      });

    const error = (await makeClient()
      .updateWrapUpCode("c1", sent())
      .catch((e: unknown) => e)) as GenesysApiError;

    expect(error.details).toEqual([
      { errorCode: "field.invalid", fieldName: "codeName" },
      { errorCode: "field.required", fieldName: "routingQueue.id" },
    ]);
    expect(error.message).toContain("fields: codeName (field.invalid), routingQueue.id (field.required)");
  });

  test("a queue at its limit reports limit.exceeded with the quota", async () => {
    nock(API)
      .post(CODES)
      .reply(400, {
        code: "limit.exceeded",
        message: "Queue holds the maximum of 1000 wrap-up codes",
        limit: { namespace: "routing", key: "wrapup.codes.per.queue", value: 1000 },
      });

    const error = (await makeClient()
      .createWrapUpCode(sent())
      .catch((e: unknown) => e)) as GenesysApiError;

    expect(error).toMatchObject({ status: 400, code: "limit.exceeded", limit: { value: 1000 } });
    expect(error.message).toContain(
      "a platform limit (routing/wrapup.codes.per.queue = 1000) was reached; remove codes or ask Genesys to raise the limit",
    );
  });

  test("a non-JSON error body still gives a useful error", async () => {
    nock(API).delete(`${CODES}/c1`).reply(418, "I'm a teapot");

    const error = (await makeClient()
      .deleteWrapUpCode("c1")
      .catch((e: unknown) => e)) as GenesysApiError;

    expect(error).toMatchObject({ status: 418, code: "http.418", serverMessage: "I'm a teapot" });
  });

  test("no token, Authorization header or secret anywhere in the error", async () => {
    nock(API).get("/api/v2/routing/queues/q1").reply(400, { code: "bad.request", message: "nope" });

    const error = await makeClient()
      .getQueue("q1")
      .catch((e: unknown) => e);

    const everything = `${(error as Error).message} ${(error as Error).stack} ${JSON.stringify(error)} ${inspect(error, { depth: 10, showHidden: true })}`;
    expect(everything).not.toContain("tok-1");
    expect(everything).not.toMatch(/authorization|bearer/i);
    expect(everything).not.toContain(CLIENT_SECRET);
    expect((error as Error).cause).toBeUndefined();
  });
});

describe("message formatting and redaction", () => {
  test("network failures read as status-0 errors with the attempt count", () => {
    const message = formatApiErrorMessage({
      status: 0,
      code: "network.ECONNRESET",
      serverMessage: "socket hang up",
      method: "PUT",
      url: `${API}/api/v2/routing/wrapupcodes/c1`,
      attempts: 6,
    });
    expect(message).toBe(
      "PUT /api/v2/routing/wrapupcodes/c1 failed: network.ECONNRESET: socket hang up (after 6 attempts) — " +
        "the API could not be reached; check apiUrl/region and the network",
    );
  });

  test("field errors the server message already names are not repeated", () => {
    const message = formatApiErrorMessage({
      status: 400,
      code: "bad.request",
      serverMessage: "The request is invalid: codeName (invalid.length)",
      details: [
        { fieldName: "codeName", errorCode: "invalid.length" },
        { fieldName: "reportingTags", errorCode: "too.many.values" },
      ],
      method: "POST",
      url: `${API}/api/v2/routing/wrapupcodes`,
      attempts: 1,
    });
    expect(message).toBe(
      "POST /api/v2/routing/wrapupcodes failed: 400 bad.request: The request is invalid: codeName (invalid.length); " +
        "fields: reportingTags (too.many.values)",
    );
  });

  test("secret-looking query values are redacted from URLs", () => {
    expect(
      redactUrl(`https://u:p@api.x/api/v2/a?name=Esc&access_token=abc&client_secret=def&routingQueueId=${QUEUE_ID}`),
    ).toBe(
      `https://api.x/api/v2/a?name=Esc&access_token=%5Bredacted%5D&client_secret=%5Bredacted%5D&routingQueueId=${QUEUE_ID}`,
    );
  });

  test("secrets are scrubbed from server text; short strings are left alone", () => {
    expect(scrubSecrets("bad secret hunter22 here", ["hunter22"])).toBe("bad secret [redacted] here");
    expect(scrubSecrets("a b c", ["a"])).toBe("a b c");
  });
});
