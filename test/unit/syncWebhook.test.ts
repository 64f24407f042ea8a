import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  checkSyncWebhook,
  desiredWebhook,
  diffSyncWebhook,
  webhookState,
} from "../../provider/src/resources/syncWebhook";
import { webhookFromWire, webhookToWire } from "../../provider/src/profiles/tutorial/webhooks";
import type { Webhook } from "../../provider/src/profiles/tutorial";
import type { SyncWebhookInputs } from "../../provider/src/resources/syncWebhook";
import { UNKNOWN } from "../../provider/src/unknown";
import { sign, startReceiver, verifySignature } from "../../examples/bi-sync/receiver";

const QUEUE = "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4e01";
const SECRET = "whsec-unit-7c1d0f9a2b";
const valid = { name: "bi-sync-prod", callbackUrl: "https://bi.example.com/genesys/webhook", secret: SECRET };

/** Checked inputs of a first `up` (no old inputs). */
function checked(news: Record<string, unknown>, olds: Record<string, unknown> = {}) {
  return checkSyncWebhook(olds, news);
}

describe("SyncWebhook check", () => {
  it("applies the defaults and counts the first secret as version 1", () => {
    const { inputs, failures } = checked(valid);
    expect(failures).toEqual([]);
    expect(inputs).toEqual({
      ...valid,
      eventTypes: ["created", "updated"],
      enabled: true,
      onConflict: "fail",
      secretVersion: 1,
    });
    expect(checked({ ...valid, secret: undefined }).inputs.secretVersion).toBe(0);
  });

  it("fills in matchType exact and accepts http:// only for loopback hosts", () => {
    const filters = { conditions: [{ field: "queueId", value: QUEUE }] };
    expect(checked({ ...valid, filters }).inputs.filters).toEqual({ matchType: "exact", ...filters });
    for (const url of ["http://127.0.0.1:8787/hook", "http://localhost/x", "http://[::1]:9/x"]) {
      expect(checked({ ...valid, callbackUrl: url }).failures).toEqual([]);
    }
  });

  it("reports one failure per broken field, naming the field and its rules", () => {
    const { failures } = checked({
      name: "   ",
      callbackUrl: "http://bi.example.com/hook",
      eventTypes: ["created", "routing:wrapupcode:updated", "created"],
      filters: { matchType: "fuzzy", conditions: [{ field: "routingQueue.id", value: "" }] },
      enabled: "yes",
      description: "d".repeat(513),
      onConflict: "merge",
    });
    const byField = Object.fromEntries(failures.map((f) => [f.property, f.reason]));
    expect(Object.keys(byField).sort()).toEqual(
      ["callbackUrl", "description", "enabled", "eventTypes", "filters", "name", "onConflict"].sort(),
    );
    expect(byField.name).toBe("name: must not be only spaces");
    expect(byField.callbackUrl).toBe(
      "callbackUrl: must use https:// (plain http:// is allowed only for 127.0.0.0/8, localhost or [::1])",
    );
    expect(byField.eventTypes).toContain(
      '[1] "routing:wrapupcode:updated" is not an event type; use created, updated, deleted (write "updated")',
    );
    expect(byField.eventTypes).toContain("must not repeat an event type");
    expect(byField.filters).toContain('matchType must be "exact" or "prefix"');
    expect(byField.filters).toContain(
      "[conditions.0.field] field must be one of codeId, name, code, category, queueId",
    );
    expect(byField.filters).toContain("[conditions.0.value] value must not be empty");
    expect(byField.enabled).toBe("enabled: must be a boolean");
    expect(byField.description).toBe("description: must be at most 512 characters");
    expect(byField.onConflict).toContain('"fail" or "adopt"');
  });

  it("names required fields that are missing, and filters without conditions", () => {
    expect(checked({ secret: SECRET }).failures.map((f) => f.reason)).toEqual([
      "name: is required",
      "callbackUrl: is required",
    ]);
    expect(checked({ ...valid, filters: { matchType: "exact", conditions: [] } }).failures).toEqual([
      {
        property: "filters",
        reason: "filters: [conditions] must list 1..50 conditions; omit filters to receive every code's events",
      },
    ]);
    expect(checked({ ...valid, filters: { matchType: "exact" } }).failures[0].reason).toBe(
      "filters: [conditions] conditions must be a list of {field, value}",
    );
  });

  it("rejects credentials in the URL and ids that can never match exactly", () => {
    expect(checked({ ...valid, callbackUrl: "https://user:pw@bi.example.com/x" }).failures[0].reason).toContain(
      "must not contain credentials",
    );
    expect(checked({ ...valid, callbackUrl: "ftp://bi.example.com/x" }).failures[0].reason).toBe(
      "callbackUrl: must use https:// (got ftp:)",
    );
    const exact = { matchType: "exact", conditions: [{ field: "queueId", value: "8e0d6f2a" }] };
    expect(checked({ ...valid, filters: exact }).failures).toEqual([
      { property: "filters", reason: "filters: [conditions.0.value] queueId must be a UUID (8-4-4-4-12 hex)" },
    ]);
    expect(checked({ ...valid, filters: { ...exact, matchType: "prefix" } }).failures).toEqual([]);
  });

  it("never echoes the secret in a failure", () => {
    const long = "S".repeat(200) + "-tail-" + "S".repeat(100);
    const tooLong = checked({ ...valid, secret: long }).failures;
    expect(tooLong).toEqual([{ property: "secret", reason: "secret: must be at most 256 characters" }]);
    expect(checked({ ...valid, secret: "" }).failures[0].reason).toBe(
      "secret: must not be empty; omit secret to send unsigned events",
    );
    expect(checked({ ...valid, secret: { value: SECRET } }).failures[0].reason).toBe("secret: must be a string");
    for (const secret of [long, SECRET]) {
      expect(JSON.stringify(checked({ ...valid, secret, name: "" }).failures)).not.toContain(secret.slice(0, 12));
    }
  });

  it("lets unknown preview values through, and makes an unknown secret an unknown version", () => {
    const { inputs, failures } = checked({
      name: UNKNOWN,
      callbackUrl: UNKNOWN,
      secret: UNKNOWN,
      filters: { conditions: [{ field: "queueId", value: UNKNOWN }] },
    });
    expect(failures).toEqual([]);
    expect(inputs.secretVersion).toBe(UNKNOWN);
  });

  it("counts a secret change from the old inputs: same secret same version, rotation or removal one more", () => {
    const first = checked(valid).inputs;
    expect(checked(valid, first).inputs.secretVersion).toBe(1);
    const rotated = checked({ ...valid, secret: "whsec-rotated" }, first).inputs;
    expect(rotated.secretVersion).toBe(2);
    expect(checked({ ...valid, secret: "whsec-rotated" }, rotated).inputs.secretVersion).toBe(2);
    expect(checked({ ...valid, secret: undefined }, rotated).inputs.secretVersion).toBe(3);
  });
});

