import { EmulatorProcess, QUEUES, startEmulator } from "../support/emulator";
import { PulumiProject, stepsOf } from "../support/pulumi";

// The platform profile under the platform's own limits, through the real Pulumi CLI: a 300-per-minute budget that
// announces itself only with 429 + Retry-After (no inin-ratelimit-* headers), and reads that lag behind writes.
// Each scenario ends with a census: every declared code exactly once, on exactly its queues, and the state agrees.

const TYPE = "genesys:WrapUpCode";
const Q: string[] = [QUEUES.Support, QUEUES.Sales, QUEUES.Billing, QUEUES.Retention];

interface Spec {
  type: "WrapUpCode";
  name: string;
  args: { name: string; code: string; category: string; queueIds: string[]; description?: string };
}

/** `n` codes spread over the queues; every fifth on two queues. */
function specs(n: number, prefix: string): Spec[] {
  return Array.from({ length: n }, (_, i) => ({
    type: "WrapUpCode" as const,
    name: `${prefix}-${i}`,
    args: {
      name: `${prefix} code ${i}`,
      code: `C${i}`,
      category: "support",
      queueIds: i % 5 === 0 ? [Q[i % 4], Q[(i + 1) % 4]] : [Q[i % 4]],
    },
  }));
}

/**
 * Every declared code once, nothing else, each on exactly its queues; and the state holds the same ids. The census
 * reads the organisation as it is (without the read lag the scenario gives the provider), then puts the lag back.
 */
async function expectExactly(em: EmulatorProcess, project: PulumiProject, declared: Spec[]): Promise<void> {
  const { consistencyLagMs } = (await em.config()) as unknown as { consistencyLagMs: number };
  await em.config({ consistencyLagMs: 0 });
  await census(em, project, declared);
  await em.config({ consistencyLagMs });
}

async function census(em: EmulatorProcess, project: PulumiProject, declared: Spec[]): Promise<void> {
  const listed = await em.api("GET", "/api/v2/routing/wrapupcodes?pageSize=500");
  const names = listed.body.entities.map((c: any) => c.name);
  expect(names.length).toBe(declared.length);
  expect(new Set(names).size).toBe(names.length);
  expect([...names].sort()).toEqual(declared.map((s) => s.args.name).sort());
  const byName = new Map<string, string>(listed.body.entities.map((c: any) => [c.name, c.id]));
  const members = new Map<string, Set<string>>();
  for (const q of Q) {
    const res = await em.api("GET", `/api/v2/routing/queues/${q}/wrapupcodes?pageSize=500`);
    members.set(q, new Set(res.body.entities.map((c: any) => c.id)));
  }
  const state = new Map(
    project
      .stateResources()
      .filter((r) => r.type.endsWith(TYPE))
      .map((r) => [r.urn.split("::").pop(), r]),
  );
  expect(state.size).toBe(declared.length);
  for (const spec of declared) {
    const id = byName.get(spec.args.name)!;
    expect(Q.filter((q) => members.get(q)!.has(id)).sort()).toEqual([...spec.args.queueIds].sort());
    const resource = state.get(spec.name)!;
    expect(resource.id).toBe(id);
    expect(resource.outputs!.name).toBe(spec.args.name);
    expect(resource.outputs!.description).toBe(spec.args.description);
    expect([...(resource.outputs!.queueIds as string[])].sort()).toEqual([...spec.args.queueIds].sort());
  }
}

/** The run succeeded; its error diagnostics are shown when it did not. */
function succeeded(run: { json: { diagnostics?: { message: string; severity: string }[] }; result: { code: number } }) {
  const errors = (run.json.diagnostics ?? []).filter((d) => d.severity === "error").map((d) => d.message);
  expect({ code: run.result.code, errors }).toEqual({ code: 0, errors: [] });
}

async function newProject(em: EmulatorProcess): Promise<PulumiProject> {
  return PulumiProject.create({
    config: { "genesys:apiUrl": em.url, "genesys:clientId": em.clientId },
    secrets: { "genesys:clientSecret": em.clientSecret },
  });
}

describe("the platform profile under the platform's limits", () => {
  let em: EmulatorProcess | undefined;
  let project: PulumiProject | undefined;
  afterEach(async () => {
    await em?.stop();
    project?.cleanup();
    em = undefined;
    project = undefined;
  });

  it("creates 320 codes with --parallel 32 against 300 requests per minute announced only by 429s: no failure, no duplicate, no storm", async () => {
    em = await startEmulator({ profile: "platform", config: { requestsPerMinute: 300 } });
    project = await newProject(em);
    const declared = specs(320, "rl");
    project.writeSpec(declared);
    const up = await project.up(["--parallel", "32"]);
    expect(up.result.code).toBe(0);
    expect(up.json.changeSummary).toEqual({ create: declared.length + 1 });
    const { byRoute } = await em.stats();
    const refused = Object.entries(byRoute)
      .filter(([key]) => / 429$/.test(key))
      .reduce((n, [, count]) => n + count, 0);
    // More requests than one window allows, so the budget was met …
    expect(Object.values(byRoute).reduce((a, b) => a + b, 0) - refused).toBeGreaterThan(300);
    expect(refused).toBeGreaterThan(0);
    // … and only the requests in flight when the window closed were refused: every other caller waited.
    expect(refused).toBeLessThanOrEqual(16);
    await em.config({ requestsPerMinute: 1_000_000 });
    await expectExactly(em, project, declared);
  }, 600_000);

  it("survives reads that lag 2 s behind writes: no failure, no duplicate, an exact state", async () => {
    em = await startEmulator({ profile: "platform", config: { consistencyLagMs: 2000 } });
    project = await newProject(em);
    const declared = specs(30, "lag");
    project.writeSpec(declared);
    // Three creates lose their answer after the platform made the code: the provider looks the name up at once,
    // and the lagging listing does not show the code yet.
    await em.faultNext({ method: "POST", route: "/api/v2/routing/wrapupcodes", kind: "reset-after", count: 3 });
    succeeded(await project.up());
    await expectExactly(em, project, declared);

    // Reads straight after the creates (a lag long enough to cover the CLI's start): absence is not drift.
    await em.config({ consistencyLagMs: 15_000 });
    const [fresh] = specs(1, "fresh");
    project.writeSpec([...declared, fresh]);
    succeeded(await project.up());
    await em.resetStats();
    const refresh = await project.refresh();
    expect(refresh.result.code).toBe(0);
    expect(refresh.json.changeSummary).toEqual({ same: declared.length + 2 });
    // The lag was met: the new code was missing from the platform's answers at first.
    expect((await em.stats()).byRoute["GET /api/v2/routing/wrapupcodes/{codeId} 404"]).toBeGreaterThan(0);
    await expectExactly(em, project, [...declared, fresh]);
    await em.config({ consistencyLagMs: 2000 });

    for (const spec of declared.slice(0, 5)) spec.args.description = "edited";
    for (const spec of declared.slice(5, 10)) spec.args.queueIds = [Q[(Q.indexOf(spec.args.queueIds[0]) + 2) % 4]];
    project.writeSpec(declared);
    const edit = await project.up(["--refresh"]);
    expect(edit.result.code).toBe(0);
    expect(stepsOf(edit.json, TYPE).filter((s) => s.op === "update")).toHaveLength(10);
    await expectExactly(em, project, declared);

    // Deleted codes still show for a while; creating the same names at once must still give one code each.
    expect((await project.destroy()).result.code).toBe(0);
    succeeded(await project.up());
    await expectExactly(em, project, declared);
    expect((await project.preview()).json.changeSummary).toEqual({ same: declared.length + 1 });
  }, 600_000);
});
