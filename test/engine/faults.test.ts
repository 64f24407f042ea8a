import {
  CodeSpec,
  OTHER_CLIENT,
  census,
  codeProject,
  codeSpecs,
  emulatorCodes,
  pendingOperations,
  removeEmptyBackendAttrs,
  requestCounts,
  spawnPulumi,
  startBenchEmulator,
  stateCodes,
  waitFor,
} from "../../bench/lib";
import type { EmulatorProcess } from "../support/emulator";
import { PulumiProject, stepsOf } from "../support/pulumi";

// The small versions of the fault benchmarks (bench/faults.ts runs them with 1000 codes): a hostile API, tokens
// that expire during the run, a `pulumi up` killed halfway, the API restarted mid-run. Each ends by counting the
// codes in the emulator: every declared code exactly once, nothing else.

const TYPE = "genesys:WrapUpCode";
const N = 48;
const QUEUES = 4;

const POSTS = "POST /api/v2/routing/wrapupcodes 200";

/** One emulator and one project per scenario, stopped and removed afterwards. */
async function scenario(config: Record<string, unknown>): Promise<{
  em: EmulatorProcess;
  project: PulumiProject;
  specs: CodeSpec[];
  done: () => Promise<void>;
}> {
  const { em, queueIds } = await startBenchEmulator(config, QUEUES);
  const project = await codeProject(em).catch(async (e) => {
    await em.stop();
    throw e;
  });
  const specs = codeSpecs(N, queueIds);
  project.writeSpec(specs);
  return {
    em,
    project,
    specs,
    done: async () => {
      await em.stop();
      project.cleanup();
    },
  };
}

/** The codes the emulator holds compared with the declared ones: exactly once each, nothing missing or extra. */
async function expectExactlyDeclared(em: EmulatorProcess, specs: CodeSpec[]): Promise<void> {
  expect(await census(em, specs)).toEqual({ exactlyOnce: specs.length, missing: [], duplicated: [], extra: [] });
}

const ops = (json: { steps: { op: string; urn: string }[] }) =>
  stepsOf(json as never, TYPE)
    .map((s) => s.op)
    .filter((op) => op !== "same");