describe("SyncWebhook diff", () => {
  const inputs = checked({
    ...valid,
    eventTypes: ["created", "updated", "deleted"],
    filters: {
      conditions: [
        { field: "queueId", value: QUEUE },
        { field: "category", value: "support" },
      ],
    },
  }).inputs;
  /** Outputs after create: no secret, the platform's fields. */
  const state: Record<string, unknown> = {
    ...inputs,
    secret: undefined,
    webhookId: "w1",
    status: "active",
    secretSet: true,
    dateCreated: "2026-01-01T00:00:00.000Z",
    audit: { action: "create" },
  };
  delete state.secret;

  it("finds no change when nothing changed, whatever the computed outputs", () => {
    expect(diffSyncWebhook(state, checked({ ...inputs }, inputs).inputs)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
      changed: [],
    });
  });

  it("ignores the order of event types and of filter conditions", () => {
    const reordered = checked(
      {
        ...inputs,
        eventTypes: ["deleted", "created", "updated"],
        filters: { matchType: "exact", conditions: [...(inputs.filters as any).conditions].reverse() },
      },
      inputs,
    ).inputs;
    expect(diffSyncWebhook(state, reordered).changes).toBe(false);
  });

  it("updates every changed field in place, the name included; nothing replaces", () => {
    const news = checked({ ...inputs, name: "bi-sync-renamed", enabled: false, description: "d" }, inputs).inputs;
    expect(diffSyncWebhook(state, news)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
      changed: ["name", "enabled", "description"],
    });
    const prefix = checked({ ...inputs, filters: { ...(inputs.filters as object), matchType: "prefix" } }, inputs);
    expect(diffSyncWebhook(state, prefix.inputs).changed).toEqual(["filters"]);
  });

  it("sees a rotated secret through secretVersion, without the secret in the outputs", () => {
    const news = checked({ ...inputs, secret: "whsec-rotated" }, inputs).inputs;
    expect(diffSyncWebhook(state, news).changed).toEqual(["secretVersion"]);
  });

  it("sees a secret set or cleared outside Pulumi (refresh) as a change of secret", () => {
    const clearedOutside = { ...state, secretSet: false };
    expect(diffSyncWebhook(clearedOutside, checked(inputs, inputs).inputs).changed).toEqual(["secret"]);
    const noSecret = checked({ ...inputs, secret: undefined }, { ...inputs, secret: undefined }).inputs;
    const setOutside = { ...state, secretVersion: noSecret.secretVersion, secretSet: true };
    expect(diffSyncWebhook(setOutside, noSecret).changed).toEqual(["secret"]);
  });

  it("counts unknown values as possible changes", () => {
    const news = checked({ ...inputs, callbackUrl: UNKNOWN, secret: UNKNOWN }, inputs).inputs;
    expect(diffSyncWebhook(state, news).changed).toEqual(["callbackUrl", "secretVersion"]);
  });
});

