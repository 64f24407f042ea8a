import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { EmulatorProcess, QUEUES, startEmulator } from "../support/emulator";
import { PulumiProject, changedInputs, stepsOf } from "../support/pulumi";

// The WrapUpCode lifecycle through the real Pulumi CLI against the emulator: preview-time validation, create,
// exact in-place updates, replacement, drift via refresh, no-op runs and destroy, with request counts taken
// from the emulator's own statistics.

const TYPE = "genesys:WrapUpCode";

function code(name: string, args: Record<string, unknown>) {
  return { type: "WrapUpCode", name, args };
}

const base = [
  code("escalation", { name: "Technical Escalation", code: "ESC_TECH", category: "support", queueId: QUEUES.Support }),
  code("callback", {
    name: "Callback Requested",
    code: "CB",
    category: "support",
    queueId: QUEUES.Support,
    tags: ["priority:high"],
  }),
  code("sale", { name: "Sale Closed", code: "SALE", category: "sales", queueId: QUEUES.Sales, mandatory: true }),
];

/** Requests the emulator saw, by "METHOD route status", without the zero entries. */
async function requests(em: EmulatorProcess): Promise<Record<string, number>> {
  const stats = await em.stats();
  return Object.fromEntries(Object.entries(stats.byRoute).filter(([, n]) => n > 0));
}

async function codesInQueue(em: EmulatorProcess, queueId: string): Promise<any[]> {
  const res = await em.api("GET", `/api/v2/routing/wrapupcodes?routingQueueId=${queueId}&pageSize=500`);
  return res.body.entities;
}