describe("WrapUpCode under a hostile API", () => {
  jest.setTimeout(180_000);

  it("10% 503, 5% 429, 1% resets on every call: each code is created exactly once and refresh finds no drift", async () => {
    const { em, project, specs, done } = await scenario({
      faults: { status503: 0.1, status429: 0.05, connectionReset: 0.01 },
    });
    try {
      const up = await project.up();
      expect(up.result.code).toBe(0);
      expect(up.json.changeSummary).toEqual({ create: N + 1 });
      const counts = await requestCounts(em);
      expect(counts.faults).toBeGreaterThan(0);
      await expectExactlyDeclared(em, specs);
      expect(stateCodes(project)).toHaveLength(N);

      const refresh = await project.refresh();
      expect(refresh.result.code).toBe(0);
      expect(ops(refresh.json)).toEqual([]);
      const preview = await project.preview(["--expect-no-changes"]);
      expect(preview.result.code).toBe(0);
    } finally {
      await done();
    }
  });

  it("refresh reads each queue's listing once, and a code deleted outside Pulumi still leaves the state", async () => {
    const { em, project, specs, done } = await scenario({});
    try {
      expect((await project.up()).result.code).toBe(0);
      const gone = (await emulatorCodes(em)).find((c) => c.codeName === specs[5].args.name);
      expect((await em.api("DELETE", `/api/v2/routing/wrapupcodes/${gone.id}`)).status).toBe(204);

      await em.resetStats();
      const refresh = await project.refresh(["--skip-preview"]);
      expect(refresh.result.code).toBe(0);
      // One token, one listing page per queue (12 codes each), one GET for the code its queue no longer lists.
      // (Without --skip-preview, refresh reads everything twice: once for its preview, once to apply.)
      expect((await em.stats()).byRoute).toEqual({
        "POST /oauth/token 200": 1,
        "GET /api/v2/routing/wrapupcodes 200": QUEUES,
        "GET /api/v2/routing/wrapupcodes/{codeId} 404": 1,
      });
      expect(stateCodes(project).map((r) => r.urn.split("::").pop())).not.toContain(specs[5].name);
      expect(stateCodes(project)).toHaveLength(N - 1);

      const up = await project.up();
      expect(up.json.changeSummary).toEqual({ same: N, create: 1 });
      await expectExactlyDeclared(em, specs);
    } finally {
      await done();
    }
  });

  it("tokens that live 2 s during a run several times longer: no failure, no 401, refreshed ahead of expiry", async () => {
    const { em, project, specs, done } = await scenario({ tokenLifetimeSeconds: 2, latencyMs: 400 });
    try {
      const started = Date.now();
      const up = await project.up(["--parallel", "2"]);
      const seconds = (Date.now() - started) / 1000;
      expect(up.result.code).toBe(0);
      expect(seconds).toBeGreaterThan(8);
      const counts = await requestCounts(em);
      expect(counts.unauthorized).toBe(0);
      // A new token about every second (half a token's life), never one per call.
      expect(counts.token).toBeGreaterThanOrEqual(3);
      expect(counts.token).toBeLessThanOrEqual(Math.ceil(seconds) + 2);
      expect(counts.token).toBeLessThan(N / 2);
      await expectExactlyDeclared(em, specs);
    } finally {
      await done();
    }
  });

  it("pulumi up killed halfway: after cancel and refresh --clear-pending-creates, the next up converges", async () => {
    const { em, project, specs, done } = await scenario({ latencyMs: 300 });
    try {
      const killed = spawnPulumi(project, ["up", "--yes", "--skip-preview"]);
      await waitFor(async () => ((await em.stats()).byRoute[POSTS] ?? 0) >= N / 2, 120_000);
      killed.kill();
      expect((await killed.done).signal).toBe("SIGKILL");
      removeEmptyBackendAttrs(project);

      // The killed run left its lock, and creates in flight that the state records only as pending; the POSTs
      // of some of them landed (the server finishes a request whose client is gone).
      expect(pendingOperations(project).filter((op) => op.type === "creating").length).toBeGreaterThan(0);
      const locked = await project.run(["up", "--yes"]);
      expect(locked.code).not.toBe(0);
      expect(locked.stderr).toContain("the stack is currently locked");

      // The procedure of docs/operations.md.
      expect((await project.run(["cancel", "--yes"])).code).toBe(0);
      const refresh = await project.refresh(["--clear-pending-creates"]);
      expect(refresh.result.code).toBe(0);
      expect(pendingOperations(project)).toEqual([]);
      const recorded = stateCodes(project).length;
      const made = (await emulatorCodes(em)).length;
      expect(made).toBeGreaterThan(recorded);
      const up = await project.up();
      expect(up.result.code).toBe(0);

      await expectExactlyDeclared(em, specs);
      const codes = stateCodes(project);
      expect(codes).toHaveLength(N);
      expect(pendingOperations(project)).toEqual([]);
      // The codes the killed run made but never recorded were taken over, not created again.
      const takenOver = codes.filter((r) => (r.outputs?.audit as { action?: string })?.action === "adopt");
      expect(takenOver).toHaveLength(made - recorded);
      expect((await project.preview(["--expect-no-changes"])).result.code).toBe(0);
    } finally {
      await done();
    }
  });

  it("a code of the same name made by someone else, or made by us with other values, still fails the create", async () => {
    const { em, project, specs, done } = await scenario({});
    try {
      const [byOther, changedByUs] = [specs[0], specs[1]];
      const derived: Record<string, string[]> = {
        sales: ["cat:sales", "sub:conversion", "sub:lead", "sub:follow_up"],
        support: ["cat:support", "sub:resolved", "sub:escalation", "sub:callback"],
      };
      // Exactly what the stack declares for the code, derived reporting tags included.
      const payload = (s: CodeSpec) => ({
        codeName: s.args.name,
        code: s.args.code,
        codeCategoryName: s.args.category,
        routingQueue: { id: s.args.queueId },
        mandatoryField: s.args.mandatory ?? false,
        reportingTags: [...derived[s.args.category], ...(s.args.tags ?? [])],
      });
      // Identical to the declaration, but created by another client.
      const otherToken = await em.token(OTHER_CLIENT.clientId, OTHER_CLIENT.clientSecret);
      const other = await em.api("POST", "/api/v2/routing/wrapupcodes", payload(byOther), { token: otherToken });
      expect(other.status).toBe(200);
      // Created by the provider's own client, but with another `code` than declared.
      const ours = await em.api("POST", "/api/v2/routing/wrapupcodes", { ...payload(changedByUs), code: "OTHER" });
      expect(ours.status).toBe(200);

      const up = await project.up(["--continue-on-error"]);
      expect(up.result.code).not.toBe(0);
      expect(stateCodes(project)).toHaveLength(N - 2);
      const message = (up.json.diagnostics ?? []).map((d) => d.message).join("\n");
      expect(message).toContain(`"${byOther.args.name}" already exists in queue ${byOther.args.queueId}`);
      expect(message).toContain(`"${changedByUs.args.name}" already exists in queue ${changedByUs.args.queueId}`);
      const codes = await emulatorCodes(em);
      expect(codes.find((c) => c.id === other.body.id)).toMatchObject({ createdBy: OTHER_CLIENT.clientId });
      expect(codes.find((c) => c.id === ours.body.id)).toMatchObject({ code: "OTHER" });
    } finally {
      await done();
    }
  });

  it("the API restarted mid-run: the run completes or fails cleanly, and the next up converges", async () => {
    const { em, project, specs, done } = await scenario({ latencyMs: 200 });
    try {
      const run = spawnPulumi(project, ["up", "--yes", "--skip-preview"]);
      await waitFor(async () => ((await em.stats()).byRoute[POSTS] ?? 0) >= N / 3, 120_000);
      await em.restart();
      const first = await run.done;
      if (first.code !== 0) {
        // A clean failure names what failed; it does not crash the engine or the provider host.
        expect(first.stdout).toMatch(/error: /);
        expect(first.stdout + first.stderr).not.toMatch(/panic|Unhandled|unexpected end of JSON/i);
      }
      const up = await project.up();
      expect(up.result.code).toBe(0);
      await expectExactlyDeclared(em, specs);
      expect(stateCodes(project)).toHaveLength(N);
      expect((await project.preview(["--expect-no-changes"])).result.code).toBe(0);
    } finally {
      await done();
    }
  });
});
