import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { Receiver, RecordedEvent, sign, startReceiver } from "../../examples/bi-sync/receiver";
import { EmulatorProcess, QUEUES, startEmulator } from "../support/emulator";
import { PulumiProject, REPO_ROOT, RunResult, changedInputs, stepsOf } from "../support/pulumi";

// BI sync end to end: the examples/bi-sync stack, run by the real Pulumi CLI against the emulator, declares a
// SyncWebhook and three codes; the emulator delivers signed events to the example receiver, which verifies and
// records them. Between the emulator and the receiver sits a small front that can answer 500 after the receiver
// recorded an event, so that the emulator retries a delivery the receiver already has.

const TYPE = "genesys:SyncWebhook";
const EXAMPLE = path.join(REPO_ROOT, "examples/bi-sync");
const SECRET_1 = `whsec-${randomBytes(12).toString("hex")}`;
const SECRET_2 = `whsec-${randomBytes(12).toString("hex")}`;

/** A pass-through in front of the receiver, with a stable URL across receiver restarts. */
interface Front {
  readonly url: string;
  target: string;
  /** When set, the first attempt of each delivery is forwarded, then answered with 500. */
  failFirstAttempt: boolean;
  close(): Promise<void>;
}

async function startFront(): Promise<Front> {
  const failed = new Set<string>();
  const front = { target: "", failFirstAttempt: false } as Front;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (k === "content-type" || k.startsWith("x-genesys-")) headers[k] = String(v);
      }
      const answer = await fetch(front.target + req.url, { method: "POST", headers, body: Buffer.concat(chunks) });
      const text = await answer.text();
      const id = String(req.headers["x-genesys-delivery-id"]);
      if (front.failFirstAttempt && !failed.has(id)) {
        failed.add(id);
        res.writeHead(500).end(`front: simulated failure after the receiver answered ${answer.status}`);
        return;
      }
      res.writeHead(answer.status, { "Content-Type": "application/json" }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  Object.assign(front, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
  return front;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("SyncWebhook and BI sync through the Pulumi CLI", () => {
  let em: EmulatorProcess;
  let project: PulumiProject;
  let front: Front;
  let receiver: Receiver;
  let dir: string;
  let eventsFile: string;
  /** stdout and stderr of every CLI run of the test, searched for the secrets at the end. */
  const cliOutput: string[] = [];

  async function cli<T extends { result: RunResult }>(run: Promise<T>): Promise<T> {
    const done = await run;
    cliOutput.push(done.result.stdout, done.result.stderr);
    return done;
  }

  async function mustCli(args: string[]): Promise<RunResult> {
    const result = await project.run(args);
    cliOutput.push(result.stdout, result.stderr);
    if (result.code !== 0) throw new Error(`pulumi ${args[0]} failed:\n${result.stdout}\n${result.stderr}`);
    return result;
  }

  async function up(): Promise<Record<string, number>> {
    const { json, result } = await cli(project.up());
    if (result.code !== 0) throw new Error(`up failed:\n${result.stdout}\n${result.stderr}`);
    return json.changeSummary ?? {};
  }

  async function useReceiver(secret: string | string[]): Promise<void> {
    await receiver?.close();
    receiver = await startReceiver({ file: eventsFile, secret });
    front.target = receiver.url;
  }

  function events(): RecordedEvent[] {
    if (!fs.existsSync(eventsFile)) return [];
    return fs
      .readFileSync(eventsFile, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as RecordedEvent);
  }

  /** Waits until `count` events are recorded and no delivery is still being retried, then a little longer. */
  async function settledEvents(count: number): Promise<RecordedEvent[]> {
    await waitFor(`${count} recorded events (have ${events().length})`, () =>
      events().length >= count ? true : undefined,
    );
    await waitFor("deliveries to settle", async () => {
      const attempts = await em.deliveries();
      const last = new Map(attempts.map((a) => [a.deliveryId, a.outcome]));
      return [...last.values()].includes("retrying") ? undefined : true;
    });
    await new Promise((r) => setTimeout(r, 300));
    return events();
  }

  function editProgram(from: string, to: string): void {
    const file = path.join(project.dir, "index.ts");
    const text = fs.readFileSync(file, "utf8");
    expect(text).toContain(from);
    fs.writeFileSync(file, text.replace(from, to));
  }

  async function codeIds(): Promise<Record<string, string>> {
    const res = await em.api("GET", "/api/v2/routing/wrapupcodes?pageSize=500");
    return Object.fromEntries(res.body.entities.map((c: { code: string; id: string }) => [c.code, c.id]));
  }

  async function webhooks(): Promise<any[]> {
    return (await em.api("GET", "/api/v2/analytics/events/webhooks?pageSize=500")).body.entities;
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "bi-sync-engine-"));
    eventsFile = path.join(dir, "events.jsonl");
    // Fast retries: 4 attempts, 50 ms, 100 ms, 200 ms apart.
    em = await startEmulator({ config: { webhookRetry: { attempts: 4, baseDelayMs: 50, timeoutMs: 2_000 } } });
    front = await startFront();
    await useReceiver(SECRET_1);
    const files: Record<string, string> = {};
    for (const file of ["Pulumi.yaml", "package.json", "tsconfig.json", "index.ts"]) {
      files[file] = fs.readFileSync(path.join(EXAMPLE, file), "utf8");
    }
    project = await PulumiProject.create({
      name: "bi-sync",
      files,
      config: {
        "genesys:apiUrl": em.url,
        "genesys:apiProfile": "tutorial",
        "genesys:clientId": em.clientId,
        callbackUrl: `${front.url}/genesys/webhook`,
        supportQueueId: QUEUES.Support,
        salesQueueId: QUEUES.Sales,
      },
      secrets: { "genesys:clientSecret": em.clientSecret, webhookSecret: SECRET_1 },
      // The example type-checks in test/unit/syncWebhook.test.ts; here ts-node only transpiles it (saves ~2 s a run).
      env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
    });
  }, 180_000);

  afterAll(async () => {
    await receiver?.close();
    await front?.close();
    await em?.stop();
    project?.cleanup();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("fails a bad webhook at preview, naming each field and rule, without a request or the secret", async () => {
    const badSecret = `whsec-${"x".repeat(300)}`;
    await mustCli(["config", "set", "callbackUrl", "http://bi.example.com/hook"]);
    await mustCli(["config", "set", "--secret", "webhookSecret", badSecret]);
    await em.resetStats();
    const { json, result } = await cli(project.preview());
    await mustCli(["config", "set", "callbackUrl", `${front.url}/genesys/webhook`]);
    await mustCli(["config", "set", "--secret", "webhookSecret", SECRET_1]);

    expect(result.code).not.toBe(0);
    const output = (json.diagnostics ?? []).map((d) => d.message).join("\n");
    expect(output).toContain(
      "callbackUrl: must use https:// (plain http:// is allowed only for 127.0.0.0/8, localhost or [::1])",
    );
    expect(output).toContain("secret: must be at most 256 characters");
    expect(new Set(output.match(/has a problem: .*/g) ?? []).size).toBe(2);
    expect(result.stdout + result.stderr).not.toContain("x".repeat(40));
    expect((await em.stats()).total).toBe(0);
  }, 120_000);

  it("creates the webhook, then the codes; the receiver records one signed created event per code", async () => {
    expect(await up()).toEqual({ create: 5 });
    const [webhook] = await webhooks();
    expect(webhook).toMatchObject({
      name: "bi-sync-test",
      callbackUrl: `${front.url}/genesys/webhook`,
      eventTypes: ["routing:wrapupcode:created", "routing:wrapupcode:updated", "routing:wrapupcode:deleted"],
      enabled: true,
      status: "active",
      secretSet: true,
    });
    expect(webhook).not.toHaveProperty("filters");

    const recorded = await settledEvents(3);
    const ids = await codeIds();
    expect(recorded).toHaveLength(3);
    expect(recorded.map((e) => e.eventType)).toEqual(Array(3).fill("routing:wrapupcode:created"));
    expect(recorded.map((e) => e.entity.id).sort()).toEqual([ids.RESOLVED, ids.ESC_T2, ids.SALE].sort());
    expect(new Set(recorded.map((e) => e.webhookId))).toEqual(new Set([webhook.id]));
    // The receiver records only verified events; the emulator saw each delivered at the first attempt.
    expect(receiver.counts()).toEqual({ recorded: 3, duplicates: 0, rejected: 0 });
    const attempts = await em.deliveries();
    expect(attempts.map((a) => [a.attempt, a.status, a.outcome])).toEqual(Array(3).fill([1, 200, "delivered"]));

    const state = project.stateResources().find((r) => r.type.endsWith(TYPE))!;
    expect(state.outputs).toMatchObject({
      webhookId: webhook.id,
      status: "active",
      secretSet: true,
      secretVersion: 1,
      audit: { action: "create", clientId: em.clientId, attempts: 1 },
    });
  }, 180_000);

  it("makes no request when nothing changed", async () => {
    await em.resetStats();
    const preview = await cli(project.preview());
    expect(preview.json.changeSummary).toEqual({ same: 5 });
    expect((await em.stats()).total).toBe(0);
  }, 120_000);

  it("delivers an edit of one code as one updated event", async () => {
    editProgram('description: "Customer confirmed the fix"', 'description: "Customer confirmed the fix on the call"');
    expect(await up()).toEqual({ same: 4, update: 1 });
    const recorded = await settledEvents(4);
    expect(recorded).toHaveLength(4);
    expect(recorded[3]).toMatchObject({
      eventType: "routing:wrapupcode:updated",
      entity: { code: "RESOLVED", description: "Customer confirmed the fix on the call" },
    });
  }, 180_000);

  it("records a delivery retried after a 500 once: the retry carries the same id", async () => {
    front.failFirstAttempt = true;
    await fetch(`${em.url}/__emulator/deliveries`, { method: "DELETE" });
    editProgram("mandatory: false", "mandatory: true");
    expect(await up()).toEqual({ same: 4, update: 1 });
    const recorded = await settledEvents(5);
    front.failFirstAttempt = false;

    const attempts = await em.deliveries();
    expect(attempts.map((a) => [a.attempt, a.status, a.outcome])).toEqual([
      [1, 500, "retrying"],
      [2, 200, "delivered"],
    ]);
    expect(attempts[0].deliveryId).toBe(attempts[1].deliveryId);
    expect(recorded).toHaveLength(5);
    expect(recorded.filter((e) => e.deliveryId === attempts[0].deliveryId)).toHaveLength(1);
    expect(recorded[4]).toMatchObject({ eventType: "routing:wrapupcode:updated", entity: { mandatoryField: true } });
    expect(receiver.counts()).toMatchObject({ recorded: 5, duplicates: 1, rejected: 0 });
  }, 180_000);

  it("with a filter on the support queue, delivers only that queue's events", async () => {
    await mustCli(["config", "set", "--path", "syncQueueIds[0]", QUEUES.Support]);
    const preview = await cli(project.preview());
    const changed = stepsOf(preview.json, TYPE).filter((s) => s.op !== "same");
    expect(changed.map((s) => s.op)).toEqual(["update"]);
    expect(changedInputs(changed[0])).toEqual(["filters"]);
    expect(await up()).toEqual({ same: 4, update: 1 });
    expect((await webhooks())[0].filters).toEqual({
      matchType: "exact",
      filters: [{ field: "routingQueue.id", value: QUEUES.Support }],
    });

    await fetch(`${em.url}/__emulator/deliveries`, { method: "DELETE" });
    editProgram('tags: ["priority:high"]', 'tags: ["priority:high", "team:tier2"]');
    editProgram("mandatory: true", "mandatory: false");
    expect(await up()).toEqual({ same: 3, update: 2 });
    const recorded = await settledEvents(6);
    expect(recorded).toHaveLength(6);
    expect(recorded[5]).toMatchObject({ eventType: "routing:wrapupcode:updated", entity: { code: "ESC_T2" } });
    // The sales code changed too (mandatory), but the platform sent nothing for it.
    const ids = await codeIds();
    expect((await em.deliveries()).map((a) => a.entityId)).toEqual([ids.ESC_T2]);
  }, 180_000);

  it("rejects an event signed with a wrong secret, or unsigned", async () => {
    const body = JSON.stringify({
      id: "forged-1",
      eventType: "routing:wrapupcode:deleted",
      timestamp: new Date().toISOString(),
      webhookId: "w",
      entity: { id: "c" },
    });
    for (const headers of [{ "X-Genesys-Signature": sign(body, "not-the-secret") }, {}] as Record<string, string>[]) {
      const res = await fetch(`${receiver.url}/genesys/webhook`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Genesys-Delivery-Id": "forged-1", ...headers },
        body,
      });
      expect(res.status).toBe(401);
    }
    expect(events()).toHaveLength(6);
    expect(receiver.counts().rejected).toBe(2);
  });

  it("shows a rotated secret as an update in preview, applies it, and later events verify with the new one", async () => {
    await mustCli(["config", "set", "--secret", "webhookSecret", SECRET_2]);
    const preview = await cli(project.preview());
    const changed = stepsOf(preview.json, TYPE).filter((s) => s.op !== "same");
    expect(preview.json.changeSummary).toEqual({ same: 4, update: 1 });
    expect(changed.map((s) => s.op)).toEqual(["update"]);
    expect(changedInputs(changed[0])).toEqual(["secretVersion"]);
    expect(changed[0].newState!.inputs!.secret).toBe("[secret]");
    const text = await mustCli(["preview", "--diff"]);
    expect(text.stdout).toMatch(/~ secretVersion: 1 => 2/);
    expect(text.stdout).toMatch(/secret\s*: \[secret\]/);

    await em.resetStats();
    expect(await up()).toEqual({ same: 4, update: 1 });
    expect(Object.entries((await em.stats()).byRoute).filter(([, n]) => n > 0)).toEqual([
      ["POST /oauth/token 200", 1],
      ["PUT /api/v2/analytics/events/webhooks/{webhookId} 200", 1],
    ]);

    // The BI side now knows only the new secret: an event recorded from here on was signed with it.
    await useReceiver(SECRET_2);
    await fetch(`${em.url}/__emulator/deliveries`, { method: "DELETE" });
    editProgram('tags: ["priority:high", "team:tier2"]', 'tags: ["priority:high"]');
    expect(await up()).toEqual({ same: 4, update: 1 });
    const recorded = await settledEvents(7);
    expect(recorded).toHaveLength(7);
    expect(recorded[6]).toMatchObject({
      entity: { code: "ESC_T2", reportingTags: expect.not.arrayContaining(["team:tier2"]) },
    });
    expect((await em.deliveries()).map((a) => [a.attempt, a.status])).toEqual([[1, 200]]);
  }, 240_000);

  it("notices a webhook disabled and its secret cleared outside Pulumi, and restores both", async () => {
    const [webhook] = await webhooks();
    const { id, status: _s, secretSet: _set, dateCreated: _c, dateModified: _m, selfUri: _u, ...fields } = webhook;
    const put = await em.api("PUT", `/api/v2/analytics/events/webhooks/${id}`, {
      ...fields,
      enabled: false,
      secret: null,
    });
    expect(put.body).toMatchObject({ enabled: false, status: "disabled", secretSet: false });

    const refresh = await cli(project.refresh());
    expect(refresh.result.code).toBe(0);
    const step = stepsOf(refresh.json, TYPE).find((s) => s.op === "update" || s.op === "refresh");
    expect(step?.newState?.outputs).toMatchObject({ enabled: false, status: "disabled", secretSet: false });

    expect(await up()).toEqual({ same: 4, update: 1 });
    expect((await webhooks())[0]).toMatchObject({ enabled: true, status: "active", secretSet: true });
    // The secret the provider sent again is the declared one: the receiver (new secret only) records the next event.
    await fetch(`${em.url}/__emulator/deliveries`, { method: "DELETE" });
    editProgram('description: "Customer confirmed the fix on the call"', 'description: "Customer confirmed the fix"');
    expect(await up()).toEqual({ same: 4, update: 1 });
    expect(await settledEvents(8)).toHaveLength(8);
    expect((await em.deliveries()).map((a) => [a.attempt, a.status])).toEqual([[1, 200]]);
  }, 240_000);

  it("keeps both secrets out of state, history, previews and every CLI output", async () => {
    const backend = project.allBackendText();
    const outputs = cliOutput.join("\n");
    for (const secret of [SECRET_1, SECRET_2]) {
      const derived = [
        secret,
        Buffer.from(secret).toString("base64"),
        Buffer.from(secret).toString("hex"),
        createHash("sha256").update(secret).digest("hex"),
        createHash("sha256").update(secret).digest("base64"),
      ];
      for (const text of derived) {
        expect(backend).not.toContain(text);
        expect(outputs).not.toContain(text);
      }
    }
    expect(cliOutput.length).toBeGreaterThan(20);
    // The input is a ciphertext; the outputs hold no secret at all, only the rotation counter.
    const state = project.stateResources().find((r) => r.type.endsWith(TYPE))!;
    expect(state.inputs!.secret).toEqual({
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      ciphertext: expect.any(String),
    });
    expect(state.outputs).not.toHaveProperty("secret");
    expect(state.outputs!.secretVersion).toBe(2);
  });

  it("destroys the codes and the webhook", async () => {
    const destroy = await cli(project.destroy());
    expect(destroy.result.code).toBe(0);
    expect(await webhooks()).toEqual([]);
    expect(await codeIds()).toEqual({});
  }, 180_000);
});

