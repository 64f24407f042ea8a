import * as path from "node:path";
import { EmulatorProcess, QUEUES, startEmulator } from "../support/emulator";
import { PulumiProject, RunResult, cliEnv, runCommand } from "../support/pulumi";
import { StateDb, startStateDb } from "../support/state-db";

// `genesys-wrapup audit` on Pulumi's PostgreSQL backend, against a real PostgreSQL server (scripts/state-db.sh):
// the CLI exports past versions only from Pulumi Cloud, so on a self-managed backend the command reads the history's
// checkpoints from the backend's own table (with the `pg` package) and must give the same records as on a folder.

function code(name: string, args: Record<string, unknown>) {
  return { type: "WrapUpCode", name, args: { category: "support", ...args } };
}

describe("genesys-wrapup audit on the PostgreSQL backend", () => {
  let db: StateDb;
  let em: EmulatorProcess;
  let project: PulumiProject;
  let env: Record<string, string>;
  /** Moments between updates: after update i ended and before update i + 1 started. */
  const between: string[] = [];

  beforeAll(async () => {
    [db, em] = await Promise.all([startStateDb(), startEmulator({ profile: "platform" })]);
    // The backend URL names its password file; `pg` (in the audit) reads the same file through PGPASSFILE.
    const extra = { PULUMI_BACKEND_URL: db.url, PGPASSFILE: path.join(db.dir, "pgpass") };
    project = await PulumiProject.create({
      config: { "genesys:apiUrl": em.url, "genesys:clientId": em.clientId },
      secrets: { "genesys:clientSecret": em.clientSecret },
      env: extra,
    });
    env = cliEnv(project.dir, db.url, extra);
  }, 300_000);
  afterAll(async () => {
    await em?.stop();
    project?.cleanup();
    await db?.stop();
  });

  async function up(resources: unknown[]): Promise<void> {
    project.writeSpec(resources);
    const result = await project.run(["up", "--yes", "--skip-preview"]);
    if (result.code !== 0) throw new Error(`up failed:\n${result.stdout}\n${result.stderr}`);
    // History times are whole seconds: leave one between updates, and note a moment inside it.
    await new Promise((r) => setTimeout(r, 1100));
    between.push(new Date().toISOString());
    await new Promise((r) => setTimeout(r, 1100));
  }

  function audit(...args: string[]): Promise<RunResult> {
    const bin = path.join(project.dir, "node_modules", ".bin", "genesys-wrapup");
    return runCommand(bin, ["audit", "--stack", project.stack, ...args], project.dir, env);
  }

  it("gives one record per change of each update, read from the backend's table", async () => {
    const escalation = code("escalation", { name: "Escalation", code: "ESC", queueIds: [QUEUES.Support] });
    const callback = code("callback", { name: "Callback", code: "CB", queueIds: [QUEUES.Sales] });
    await up([escalation, callback]);
    await up([{ ...escalation, args: { ...escalation.args, name: "Escalated" } }, callback]);
    await up([{ ...escalation, args: { ...escalation.args, name: "Escalated" } }]);

    const result = await audit("--format", "jsonl");
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
    const records = result.stdout
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(records.map((r) => [r.version, r.kind, r.result, r.resource, r.action])).toEqual([
      [1, "update", "succeeded", "callback", "create"],
      [1, "update", "succeeded", "escalation", "create"],
      [2, "update", "succeeded", "escalation", "update"],
      [3, "update", "succeeded", "callback", "delete"],
    ]);
    const codes = (await em.api("GET", "/api/v2/routing/wrapupcodes?pageSize=100")).body.entities;
    expect(records[2]).toMatchObject({
      type: "WrapUpCode",
      platformId: codes.find((c: { name: string }) => c.name === "Escalated").id,
    });
    // The platform's own modification time is part of the record, as on the file backend; the name is the one edit.
    expect(records[2].changes.map((c: { field: string }) => c.field)).toEqual(["dateModified", "name"]);
    expect(records[2].changes[1]).toEqual({ field: "name", before: "Escalation", after: "Escalated" });
    expect(records[2].contextId).toMatch(/^[0-9a-f-]{36}$/);

    // The state at a moment between the first and the second update.
    const at = await audit("--at", between[0], "--format", "jsonl");
    expect(at.code).toBe(0);
    const then = at.stdout
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(then.map((r) => [r.resource, r.fields.name]).sort()).toEqual([
      ["callback", "Callback"],
      ["escalation", "Escalation"],
    ]);
    expect(result.stdout + at.stdout).not.toContain(em.clientSecret);
  }, 600_000);
});
