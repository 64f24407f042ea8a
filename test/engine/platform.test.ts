import { EmulatorProcess, QUEUES, startEmulator } from "../support/emulator";
import { PulumiProject, changedInputs, stepsOf } from "../support/pulumi";

// WrapUpCode on the platform profile (the default: what a real organisation speaks), through the real Pulumi CLI
// against the emulator's platform profile. A code is a name, a description and a division on the platform; its
// queues are memberships of their own; everything else (code, category, tags…) lives in the stack. Request counts
// come from the emulator's own statistics.

const TYPE = "genesys:WrapUpCode";
const EUROPE = "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4d01";
const HOME = "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4d00";
const Q = [QUEUES.Support, QUEUES.Sales, QUEUES.Billing, QUEUES.Retention];

interface Spec {
  type: "WrapUpCode";
  name: string;
  args: Record<string, unknown>;
}

function code(name: string, args: Record<string, unknown>): Spec {
  return {
    type: "WrapUpCode",
    name,
    args: { code: name.toUpperCase().replace(/-/g, "_"), category: "support", ...args },
  };
}

/** 12 codes in the 4 seeded queues: on one, two or four queues, one on none, some with a division or description. */
function declared(): Spec[] {
  return [
    code("escalation", { name: "Escalation", queueIds: [Q[0]], description: "second line", divisionId: EUROPE }),
    code("callback", { name: "Callback Requested", queueIds: [Q[0], Q[1]], tags: ["followup:callback"] }),
    code("wrong-number", { name: "Wrong Number", queueIds: Q, category: "compliance" }),
    code("sale", { name: "Sale Closed", queueId: Q[1], category: "sales", mandatory: true }),
    code("lead", { name: "Lead Qualified", queueIds: [Q[1]], category: "sales" }),
    code("lost", { name: "Not Interested", queueIds: [Q[1], Q[3]], category: "sales" }),
    code("paid", { name: "Payment Arranged", queueIds: [Q[2]], divisionId: HOME }),
    code("refund", { name: "Refund Issued", queueIds: [Q[2]], description: "money back" }),
    code("saved", { name: "Retention Offer Accepted", queueIds: [Q[3]], category: "sales" }),
    code("churned", { name: "Customer Left", queueIds: [Q[3]], validFrom: "2026-01-01T00:00:00Z" }),
    code("resolved", { name: "Resolved First Contact", queueIds: [Q[0], Q[2]] }),
    code("unassigned", { name: "Not On Any Queue", queueIds: [] }),
  ];
}

const queuesOf = (spec: Spec): string[] =>
  (spec.args.queueIds as string[] | undefined) ?? (spec.args.queueId ? [spec.args.queueId as string] : []);

/** Every code of the organisation, by name (the emulator's own listing). */
async function orgCodes(em: EmulatorProcess): Promise<Map<string, any>> {
  const res = await em.api("GET", "/api/v2/routing/wrapupcodes?pageSize=500");
  expect(res.status).toBe(200);
  return new Map(res.body.entities.map((c: any) => [c.name, c]));
}

/** The ids of the codes on each queue. */
async function membership(em: EmulatorProcess): Promise<Map<string, Set<string>>> {
  const result = new Map<string, Set<string>>();
  for (const queueId of Q) {
    const res = await em.api("GET", `/api/v2/routing/queues/${queueId}/wrapupcodes?pageSize=500`);
    expect(res.status).toBe(200);
    result.set(queueId, new Set(res.body.entities.map((c: any) => c.id)));
  }
  return result;
}

/** Requests the emulator saw, by "METHOD route status", without the zero entries. */
async function requests(em: EmulatorProcess): Promise<Record<string, number>> {
  return Object.fromEntries(Object.entries((await em.stats()).byRoute).filter(([, n]) => n > 0));
}

/** The emulator agrees with the declaration: every code once, with its name, description, division and queues. */
async function expectOrganisationHolds(em: EmulatorProcess, specs: Spec[]): Promise<void> {
  const codes = await orgCodes(em);
  const members = await membership(em);
  expect([...codes.keys()].sort()).toEqual(specs.map((s) => s.args.name as string).sort());
  for (const spec of specs) {
    const stored = codes.get(spec.args.name as string);
    expect(stored.description || undefined).toBe(spec.args.description);
    expect(stored.division.id).toBe(spec.args.divisionId ?? HOME);
    const on = Q.filter((q) => members.get(q)!.has(stored.id));
    expect(on.sort()).toEqual(queuesOf(spec).sort());
  }
}

