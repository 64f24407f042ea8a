import * as fs from "node:fs";
import * as path from "node:path";
import {
  CodeSpec,
  census,
  codeProject,
  codeSpecs,
  emulatorCodes,
  spawnPulumi,
  startBenchEmulator,
  waitFor,
} from "../../bench/lib";
import type { EmulatorProcess } from "../support/emulator";
import type { PulumiProject } from "../support/pulumi";
import { StateDb, startStateDb } from "../support/state-db";

// A `pulumi up` killed with SIGKILL while it holds the stack's lock in the shared PostgreSQL backend, and the
// recovery of docs/operations.md ("After a `pulumi up` was killed", PostgreSQL), step by step, as written there.

const TYPE = "genesys:WrapUpCode";
const N = 40;
const POSTS = "POST /api/v2/routing/wrapupcodes 200";

interface Deployment {
  resources?: { urn: string; type: string; id?: string; outputs?: Record<string, any> }[];
  pending_operations?: { type: string; resource: { urn: string } }[];
}

describe("a run killed while it holds the lock, on PostgreSQL", () => {
  let db: StateDb;
  let em: EmulatorProcess;
  let project: PulumiProject;
  let specs: CodeSpec[];
  const exported = async (): Promise<Deployment> =>
    JSON.parse((await project.mustRun(["stack", "export"])).stdout).deployment;
  const codesIn = (d: Deployment) => (d.resources ?? []).filter((r) => r.type.endsWith(TYPE));
  const locks = async () => [...(await db.objects()).keys()].filter((k) => k.includes("/.pulumi/locks/"));

  beforeAll(async () => {
    db = await startStateDb();
    // 300 ms per API call, so the kill lands while creates are in flight.
    const started = await startBenchEmulator({ latencyMs: 300 }, 4);
    em = started.em;
    specs = codeSpecs(N, started.queueIds, "Killed");
    project = await codeProject(em, {}, { env: { PULUMI_BACKEND_URL: db.url } });
    project.writeSpec(specs);
  }, 180_000);
  afterAll(async () => {
    await em?.stop();
    project?.cleanup();
    await db?.stop();
  });

  it("leaves its lock; cancel, refresh --clear-pending-creates and up converge with each code once", async () => {
    const killed = spawnPulumi(project, ["up", "--yes", "--skip-preview"], { PULUMI_BACKEND_URL: db.url });
    await waitFor(async () => ((await em.stats()).byRoute[POSTS] ?? 0) >= N / 2, 120_000);
    killed.kill();
    expect((await killed.done).signal).toBe("SIGKILL");

    // What the kill left: the lock (naming the dead process), creates in flight recorded only as pending.
    expect(await locks()).toHaveLength(1);
    const before = await exported();
    expect((before.pending_operations ?? []).filter((op) => op.type === "creating").length).toBeGreaterThan(0);
    const locked = await project.run(["up", "--yes"]);
    expect(locked.code).not.toBe(0);
    expect(locked.stderr).toMatch(
      new RegExp(
        `the stack is currently locked by 1 lock\\(s\\)[^]*created by \\S+@\\S+ \\(pid ${killed.child.pid}\\)`,
      ),
    );
    // The lock's address names the database with user and password masked, and the password is nowhere.
    expect(locked.stderr).toContain("postgres://****:****@127.0.0.1:");
    expect(locked.stderr).not.toContain(fs.readFileSync(path.join(db.dir, "pgpass"), "utf8").trim().split(":").pop());

    // The procedure of docs/operations.md, as written there.
    expect((await project.run(["cancel", "--yes"])).code).toBe(0);
    expect(await locks()).toEqual([]);
    const refresh = await project.refresh(["--clear-pending-creates"]);
    expect(refresh.result.code).toBe(0);
    const refreshed = await exported();
    expect(refreshed.pending_operations ?? []).toEqual([]);
    const recorded = codesIn(refreshed).length;
    const made = (await emulatorCodes(em)).length;
    expect(made).toBeGreaterThan(recorded);

    const up = await project.up();
    expect(up.result.code).toBe(0);
    expect(await census(em, specs)).toEqual({ exactlyOnce: N, missing: [], duplicated: [], extra: [] });
    const after = await exported();
    expect(codesIn(after)).toHaveLength(N);
    expect(after.pending_operations ?? []).toEqual([]);
    // The codes the killed run made but never recorded were taken over, not created again.
    const takenOver = codesIn(after).filter((r) => r.outputs?.audit?.action === "adopt");
    expect(takenOver).toHaveLength(made - recorded);
    expect((await project.run(["preview", "--expect-no-changes"])).code).toBe(0);
    expect(await locks()).toEqual([]);
  }, 480_000);
});
