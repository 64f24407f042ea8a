import * as fs from "node:fs";
import * as path from "node:path";
import { CodeSpec, census, codeSpecs, startBenchEmulator } from "../../bench/lib";
import type { EmulatorProcess } from "../support/emulator";
import { PulumiProject, stepsOf } from "../support/pulumi";
import { StateDb, startStateDb } from "../support/state-db";

// Pulumi's self-managed PostgreSQL backend against a real PostgreSQL server (scripts/state-db.sh): the server the
// script starts, then the WrapUpCode lifecycle — preview, up, refresh, an edit, destroy — with the state in it,
// checked against the emulator's own codes and against what the database holds.

const TYPE = "genesys:WrapUpCode";
const N = 12;
const QUEUES = 3;

interface Deployment {
  resources?: { urn: string; type: string; id?: string; outputs?: Record<string, unknown> }[];
  pending_operations?: unknown[];
}

/** The stack's latest checkpoint as the backend holds it (`pulumi stack export`). */
async function exported(project: PulumiProject): Promise<Deployment> {
  const result = await project.mustRun(["stack", "export"]);
  return JSON.parse(result.stdout).deployment;
}

function codesIn(deployment: Deployment) {
  return (deployment.resources ?? []).filter((r) => r.type.endsWith(TYPE));
}

describe("state on PostgreSQL (scripts/state-db.sh)", () => {
  let db: StateDb;
  let em: EmulatorProcess;
  let project: PulumiProject;
  let specs: CodeSpec[];

  beforeAll(async () => {
    db = await startStateDb();
    const started = await startBenchEmulator({}, QUEUES);
    em = started.em;
    specs = codeSpecs(N, started.queueIds, "Pg");
    project = await PulumiProject.create({
      name: "pg-lifecycle",
      env: { PULUMI_BACKEND_URL: db.url },
      config: { "genesys:apiProfile": "tutorial", "genesys:apiUrl": em.url, "genesys:clientId": em.clientId },
      secrets: { "genesys:clientSecret": em.clientSecret },
    });
  }, 180_000);
  afterAll(async () => {
    await em?.stop();
    project?.cleanup();
    await db?.stop();
  });

  it("starts a real PostgreSQL server on loopback, with no password in the URL", async () => {
    const url = new URL(db.url);
    expect(url.protocol).toBe("postgres:");
    expect(url.hostname).toBe("127.0.0.1");
    expect(url.password).toBe("");
    expect(url.searchParams.get("passfile")).toBe(path.join(db.dir, "pgpass"));
    expect(fs.statSync(path.join(db.dir, "pgpass")).mode & 0o777).toBe(0o600);
    const [[version]] = await db.sql("SELECT version()");
    expect(version).toMatch(/^PostgreSQL \d+/);
    // The project's stack was created in it.
    expect([...(await db.objects()).keys()]).toContain("pulumi/.pulumi/stacks/pg-lifecycle/test.json");
  });

  it("takes the password from PGPASSWORD, as examples/ci does, and refuses a run without one", async () => {
    const url = new URL(db.url);
    url.searchParams.delete("passfile");
    const password = fs.readFileSync(path.join(db.dir, "pgpass"), "utf8").trim().split(":").pop()!;
    const listed = await project.run(["stack", "ls", "--json"], { PULUMI_BACKEND_URL: url.href, PGPASSWORD: password });
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).map((s: { name: string }) => s.name)).toEqual(["test"]);
    const refused = await project.run(["stack", "ls"], { PULUMI_BACKEND_URL: url.href, PGPASSWORD: "wrong" });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('password authentication failed for user "pulumi"');
    expect(refused.stdout + refused.stderr).not.toContain(password);
  }, 60_000);

  it("previews, then creates every code once, with checkpoint and history in the database", async () => {
    project.writeSpec(specs);
    const preview = await project.preview();
    expect(preview.result.code).toBe(0);
    expect(preview.json.changeSummary).toEqual({ create: N + 1 });
    expect((await em.stats()).total).toBe(0);

    const up = await project.up();
    expect(up.result.code).toBe(0);
    expect(up.json.changeSummary).toEqual({ create: N + 1 });
    expect(await census(em, specs)).toEqual({ exactlyOnce: N, missing: [], duplicated: [], extra: [] });

    const state = await exported(project);
    expect(codesIn(state)).toHaveLength(N);
    expect(state.pending_operations ?? []).toEqual([]);
    const byName = new Map(
      (await em.api("GET", "/api/v2/routing/wrapupcodes?pageSize=500")).body.entities.map((c: any) => [
        c.codeName,
        c.id,
      ]) as [string, string][],
    );
    for (const r of codesIn(state)) expect(r.id).toBe(byName.get(r.outputs!.name as string));

    const objects = await db.objects();
    const history = [...objects.keys()].filter((k) => k.startsWith("pulumi/.pulumi/history/pg-lifecycle/test/"));
    // One update so far: its history record and the checkpoint it left.
    expect(history.filter((k) => k.endsWith(".history.json"))).toHaveLength(1);
    expect(history.filter((k) => k.endsWith(".checkpoint.json"))).toHaveLength(1);
    // No secret anywhere in the database: not in checkpoints, backups, history or locks.
    for (const [key, text] of objects) {
      expect({ key, leaks: text.includes(em.clientSecret) }).toEqual({ key, leaks: false });
    }
    // The update released its lock.
    expect([...objects.keys()].filter((k) => k.includes("/.pulumi/locks/"))).toEqual([]);
  }, 240_000);

  it("refreshes with no change, then applies an edit as one update", async () => {
    const refresh = await project.refresh();
    expect(refresh.result.code).toBe(0);
    expect(refresh.json.changeSummary).toEqual({ same: N + 1 });

    const edited = structuredClone(specs);
    edited[0].args.mandatory = !edited[0].args.mandatory;
    project.writeSpec(edited);
    await em.resetStats();
    const up = await project.up();
    expect(up.result.code).toBe(0);
    expect(up.json.changeSummary).toEqual({ same: N, update: 1 });
    expect(stepsOf(up.json, TYPE).filter((s) => s.op === "update")).toHaveLength(1);
    const code = (await em.api("GET", "/api/v2/routing/wrapupcodes?pageSize=500")).body.entities.find(
      (c: any) => c.codeName === edited[0].args.name,
    );
    expect(code.mandatoryField).toBe(!!edited[0].args.mandatory);
    const state = codesIn(await exported(project)).find((r) => r.urn.endsWith("::code-0"));
    expect(state?.outputs?.mandatory).toBe(!!edited[0].args.mandatory);
    expect((await project.run(["preview", "--expect-no-changes"])).code).toBe(0);
  }, 240_000);

  it("destroys every code and leaves an empty stack", async () => {
    const destroy = await project.destroy();
    expect(destroy.result.code).toBe(0);
    expect(await census(em, [])).toEqual({ exactlyOnce: 0, missing: [], duplicated: [], extra: [] });
    expect(codesIn(await exported(project))).toEqual([]);
    const history = [...(await db.objects()).keys()].filter((k) => k.endsWith(".history.json"));
    // up, refresh, up, destroy: one record each (previews leave none).
    expect(history).toHaveLength(4);
  }, 240_000);
});