describe("WrapUpCode on the platform profile through the Pulumi CLI", () => {
  let em: EmulatorProcess;
  let project: PulumiProject;
  let specs: Spec[];

  const stateOf = (name: string) => project.stateResources().find((r) => r.urn.endsWith(`::${name}`))!;

  beforeAll(async () => {
    em = await startEmulator({ profile: "platform" });
    // No genesys:apiProfile: the platform profile is the default.
    project = await PulumiProject.create({
      config: { "genesys:apiUrl": em.url, "genesys:clientId": em.clientId },
      secrets: { "genesys:clientSecret": em.clientSecret },
    });
  }, 180_000);
  afterAll(async () => {
    await em?.stop();
    project?.cleanup();
  });

  it("fails a program that declares one name twice at preview, naming both resources, before any request", async () => {
    project.writeSpec([
      code("a", { name: "Same Name", queueIds: [Q[0]] }),
      code("b", { name: "SAME name", queueIds: [Q[1]] }),
    ]);
    await em.resetStats();
    const { json, result } = await project.preview();
    expect(result.code).not.toBe(0);
    expect((json.diagnostics ?? []).map((d) => d.message).join("\n")).toContain(
      'wrap-up code name "SAME name" is declared twice, by resources "a" and "b"; names are unique in the organisation',
    );
    expect((await em.stats()).total).toBe(0);
  }, 120_000);

  it("creates N codes on Q queues with at most 2N + Q + 2 requests, each with its name, description, division and exactly its queues", async () => {
    specs = declared();
    project.writeSpec(specs);
    await em.resetStats();
    // The token endpoint refuses the first request the way the platform does when rate limited (400
    // invalid_request "rate limit exceeded"): the provider waits and asks again.
    await em.faultNext({ route: "/oauth/token", kind: "token-rate-limit" });
    const { json, result } = await project.up();
    expect(result.code).toBe(0);
    expect(json.changeSummary).toEqual({ create: specs.length + 1 });
    const seen = await requests(em);
    const total = (await em.stats()).total;
    const N = specs.length;
    expect(total).toBeLessThanOrEqual(2 * N + Q.length + 2);
    expect(seen["POST /api/v2/routing/wrapupcodes 200"]).toBe(N);
    expect(seen["POST /oauth/token 200"]).toBe(1);
    // Nothing but creates and membership adds (the per-queue limit is not set: no counting).
    expect(Object.keys(seen).sort()).toEqual(
      [
        "POST /api/v2/routing/queues/{queueId}/wrapupcodes 200",
        "POST /api/v2/routing/wrapupcodes 200",
        "POST /oauth/token 200",
        "POST /oauth/token 400 fault",
      ].sort(),
    );
    await expectOrganisationHolds(em, specs);
    const escalation = stateOf("escalation");
    expect(escalation.outputs).toMatchObject({
      name: "Escalation",
      code: "ESCALATION",
      category: "support",
      queueIds: [Q[0]],
      queueId: Q[0],
      divisionId: EUROPE,
      createdBy: em.clientId,
      audit: { action: "create", clientId: em.clientId },
    });
    // The platform decides an undeclared division; the state reports it.
    expect(stateOf("lead").outputs).toMatchObject({ divisionId: HOME, queueIds: [Q[1]] });
  }, 240_000);

  it("makes no request and shows no change when nothing was edited", async () => {
    await em.resetStats();
    const preview = await project.preview();
    expect(preview.json.changeSummary).toEqual({ same: specs.length + 1 });
    const up = await project.up();
    expect(up.json.changeSummary).toEqual({ same: specs.length + 1 });
    expect((await em.stats()).total).toBe(0);
  }, 180_000);

  it("applies a description edit with one PUT", async () => {
    specs[7].args.description = "money back within 14 days";
    project.writeSpec(specs);
    const preview = await project.preview();
    const steps = stepsOf(preview.json, TYPE).filter((s) => s.op !== "same");
    expect(steps.map((s) => [s.op, s.urn.split("::").pop(), changedInputs(s)])).toEqual([
      ["update", "refund", ["description"]],
    ]);
    await em.resetStats();
    expect((await project.up()).json.changeSummary).toEqual({ same: specs.length, update: 1 });
    expect(await requests(em)).toEqual({
      "POST /oauth/token 200": 1,
      "PUT /api/v2/routing/wrapupcodes/{codeId} 200": 1,
    });
    expect((await orgCodes(em)).get("Refund Issued").description).toBe("money back within 14 days");
  }, 180_000);

  it("moves a code to another queue with membership calls only, keeping its id", async () => {
    const before = (await orgCodes(em)).get("Sale Closed").id;
    delete specs[3].args.queueId;
    specs[3].args.queueIds = [Q[2]];
    project.writeSpec(specs);
    const preview = await project.preview();
    const step = stepsOf(preview.json, TYPE).find((s) => s.urn.endsWith("::sale"))!;
    expect(step.op).toBe("update");
    await em.resetStats();
    expect((await project.up()).json.changeSummary).toEqual({ same: specs.length, update: 1 });
    expect(await requests(em)).toEqual({
      "POST /oauth/token 200": 1,
      "POST /api/v2/routing/queues/{queueId}/wrapupcodes 200": 1,
      "DELETE /api/v2/routing/queues/{queueId}/wrapupcodes/{codeId} 200": 1,
    });
    expect((await orgCodes(em)).get("Sale Closed").id).toBe(before);
    expect(stateOf("sale").id).toBe(before);
    await expectOrganisationHolds(em, specs);
  }, 180_000);

  it("applies a category or tags edit with no request at all, and records it in the state", async () => {
    specs[0].args.category = "compliance";
    specs[1].args.tags = ["followup:callback", "team:b"];
    specs[2].args.code = "WRONG_NO";
    project.writeSpec(specs);
    const preview = await project.preview();
    const changed = stepsOf(preview.json, TYPE)
      .filter((s) => s.op !== "same")
      .map((s) => [s.op, s.urn.split("::").pop()])
      .sort((a, b) => (a[1]! < b[1]! ? -1 : 1));
    // A new short code is an update here, not a replace: the platform has no such field.
    expect(changed).toEqual([
      ["update", "callback"],
      ["update", "escalation"],
      ["update", "wrong-number"],
    ]);
    await em.resetStats();
    expect((await project.up()).json.changeSummary).toEqual({ same: specs.length - 2, update: 3 });
    expect((await em.stats()).total).toBe(0);
    expect(stateOf("escalation").outputs).toMatchObject({ category: "compliance" });
    expect(stateOf("callback").outputs!.reportingTags).toEqual([
      "cat:support",
      "sub:resolved",
      "sub:escalation",
      "sub:callback",
      "followup:callback",
      "team:b",
    ]);
    expect(stateOf("wrong-number").outputs).toMatchObject({ code: "WRONG_NO" });
  }, 180_000);

  it("fails a create whose name the organisation already holds (400 duplicate.name and 409 alike), then adopts it", async () => {
    const existing = await em.api("POST", "/api/v2/routing/wrapupcodes", { name: "Made By Hand" });
    expect(existing.status).toBe(200);
    const hand = code("hand", { name: "made by hand", queueIds: [Q[0]] });
    project.writeSpec([...specs, hand]);
    for (const duplicateNameStatus of [400, 409]) {
      await em.config({ duplicateNameStatus });
      const failed = await project.up();
      expect(failed.result.code).not.toBe(0);
      const message = (failed.json.diagnostics ?? []).map((d) => d.message).join("\n");
      expect(message).toContain(
        `wrap-up code "made by hand" already exists in the organisation (names are unique there) as code ${existing.body.id}`,
      );
      expect(message).toContain(duplicateNameStatus === 400 ? "400 duplicate.name" : "409 general.conflict");
      expect(message).toContain('set onConflict: "adopt"');
    }
    await em.config({ duplicateNameStatus: 400 });

    hand.args.onConflict = "adopt";
    project.writeSpec([...specs, hand]);
    const adopted = await project.up();
    expect(adopted.result.code).toBe(0);
    const codes = await orgCodes(em);
    expect(codes.has("Made By Hand")).toBe(false);
    expect(codes.get("made by hand").id).toBe(existing.body.id);
    expect(stateOf("hand")).toMatchObject({ id: existing.body.id, outputs: { audit: { action: "adopt" } } });
    expect((await membership(em)).get(Q[0])!.has(existing.body.id)).toBe(true);
    project.writeSpec(specs);
    await project.up();
    expect((await orgCodes(em)).has("made by hand")).toBe(false);
  }, 300_000);

  it("reports an out-of-band rename and a removal from a queue at refresh, and puts both back at up", async () => {
    const callback = (await orgCodes(em)).get("Callback Requested");
    expect((await em.api("PUT", `/api/v2/routing/wrapupcodes/${callback.id}`, { name: "Call Me Back" })).status).toBe(
      200,
    );
    expect((await em.api("DELETE", `/api/v2/routing/queues/${Q[1]}/wrapupcodes/${callback.id}`)).status).toBe(200);

    const refresh = await project.refresh();
    expect(refresh.result.code).toBe(0);
    expect(refresh.json.changeSummary).toMatchObject({ update: 1 });
    const step = stepsOf(refresh.json, TYPE).find((s) => s.urn.endsWith("::callback"))!;
    expect(step.newState!.outputs).toMatchObject({ name: "Call Me Back", queueIds: [Q[0]] });

    const preview = await project.preview();
    const drifted = stepsOf(preview.json, TYPE).find((s) => s.urn.endsWith("::callback"))!;
    expect(drifted.op).toBe("update");
    await em.resetStats();
    expect((await project.up()).result.code).toBe(0);
    expect(await requests(em)).toEqual({
      "POST /oauth/token 200": 1,
      "PUT /api/v2/routing/wrapupcodes/{codeId} 200": 1,
      "POST /api/v2/routing/queues/{queueId}/wrapupcodes 200": 1,
    });
    await expectOrganisationHolds(em, specs);
  }, 240_000);

  it("destroys every code, and with them every membership", async () => {
    const destroy = await project.destroy();
    expect(destroy.result.code).toBe(0);
    expect((await orgCodes(em)).size).toBe(0);
    for (const members of (await membership(em)).values()) expect(members.size).toBe(0);
  }, 180_000);

  it("stops a create over the stack's per-queue limit before any write, and names the platform's own limit", async () => {
    const three = [0, 1, 2].map((i) => code(`full-${i}`, { name: `Full ${i}`, queueIds: [Q[0]] }));
    await project.mustRun(["config", "set", "genesys:queueCodeLimit", "2"]);
    project.writeSpec(three);
    await em.resetStats();
    const stopped = await project.up();
    expect(stopped.result.code).not.toBe(0);
    expect((stopped.json.diagnostics ?? []).map((d) => d.message).join("\n")).toMatch(
      new RegExp(`queue ${Q[0]} already holds 2 codes; the limit is 2 per queue \\(genesys:queueCodeLimit\\)`),
    );
    // One count of the queue, then two creates: the third was never sent.
    const seen = await requests(em);
    expect(seen["GET /api/v2/routing/queues/{queueId}/wrapupcodes 200"]).toBe(1);
    expect(seen["POST /api/v2/routing/wrapupcodes 200"]).toBe(2);

    // Without the stack's limit the platform's own refuses the queue add, and says which limit it is.
    await project.mustRun(["config", "rm", "genesys:queueCodeLimit"]);
    await em.config({ queueCodeLimit: 2 });
    const refused = await project.up();
    expect(refused.result.code).not.toBe(0);
    expect((refused.json.diagnostics ?? []).map((d) => d.message).join("\n")).toContain("400 limit.exceeded");
    expect((refused.json.diagnostics ?? []).map((d) => d.message).join("\n")).toContain(
      "a platform limit (routing/max.wrapup.codes.per.queue = 2) was reached",
    );
    // Once the limit allows it, the code the refused run made is taken over: no duplicate.
    await em.config({ queueCodeLimit: 10 });
    expect((await project.up()).result.code).toBe(0);
    const names = [...(await orgCodes(em)).keys()].sort();
    expect(names).toEqual(["Full 0", "Full 1", "Full 2"]);
    expect((await membership(em)).get(Q[0])!.size).toBe(3);
    expect((await project.destroy()).result.code).toBe(0);
  }, 300_000);
});