describe("WrapUpCode through the Pulumi CLI", () => {
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

  it("fails a bad stack at preview, one message per broken field, before any request", async () => {
    project.writeSpec([
      code("bad", {
        name: "Bad/Name",
        code: "x".repeat(129),
        category: "nope",
        queueId: "123",
        validFrom: "2026-03-01T00:00:00Z",
        validThrough: "2026-02-01T00:00:00Z",
      }),
    ]);
    await em.resetStats();
    const { json, result } = await project.preview();
    expect(result.code).not.toBe(0);
    const output = (json.diagnostics ?? []).map((d) => d.message).join("\n");
    const problems = output.match(/has a problem: .*/g) ?? [];
    expect(new Set(problems).size).toBe(5);
    for (const message of [
      "name: may contain only letters, digits, spaces, '_' and '-'",
      "code: must be at most 128 characters",
      'category: "nope" is not a disposition category',
      "queueId: must be a UUID",
      "validThrough: must be later than validFrom",
    ]) {
      expect(output).toContain(message);
    }
    expect((await em.stats()).total).toBe(0);
  }, 120_000);

  it("creates the declared codes with one count per queue and one token", async () => {
    project.writeSpec(base);
    await em.resetStats();
    const { json, result } = await project.up();
    expect(result.code).toBe(0);
    expect(json.changeSummary).toEqual({ create: 4 });
    expect(await requests(em)).toEqual({
      "POST /oauth/token 200": 1,
      "GET /api/v2/routing/queues/{queueId}/wrapupcodes 200": 2,
      "POST /api/v2/routing/wrapupcodes 200": 3,
    });
    const support = await codesInQueue(em, QUEUES.Support);
    expect(support.map((c) => c.codeName).sort()).toEqual(["Callback Requested", "Technical Escalation"]);
    const callback = support.find((c) => c.code === "CB");
    expect(callback.reportingTags).toEqual([
      "cat:support",
      "sub:resolved",
      "sub:escalation",
      "sub:callback",
      "priority:high",
    ]);
    const state = project.stateResources().find((r) => r.urn.endsWith("::callback"))!;
    expect(state.outputs).toMatchObject({
      codeId: callback.id,
      createdBy: em.clientId,
      audit: { action: "create", clientId: em.clientId, attempts: 1 },
    });
    expect((state.outputs!.audit as { contextId: string }).contextId).toMatch(/^[0-9a-f-]{36}$/);
  }, 180_000);

  it("makes no request and shows no change when nothing was edited", async () => {
    await em.resetStats();
    const preview = await project.preview();
    expect(preview.json.changeSummary).toEqual({ same: 4 });
    const up = await project.up();
    expect(up.result.code).toBe(0);
    expect(up.json.changeSummary).toEqual({ same: 4 });
    expect((await em.stats()).total).toBe(0);
  }, 180_000);

  it("shows and applies an edit of mandatory as an update of that field only", async () => {
    const edited = structuredClone(base);
    edited[0].args.mandatory = true;
    project.writeSpec(edited);
    const preview = await project.preview();
    const steps = stepsOf(preview.json, TYPE).filter((s) => s.op !== "same");
    expect(steps.map((s) => [s.op, s.urn.split("::").pop()])).toEqual([["update", "escalation"]]);
    expect(changedInputs(steps[0])).toEqual(["mandatory"]);

    await em.resetStats();
    const up = await project.up();
    expect(up.json.changeSummary).toEqual({ same: 3, update: 1 });
    expect(await requests(em)).toEqual({
      "POST /oauth/token 200": 1,
      "PUT /api/v2/routing/wrapupcodes/{codeId} 200": 1,
    });
    const escalation = (await codesInQueue(em, QUEUES.Support)).find((c) => c.code === "ESC_TECH");
    expect(escalation.mandatoryField).toBe(true);
    expect(escalation.codeName).toBe("Technical Escalation");
    base[0].args.mandatory = true;
  }, 180_000);

  it("shows an edit of code as a replace and applies it", async () => {
    const edited = structuredClone(base);
    edited[1].args.code = "CB2";
    project.writeSpec(edited);
    const preview = await project.preview();
    const ops = stepsOf(preview.json, TYPE)
      .filter((s) => s.op !== "same")
      .map((s) => s.op);
    expect(ops).toContain("replace");
    const before = (await codesInQueue(em, QUEUES.Support)).find((c) => c.code === "CB");

    const up = await project.up();
    expect(up.result.code).toBe(0);
    expect(up.json.changeSummary).toEqual({ same: 3, replace: 1 });
    const support = await codesInQueue(em, QUEUES.Support);
    expect(support.filter((c) => c.codeName === "Callback Requested").map((c) => c.code)).toEqual(["CB2"]);
    expect(support.some((c) => c.id === before.id)).toBe(false);
    base[1].args.code = "CB2";
  }, 180_000);

  it("reports a change made outside Pulumi at refresh, and brings it back at up", async () => {
    const sale = (await codesInQueue(em, QUEUES.Sales)).find((c) => c.code === "SALE");
    const changed = await em.api("PUT", `/api/v2/routing/wrapupcodes/${sale.id}`, {
      ...sale,
      mandatoryField: false,
      description: "edited in the admin UI",
    });
    expect(changed.status).toBe(200);

    const refresh = await project.refresh();
    expect(refresh.result.code).toBe(0);
    const updated = stepsOf(refresh.json, TYPE).filter((s) => s.op === "update" || s.op === "refresh");
    const saleStep = updated.find((s) => s.urn.endsWith("::sale"));
    expect(saleStep).toBeDefined();
    expect(saleStep!.newState!.outputs).toMatchObject({ mandatory: false, description: "edited in the admin UI" });
    expect(refresh.json.changeSummary).toMatchObject({ update: 1 });

    const preview = await project.preview();
    const step = stepsOf(preview.json, TYPE).find((s) => s.urn.endsWith("::sale"))!;
    expect(step.op).toBe("update");
    await project.up();
    const restored = (await codesInQueue(em, QUEUES.Sales)).find((c) => c.code === "SALE");
    expect(restored).toMatchObject({ mandatoryField: true, description: null });
  }, 180_000);

  it("drops a code deleted outside Pulumi at refresh and creates it again at up", async () => {
    const sale = (await codesInQueue(em, QUEUES.Sales)).find((c) => c.code === "SALE");
    expect((await em.api("DELETE", `/api/v2/routing/wrapupcodes/${sale.id}`)).status).toBe(204);
    const refresh = await project.refresh();
    expect(refresh.result.code).toBe(0);
    expect(project.stateResources().some((r) => r.urn.endsWith("::sale"))).toBe(false);
    const up = await project.up();
    expect(up.json.changeSummary).toEqual({ same: 3, create: 1 });
    expect((await codesInQueue(em, QUEUES.Sales)).map((c) => c.code)).toEqual(["SALE"]);
  }, 180_000);

  it("fails a create that collides with an existing code, naming it and suggesting adoption", async () => {
    const existing = await em.api("POST", "/api/v2/routing/wrapupcodes", {
      codeName: "Made By Hand",
      code: "HAND",
      codeCategoryName: "support",
      routingQueue: { id: QUEUES.Support },
      mandatoryField: false,
      reportingTags: [],
    });
    expect(existing.status).toBe(200);
    const declared = code("hand", { name: "made by hand", code: "HAND", category: "support", queueId: QUEUES.Support });
    project.writeSpec([...base, declared]);
    const failed = await project.up();
    expect(failed.result.code).not.toBe(0);
    const message = (failed.json.diagnostics ?? []).map((d) => d.message).join("\n");
    expect(message).toContain(`already exists in queue ${QUEUES.Support} as code ${existing.body.id}`);
    expect(message).toContain('onConflict: "adopt"');

    project.writeSpec([...base, { ...declared, args: { ...declared.args, onConflict: "adopt", mandatory: true } }]);
    const adopted = await project.up();
    expect(adopted.result.code).toBe(0);
    const hand = (await codesInQueue(em, QUEUES.Support)).filter((c) => c.code === "HAND");
    expect(hand).toHaveLength(1);
    expect(hand[0]).toMatchObject({ id: existing.body.id, codeName: "made by hand", mandatoryField: true });
    const state = project.stateResources().find((r) => r.urn.endsWith("::hand"))!;
    expect(state.id).toBe(existing.body.id);
    expect(state.outputs).toMatchObject({ audit: { action: "adopt" } });
    project.writeSpec(base);
    await project.up();
    expect((await codesInQueue(em, QUEUES.Support)).filter((c) => c.code === "HAND")).toEqual([]);
  }, 240_000);

  it("keeps no secret or token in state, and under 4 KB per code", async () => {
    const text = project.allBackendText();
    expect(text).not.toContain(em.clientSecret);
    // Every issued token is stored by the emulator as a sha256; no token-shaped string in state may match one.
    const journal = fs
      .readdirSync(em.dataDir)
      .map((f) => path.join(em.dataDir, f))
      .filter((f) => fs.statSync(f).isFile())
      .map((f) => fs.readFileSync(f, "utf8"))
      .join("\n");
    const candidates = new Set(text.match(/[A-Za-z0-9_-]{43}/g) ?? []);
    for (const candidate of candidates) {
      expect(journal).not.toContain(createHash("sha256").update(candidate).digest("hex"));
    }
    const codes = project.stateResources().filter((r) => r.type.endsWith(TYPE));
    expect(codes).toHaveLength(3);
    for (const r of codes) expect(Buffer.byteLength(JSON.stringify(r))).toBeLessThan(4096);
  }, 60_000);

  it("destroys every code", async () => {
    const destroy = await project.destroy();
    expect(destroy.result.code).toBe(0);
    expect(await codesInQueue(em, QUEUES.Support)).toEqual([]);
    expect(await codesInQueue(em, QUEUES.Sales)).toEqual([]);
  }, 180_000);
});
