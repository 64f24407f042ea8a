import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { CodeSpec, census, codeSpecs, startBenchEmulator } from "../../bench/lib";
import { loadCatalogue } from "../../stack/catalogue";
import { EmulatorProcess, startEmulator } from "../support/emulator";
import { PulumiProject, REPO_ROOT, RunResult } from "../support/pulumi";
import { StateDb, startStateDb } from "../support/state-db";
import { ProjectCopy, ROOT_STACK_FILES } from "../examples/project";

// A team's stacks on one PostgreSQL state database: two `pulumi up` of the same stack started at the same moment
// (one applies, the other is refused by the stack's lock before it does anything), and the root stack's dev and
// prod stacks, each against its own organisation (emulator), updated at the same time.

const TYPE = "genesys:WrapUpCode";
const LOCKED = /the stack is currently locked by 1 lock\(s\)/;

interface Deployment {
  resources?: { urn: string; type: string; id?: string }[];
  pending_operations?: unknown[];
}

const codesIn = (d: Deployment) => (d.resources ?? []).filter((r) => r.type.endsWith(TYPE));

/** `pulumi up --yes --json` with its wall time. */
async function timedUp(project: PulumiProject): Promise<{ result: RunResult; ms: number }> {
  const started = Date.now();
  const result = await project.run(["up", "--yes", "--json"]);
  return { result, ms: Date.now() - started };
}

describe("two runs of one stack on a shared PostgreSQL backend", () => {
  const N = 24;
  let db: StateDb;
  let em: EmulatorProcess;
  let specs: CodeSpec[];

  beforeAll(async () => {
    db = await startStateDb();
    const started = await startBenchEmulator({}, 4);
    em = started.em;
    specs = codeSpecs(N, started.queueIds, "Race");
  }, 180_000);
  afterAll(async () => {
    await em?.stop();
    await db?.stop();
  });

  it("started together: one applies, the other stops at once at the lock; each code exists once", async () => {
    // Each attempt is a new stack. The DIY lock is
    // check-write-check (pkg/backend/diy/lock.go): when both runs write their lock within the same few
    // milliseconds, each sees the other's and both stop, which is safe (nothing applied) but not the case this test
    // is about; then the attempt is repeated with a fresh stack, after checking that nothing was applied.
    for (let attempt = 1; ; attempt++) {
      const name = `race-${attempt}`;
      const project = await PulumiProject.create({
        name,
        env: { PULUMI_BACKEND_URL: db.url },
        config: { "genesys:apiProfile": "tutorial", "genesys:apiUrl": em.url, "genesys:clientId": em.clientId },
        secrets: { "genesys:clientSecret": em.clientSecret },
      });
      project.writeSpec(specs);
      await em.resetStats();

      // Two processes (two engineers, or CI and an engineer) start `pulumi up` of the same stack.
      const [a, b] = await Promise.all([timedUp(project), timedUp(project)]);
      const runs = [a, b];
      const applied = runs.filter((r) => r.result.code === 0);
      const refused = runs.filter((r) => r.result.code !== 0);
      for (const r of refused) {
        expect(r.result.stdout + r.result.stderr).toMatch(LOCKED);
        // Refused before any step: no resource was touched by it.
        expect(r.result.stdout).not.toContain('"resOutputsEvent"');
      }
      const state: Deployment = JSON.parse((await project.mustRun(["stack", "export"])).stdout).deployment;
      expect(state.pending_operations ?? []).toEqual([]);
      // Nothing was left locked.
      const locks = [...(await db.objects()).keys()].filter((k) => k.includes("/.pulumi/locks/"));
      expect(locks).toEqual([]);

      if (applied.length === 0 && attempt < 5) {
        expect(codesIn(state)).toEqual([]);
        expect(await census(em, [])).toMatchObject({ exactlyOnce: 0, extra: [] });
        project.cleanup();
        continue;
      }
      expect(applied).toHaveLength(1);
      expect(refused).toHaveLength(1);
      // "At once": the refused run ended while the other was still applying.
      expect(refused[0].ms).toBeLessThan(applied[0].ms);
      expect(await census(em, specs)).toEqual({ exactlyOnce: N, missing: [], duplicated: [], extra: [] });
      expect((await em.stats()).byRoute["POST /api/v2/routing/wrapupcodes 200"]).toBe(N);
      expect(codesIn(state)).toHaveLength(N);
      // The refused engineer runs again: nothing left to do, and the state agrees.
      const again = await project.run(["up", "--yes", "--json"]);
      expect(again.code).toBe(0);
      expect((await project.run(["preview", "--expect-no-changes"])).code).toBe(0);
      await project.mustRun(["destroy", "--yes"]);
      project.cleanup();
      break;
    }
  }, 600_000);
});