describe("SyncWebhook adoption and deletion outside Pulumi", () => {
  let em: EmulatorProcess;
  let project: PulumiProject;

  beforeAll(async () => {
    em = await startEmulator();
    project = await PulumiProject.create({
      config: { "genesys:apiUrl": em.url, "genesys:apiProfile": "tutorial", "genesys:clientId": em.clientId },
      secrets: { "genesys:clientSecret": em.clientSecret },
    });
  }, 180_000);
  afterAll(async () => {
    await em?.stop();
    project?.cleanup();
  });

  const declared = (onConflict?: string) => ({
    type: "SyncWebhook",
    name: "legacy",
    args: {
      name: "Legacy BI",
      callbackUrl: "https://bi.example.com/genesys",
      secret: "whsec-adopted-4b1e",
      ...(onConflict && { onConflict }),
    },
  });

  it("fails on a webhook of the same name, then adopts it with onConflict adopt; a delete outside is no error", async () => {
    const existing = await em.api("POST", "/api/v2/analytics/events/webhooks", {
      name: "legacy bi",
      callbackUrl: "https://old.example.com/hook",
      eventTypes: ["routing:wrapupcode:created"],
    });
    expect(existing.status).toBe(200);

    project.writeSpec([declared()]);
    const failed = await project.up();
    expect(failed.result.code).not.toBe(0);
    const message = (failed.json.diagnostics ?? []).map((d) => d.message).join("\n");
    expect(message).toContain(
      `webhook "Legacy BI" already exists as webhook ${existing.body.id} (409 general.conflict`,
    );
    expect(message).toContain('set onConflict: "adopt"');

    project.writeSpec([declared("adopt")]);
    const adopted = await project.up();
    expect(adopted.result.code).toBe(0);
    const list = (await em.api("GET", "/api/v2/analytics/events/webhooks")).body.entities;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      id: existing.body.id,
      name: "Legacy BI",
      callbackUrl: "https://bi.example.com/genesys",
      eventTypes: ["routing:wrapupcode:created", "routing:wrapupcode:updated"],
      secretSet: true,
    });
    const state = project.stateResources().find((r) => r.type.endsWith(TYPE))!;
    expect(state.id).toBe(existing.body.id);
    expect(state.outputs).toMatchObject({ audit: { action: "adopt" }, secretVersion: 1 });

    expect((await em.api("DELETE", `/api/v2/analytics/events/webhooks/${existing.body.id}`)).status).toBe(204);
    const destroy = await project.destroy();
    expect(destroy.result.code).toBe(0);
    expect(project.stateResources().filter((r) => r.type.endsWith(TYPE))).toEqual([]);
  }, 240_000);
});