describe("SyncWebhook wire format", () => {
  const inputs = checked({
    ...valid,
    eventTypes: ["created", "deleted"],
    filters: {
      matchType: "prefix",
      conditions: [
        { field: "queueId", value: QUEUE },
        { field: "name", value: "Sale" },
        { field: "codeId", value: "c" },
        { field: "category", value: "sales" },
      ],
    },
    description: "BI",
  }).inputs as unknown as SyncWebhookInputs;

  it("maps the user's names to the API's, secret included", () => {
    expect(webhookToWire(desiredWebhook(inputs))).toEqual({
      name: "bi-sync-prod",
      description: "BI",
      callbackUrl: valid.callbackUrl,
      eventTypes: ["routing:wrapupcode:created", "routing:wrapupcode:deleted"],
      filters: {
        matchType: "prefix",
        filters: [
          { field: "routingQueue.id", value: QUEUE },
          { field: "codeName", value: "Sale" },
          { field: "id", value: "c" },
          { field: "codeCategoryName", value: "sales" },
        ],
      },
      secret: SECRET,
      enabled: true,
    });
  });

  it("sends null to clear what is no longer declared", () => {
    const bare = checked({ name: "n", callbackUrl: valid.callbackUrl }).inputs as unknown as SyncWebhookInputs;
    expect(webhookToWire(desiredWebhook(bare))).toMatchObject({ description: null, filters: null, secret: null });
  });

  it("maps the API's answer back, never carrying the secret into the outputs", () => {
    const { secret: _secret, ...answer } = webhookToWire(desiredWebhook(inputs));
    const entity = {
      ...answer,
      id: "w1",
      status: "active" as const,
      secretSet: true,
      dateCreated: "2026-01-01T00:00:00.000Z",
      dateModified: "2026-01-02T00:00:00.000Z",
    };
    const state = webhookState(webhookFromWire(entity as Webhook), inputs, undefined);
    expect(state).toEqual({
      name: inputs.name,
      callbackUrl: inputs.callbackUrl,
      eventTypes: ["created", "deleted"],
      filters: inputs.filters,
      enabled: true,
      description: "BI",
      onConflict: "fail",
      secretVersion: 1,
      webhookId: "w1",
      status: "active",
      secretSet: true,
      dateCreated: entity.dateCreated,
      dateModified: entity.dateModified,
    });
    expect(JSON.stringify(state)).not.toContain(SECRET);
    const unfiltered = webhookState(
      webhookFromWire({ ...entity, filters: { matchType: "exact", filters: [] } } as Webhook),
      inputs,
      undefined,
    );
    expect(unfiltered).not.toHaveProperty("filters");
  });
});