describe("dev and prod stacks of the root stack on one PostgreSQL database", () => {
  const catalogue = loadCatalogue(path.join(REPO_ROOT, "catalogue/wrapup-codes.yaml"));
  const queues: Record<string, string> = (
    yaml.load(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8")) as any
  ).config["wrapup-codes:queues"];
  let db: StateDb;
  let devOrg: EmulatorProcess;
  let prodOrg: EmulatorProcess;
  let project: ProjectCopy;

  const orgEnv = (em: EmulatorProcess) => ({
    GENESYSCLOUD_API_URL: em.url,
    GENESYSCLOUD_OAUTHCLIENT_ID: em.clientId,
    GENESYSCLOUD_OAUTHCLIENT_SECRET: em.clientSecret,
  });

  beforeAll(async () => {
    db = await startStateDb();
    [devOrg, prodOrg] = await Promise.all([
      startEmulator({ profile: "platform" }),
      startEmulator({ profile: "platform" }),
    ]);
    project = ProjectCopy.create(".", {
      only: ROOT_STACK_FILES,
      // The committed dev stack's encryption salt belongs to this documented passphrase.
      // zstd-compressed checkpoints, as docs/operations.md recommends for PostgreSQL.
      env: { PULUMI_BACKEND_URL: db.url, PULUMI_CONFIG_PASSPHRASE: "dev-emulator", PULUMI_DIY_BACKEND_ZSTD: "true" },
    });
    // prod stands for a second organisation (its own emulator, seeded with the same queue ids): the copy's
    // Pulumi.prod.yaml maps the catalogue to those queues instead of the committed placeholders.
    fs.writeFileSync(project.file("Pulumi.prod.yaml"), yaml.dump({ config: { "wrapup-codes:queues": queues } }));
    for (const stack of ["dev", "prod"]) {
      await project.initStack(stack);
      // No BI endpoint in this test: the stacks declare no webhook.
      await project.run(stack, ["config", "rm", "wrapup-codes:callbackUrl"]);
    }
  }, 240_000);
  afterAll(async () => {
    await devOrg?.stop();
    await prodOrg?.stop();
    project?.cleanup();
    await db?.stop();
  });

  it("updated at the same time, both complete, each in its own organisation and its own state", async () => {
    const [dev, prod] = await Promise.all([
      project.up("dev", [], orgEnv(devOrg)),
      project.up("prod", [], orgEnv(prodOrg)),
    ]);
    expect(dev.result.code).toBe(0);
    expect(prod.result.code).toBe(0);
    expect(dev.json.changeSummary).toEqual({ create: catalogue.codes.length + 1 });
    expect(prod.json.changeSummary).toEqual({ create: catalogue.codes.length + 1 });

    const declared = catalogue.codes.flatMap((c) => c.queues.map((q) => `${queues[q]}/${c.name}`)).sort();
    for (const [stack, org] of [
      ["dev", devOrg],
      ["prod", prodOrg],
    ] as const) {
      const codes = (await org.api("GET", "/api/v2/routing/wrapupcodes?pageSize=500")).body.entities;
      const onQueues: string[] = [];
      for (const queueId of new Set(Object.values(queues))) {
        const members = (await org.api("GET", `/api/v2/routing/queues/${queueId}/wrapupcodes?pageSize=500`)).body;
        onQueues.push(...members.entities.map((c: any) => `${queueId}/${c.name}`));
      }
      expect(onQueues.sort()).toEqual(declared);
      const state: Deployment = JSON.parse((await project.mustRun(stack, ["stack", "export"])).stdout).deployment;
      expect(
        codesIn(state)
          .map((r) => r.id)
          .sort(),
      ).toEqual(codes.map((c: any) => c.id).sort());
      expect(state.pending_operations ?? []).toEqual([]);
      expect((await project.run(stack, ["preview", "--expect-no-changes"], orgEnv(org))).code).toBe(0);
    }
    const stacks = [...(await db.objects()).keys()].filter((k) =>
      /\/\.pulumi\/stacks\/wrapup-codes\/\w+\.json/.test(k),
    );
    expect(stacks.sort()).toEqual([
      "pulumi/.pulumi/stacks/wrapup-codes/dev.json.zst",
      "pulumi/.pulumi/stacks/wrapup-codes/dev.json.zst.bak",
      "pulumi/.pulumi/stacks/wrapup-codes/prod.json.zst",
      "pulumi/.pulumi/stacks/wrapup-codes/prod.json.zst.bak",
    ]);
  }, 600_000);
});
