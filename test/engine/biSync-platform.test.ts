import { createHmac, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { pendingOperations, removeEmptyBackendAttrs, spawnPulumi, waitFor } from "../../bench/lib";
import { EmulatorProcess, QUEUES, startEmulator } from "../support/emulator";
import { PulumiProject, RunResult } from "../support/pulumi";

// BI sync on the platform profile, through the real Pulumi CLI: the public platform has no webhook API, so the stack
// delivers its own changes to the BI platform. A receiver of this test's own records every delivery (raw body and
// headers); "records" below are deliveries de-duplicated by delivery id, as a receiver is meant to keep them.

const SECRET = `whsec-${randomBytes(12).toString("hex")}`;
const Q = [QUEUES.Support, QUEUES.Sales, QUEUES.Billing];

const PROGRAM = `
const fs = require("fs");
const pulumi = require("@pulumi/pulumi");
const { SyncWebhook, WrapUpCode } = require("pulumi-genesys-wrapup");
const spec = JSON.parse(fs.readFileSync(__dirname + "/spec.json", "utf8"));
const config = new pulumi.Config();
const codes = spec.codes.map((c) => new WrapUpCode(c.name, c.args));
const webhook = new SyncWebhook("bi", {
  name: "bi-sync",
  callbackUrl: config.require("callbackUrl"),
  secret: config.requireSecret("webhookSecret"),
  eventTypes: ["created", "updated", "deleted"],
  enabled: spec.enabled !== false,
  codes,
});
module.exports = { pending: webhook.pendingEvents, lastDelivery: webhook.lastDelivery };
`;

interface Delivery {
  readonly id: string;
  readonly type: string;
  readonly signature: string;
  readonly raw: string;
  readonly body: any;
}

/** How the receiver answers: 200, 503 for everything, or holding every request until released. */
type Mode = "ok" | "unavailable" | "hang";

interface TestReceiver {
  readonly url: string;
  readonly deliveries: Delivery[];
  /** Deliveries answered 2xx, de-duplicated by delivery id: what a de-duplicating receiver records. */
  records(): Delivery[];
  mode: Mode;
  close(): Promise<void>;
}

async function startTestReceiver(): Promise<TestReceiver> {
  const acknowledged = new Map<string, Delivery>();
  const held: http.ServerResponse[] = [];
  const receiver = { deliveries: [] as Delivery[], mode: "ok" as Mode } as TestReceiver;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const delivery: Delivery = {
        id: String(req.headers["x-genesys-delivery-id"]),
        type: String(req.headers["x-genesys-event-type"]),
        signature: String(req.headers["x-genesys-signature"]),
        raw,
        body: JSON.parse(raw),
      };
      receiver.deliveries.push(delivery);
      if (receiver.mode === "hang") return void held.push(res);
      if (receiver.mode === "unavailable") return void res.writeHead(503).end("maintenance");
      if (!acknowledged.has(delivery.id)) acknowledged.set(delivery.id, delivery);
      res.writeHead(200).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  Object.assign(receiver, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/bi/events`,
    records: () => [...acknowledged.values()],
    close: () => {
      for (const res of held.splice(0)) res.destroy();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
  return receiver;
}

const verifies = (d: Delivery) => d.signature === `sha256=${createHmac("sha256", SECRET).update(d.raw).digest("hex")}`;

function code(name: string, args: Record<string, unknown>): { name: string; args: Record<string, unknown> } {
  return { name, args: { code: name.toUpperCase().replace(/-/g, "_"), category: "support", ...args } };
}

describe("BI sync on the platform profile through the Pulumi CLI", () => {
  let em: EmulatorProcess;
  let project: PulumiProject;
  let receiver: TestReceiver;
  const outputs: string[] = [];
  const spec = {
    enabled: true,
    codes: [
      code("escalation", { name: "Escalation", queueIds: [Q[0]], description: "second line" }),
      code("callback", { name: "Callback", queueIds: [Q[0], Q[1]], tags: ["team:a"] }),
      code("sale", { name: "Sale Closed", queueIds: [Q[1]], category: "sales", validFrom: "2026-01-01T00:00:00Z" }),
      code("refund", { name: "Refund", queueIds: [Q[2]] }),
      code("wrong-number", { name: "Wrong Number", queueIds: Q, category: "compliance" }),
    ],
  };

  async function run(args: string[]): Promise<RunResult> {
    const result = await project.run(args);
    outputs.push(result.stdout, result.stderr);
    return result;
  }

  function writeSpec(): void {
    fs.writeFileSync(`${project.dir}/spec.json`, JSON.stringify(spec));
  }

  async function up(): Promise<RunResult> {
    writeSpec();
    const result = await run(["up", "--yes", "--skip-preview"]);
    if (result.code !== 0) throw new Error(`up failed:\n${result.stdout}\n${result.stderr}`);
    return result;
  }

  const recordsOfType = (type: string) => receiver.records().filter((d) => d.type === `routing:wrapupcode:${type}`);

  beforeAll(async () => {
    em = await startEmulator({ profile: "platform" });
    receiver = await startTestReceiver();
    project = await PulumiProject.create({
      program: PROGRAM,
      config: { "genesys:apiUrl": em.url, "genesys:clientId": em.clientId, callbackUrl: receiver.url },
      secrets: { "genesys:clientSecret": em.clientSecret, webhookSecret: SECRET },
    });
  }, 180_000);
  afterAll(async () => {
    await receiver?.close();
    await em?.stop();
    project?.cleanup();
  });

  it("shows at preview how many events an up would deliver, and delivers nothing", async () => {
    writeSpec();
    const preview = await run(["preview"]);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain('BI-sync webhook "bi-sync": 5 event(s) to deliver');
    expect(receiver.deliveries).toEqual([]);
  }, 120_000);

  it("delivers one signed created event per code, with the code as the stack declares it", async () => {
    const result = await up();
    expect(result.stdout).toContain('BI-sync webhook "bi-sync": delivered 5 event(s)');
    const created = recordsOfType("created");
    expect(created).toHaveLength(5);
    expect(receiver.deliveries).toHaveLength(5);
    expect(created.every(verifies)).toBe(true);
    const codes = (await em.api("GET", "/api/v2/routing/wrapupcodes?pageSize=100")).body.entities;
    const sale = created.find((d) => d.body.entity.name === "Sale Closed")!;
    expect(sale.body).toMatchObject({
      id: sale.id,
      eventType: "routing:wrapupcode:created",
      entity: {
        id: codes.find((c: any) => c.name === "Sale Closed").id,
        code: "SALE",
        category: "sales",
        reportingTags: ["cat:sales", "sub:conversion", "sub:lead", "sub:follow_up"],
        queueIds: [Q[1]],
        divisionId: codes[0].division.id,
        validFrom: "2026-01-01T00:00:00Z",
        mandatory: false,
      },
    });
  }, 180_000);

  it("delivers an edit of two codes' categories as two updated events naming category, with no platform request", async () => {
    spec.codes[0].args.category = "compliance";
    spec.codes[1].args.category = "sales";
    await em.resetStats();
    await up();
    expect((await em.stats()).total).toBe(0);
    const updated = recordsOfType("updated");
    expect(updated.map((d) => d.body.entity.name).sort()).toEqual(["Callback", "Escalation"]);
    for (const d of updated) {
      expect(verifies(d)).toBe(true);
      expect(d.body.changes.map((c: any) => c.field)).toEqual(["category", "reportingTags"]);
    }
    expect(updated.find((d) => d.body.entity.name === "Escalation")!.body.changes[0]).toEqual({
      field: "category",
      before: "support",
      after: "compliance",
    });
  }, 180_000);

  it("delivers the removal of a code as one deleted event, once the platform deleted it", async () => {
    const removed = spec.codes.splice(3, 1)[0];
    await up();
    const deleted = recordsOfType("deleted");
    expect(deleted).toHaveLength(1);
    expect(deleted[0].body.entity).toMatchObject({ name: removed.args.name, code: "REFUND" });
    expect(verifies(deleted[0])).toBe(true);
    // The next up confirms the deletion and sends it again under the same id: still one record.
    const before = receiver.deliveries.length;
    await up();
    expect(receiver.deliveries.length).toBe(before + 1);
    expect(recordsOfType("deleted")).toHaveLength(1);
    expect((await project.preview(["--expect-no-changes"])).result.code).toBe(0);
  }, 240_000);

  it("keeps the events of an up the callback refused (503) and delivers each once with the next up", async () => {
    receiver.mode = "unavailable";
    spec.codes[2].args.description = "won";
    spec.codes[3].args.queueIds = [Q[2]];
    spec.codes.push(code("new", { name: "Brand New", queueIds: [Q[0]] }));
    const result = await up();
    expect(result.stdout).toContain("3 of 3 event(s) could not be delivered");
    expect(result.stdout).toContain("503");
    expect(result.stdout).toContain("delivered by the next `pulumi up`, under the same delivery ids");
    // The codes are applied nevertheless.
    const names = (await em.api("GET", "/api/v2/routing/wrapupcodes?pageSize=100")).body.entities.map(
      (c: any) => c.name,
    );
    expect(names).toContain("Brand New");
    const refused = receiver.deliveries.slice(-9);
    expect(new Set(refused.map((d) => d.id)).size).toBe(3);

    receiver.mode = "ok";
    const recordsBefore = receiver.records().length;
    const preview = await run(["preview"]);
    expect(preview.stdout).toContain("3 pending from an earlier run");
    await up();
    const fresh = receiver.records().slice(recordsBefore);
    expect(fresh.map((d) => d.id).sort()).toEqual([...new Set(refused.map((d) => d.id))].sort());
    expect(fresh.map((d) => d.type).sort()).toEqual([
      "routing:wrapupcode:created",
      "routing:wrapupcode:updated",
      "routing:wrapupcode:updated",
    ]);
    // One record per change so far: 5 created, 2 category edits, 1 deletion, then 2 edits and 1 new code.
    expect(receiver.records()).toHaveLength(11);
    expect((await project.preview(["--expect-no-changes"])).result.code).toBe(0);
  }, 300_000);

  it("delivers every change exactly once by id after an up killed between the platform write and the delivery", async () => {
    receiver.mode = "hang";
    spec.codes[0].args.description = "third line";
    spec.codes[1].args.name = "Callback Requested";
    writeSpec();
    const seen = receiver.deliveries.length;
    const killed = spawnPulumi(project, ["up", "--yes", "--skip-preview"]);
    // The platform took both writes and the first delivery is on its way: kill everything now.
    await waitFor(async () => receiver.deliveries.length > seen, 120_000);
    killed.kill();
    expect((await killed.done).signal).toBe("SIGKILL");
    receiver.mode = "ok";
    const codes = (await em.api("GET", "/api/v2/routing/wrapupcodes?pageSize=100")).body.entities;
    expect(codes.map((c: any) => c.name)).toContain("Callback Requested");

    // The recovery of docs/operations.md.
    removeEmptyBackendAttrs(project);
    expect((await run(["cancel", "--yes"])).code).toBe(0);
    expect((await run(["refresh", "--yes", "--clear-pending-creates"])).code).toBe(0);
    expect(pendingOperations(project)).toEqual([]);
    await up();
    const records = receiver.records();
    const updates = records.filter(
      (d) => d.body.entity.name === "Callback Requested" || d.body.changes?.[0]?.after === "third line",
    );
    expect(updates.map((d) => d.body.changes.map((c: any) => c.field)).sort()).toEqual([["description"], ["name"]]);
    // Whatever reached the receiver before the kill came again under the same id: one record per change.
    expect(records).toHaveLength(13);
    expect(new Set(receiver.deliveries.map((d) => d.id)).size).toBe(13);
  }, 300_000);

  it("delivers nothing, and keeps nothing back, while the webhook is disabled", async () => {
    spec.enabled = false;
    spec.codes[2].args.description = "won big";
    const seen = receiver.deliveries.length;
    await up();
    spec.enabled = true;
    await up();
    expect(receiver.deliveries.length).toBe(seen);
  }, 240_000);

  it("keeps the webhook secret out of every state file, CLI output and event body", async () => {
    expect(project.allBackendText()).not.toContain(SECRET);
    expect(outputs.join("\n")).not.toContain(SECRET);
    for (const d of receiver.deliveries) expect(d.raw).not.toContain(SECRET);
  });
});