describe("bi-sync example receiver", () => {
  const secret = "whsec-receiver-3f9e";
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "bi-sync-receiver-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function delivery(id: string, eventType = "routing:wrapupcode:created") {
    return JSON.stringify({
      id,
      eventType,
      timestamp: "2026-01-01T00:00:00.000Z",
      webhookId: "w1",
      entity: { id: "c1" },
    });
  }

  async function post(url: string, body: string, headers: Record<string, string>) {
    const res = await fetch(url + "/genesys/webhook", {
      method: "POST",
      headers: { "Content-Type": "application/json", ...headers },
      body,
    });
    return { status: res.status, body: (await res.json()) as { status?: string } };
  }

  function lines(file: string) {
    return fs
      .readFileSync(file, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  }

  it("verifies signatures in constant time against every current secret", () => {
    const body = Buffer.from(delivery("d1"));
    expect(verifySignature(body, sign(body, secret), [secret])).toBe(true);
    expect(verifySignature(body, sign(body, secret).toUpperCase().replace("SHA256", "sha256"), [secret])).toBe(true);
    expect(verifySignature(body, sign(body, "old"), ["new", "old"])).toBe(true);
    expect(verifySignature(body, sign(body, "other"), [secret])).toBe(false);
    expect(verifySignature(body, "sha256=abc", [secret])).toBe(false);
    expect(verifySignature(body, undefined, [secret])).toBe(false);
    expect(verifySignature(Buffer.from(delivery("d2")), sign(body, secret), [secret])).toBe(false);
  });

  it("records a signed event once, answers 401 to a bad signature, and keeps its record across restarts", async () => {
    const file = path.join(dir, "events.jsonl");
    let receiver = await startReceiver({ file, secret });
    try {
      const body = delivery("d1");
      const signed = { "X-Genesys-Signature": sign(body, secret), "X-Genesys-Delivery-Id": "d1" };
      expect(await post(receiver.url, body, signed)).toEqual({
        status: 200,
        body: { status: "recorded", deliveryId: "d1" },
      });
      expect(await post(receiver.url, body, signed)).toEqual({
        status: 200,
        body: { status: "duplicate", deliveryId: "d1" },
      });
      const wrong = await post(receiver.url, delivery("d2"), { "X-Genesys-Signature": sign(delivery("d2"), "nope") });
      expect(wrong.status).toBe(401);
      expect((await post(receiver.url, delivery("d3"), {})).status).toBe(401);
      const mismatch = await post(receiver.url, body, { ...signed, "X-Genesys-Delivery-Id": "other" });
      expect(mismatch.status).toBe(400);
      expect(receiver.counts()).toEqual({ recorded: 1, duplicates: 1, rejected: 3 });
      expect(lines(file)).toEqual([
        expect.objectContaining({ deliveryId: "d1", eventType: "routing:wrapupcode:created", entity: { id: "c1" } }),
      ]);

      await receiver.close();
      // A crash mid-write leaves a torn line; it is skipped, and the next event starts on a line of its own.
      fs.appendFileSync(file, '{"deliveryId":"d9","eventTy');
      receiver = await startReceiver({ file, secret: ["whsec-new", secret] });
      expect((await post(receiver.url, body, signed)).body.status).toBe("duplicate");
      const next = delivery("d4", "routing:wrapupcode:updated");
      expect((await post(receiver.url, next, { "X-Genesys-Signature": sign(next, "whsec-new") })).status).toBe(200);
    } finally {
      await receiver.close();
    }
    const text = fs.readFileSync(file, "utf8").split("\n");
    expect(text.filter((l) => l.startsWith("{") && l.endsWith("}")).map((l) => JSON.parse(l).deliveryId)).toEqual([
      "d1",
      "d4",
    ]);
  });

  it("refuses to start without a secret", async () => {
    await expect(startReceiver({ file: path.join(dir, "e.jsonl"), secret: [] })).rejects.toThrow(/secret is required/);
  });

  it("type-checks with the example's own tsconfig (stack program and receiver)", () => {
    const root = path.resolve(__dirname, "../..");
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "examples/bi-sync", "--noEmit"], {
      cwd: root,
      stdio: "pipe",
    });
  }, 60_000);
});
