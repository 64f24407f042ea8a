import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { EmulatorProcess, QUEUES, startEmulator } from "../support/emulator";
import { PulumiProject, RunResult, cliEnv, runCommand } from "../support/pulumi";
import { parseCsv } from "./csv";

// `genesys-wrapup audit` through the real Pulumi CLI against the emulator, on the file backend: a stack whose project
// is a git repository with a known author goes through creates, a rename, a tag edit, a removal, a change made
// outside the stack found by `pulumi refresh`, and an `up` that fails on a name conflict. The audit must give exactly
// the records of those changes, the state at a moment between two updates, and no secret in any format.

const WEBHOOK_SECRET = "whsec-audit-test-0123456789";
const AUTHOR = { name: "Ada Auditor", email: "ada@example.com" };
const WRAPUP = "pulumi-nodejs:dynamic/genesys:WrapUpCode";
const WEBHOOK = "pulumi-nodejs:dynamic/genesys:SyncWebhook";

type Json = any;

const webhook = {
  type: "SyncWebhook",
  name: "bi",
  args: { name: "bi-sync", callbackUrl: "http://127.0.0.1:9/bi", secret: WEBHOOK_SECRET },
};
function code(name: string, args: Record<string, unknown>) {
  return { type: "WrapUpCode", name, args };
}
const escalation = code("escalation", {
  name: "Technical Escalation",
  code: "ESC_TECH",
  category: "support",
  queueId: QUEUES.Support,
});
const callback = code("callback", {
  name: "Callback Requested",
  code: "CB",
  category: "support",
  queueId: QUEUES.Support,
});
const sale = code("sale", { name: "Sale Closed", code: "SALE", category: "sales", queueId: QUEUES.Sales });

/** What Pulumi recorded of one update, as the test saw it: its commit and the state right after it. */
interface Step {
  readonly commit: string;
  readonly message: string;
  readonly runId: string;
  /** `pulumi stack export` right after the update: the audit's records must agree with it. */
  readonly state: Json;
}

/** The audited resources of an export, by name: every field (outputs over inputs) but `__provider` and `audit`. */
function resourcesOf(state: Json): Map<string, { type: string; fields: Record<string, unknown>; outputs: Json }> {
  const out = new Map();
  for (const r of state.deployment.resources) {
    if (r.type !== WRAPUP && r.type !== WEBHOOK) continue;
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries({ ...r.inputs, ...r.outputs })) {
      if (k === "__provider" || k === "audit") continue;
      fields[k] = typeof v === "object" && v !== null && "ciphertext" in v ? "[secret]" : v;
    }
    out.set(r.urn.split("::").pop(), { type: r.type.split(":").pop(), fields, outputs: r.outputs });
  }
  return out;
}

/** Every field of a resource as the changes of its creation (before null) or removal (after null), by name. */
function allFields(fields: Record<string, unknown>, created: boolean) {
  return Object.keys(fields)
    .filter((k) => fields[k] !== null && fields[k] !== undefined)
    .sort()
    .map((field) =>
      created ? { field, before: null, after: fields[field] } : { field, before: fields[field], after: null },
    );
}

describe("genesys-wrapup audit through the Pulumi CLI", () => {
  let em: EmulatorProcess;
  let project: PulumiProject;
  const steps: Step[] = [];
  /** Moments between updates: after update i ended and before update i + 1 started. */
  const between: string[] = [];
  /** When each update started, as `pulumi stack history` says (whole seconds), oldest first. */
  let startTimes: string[] = [];
  /** Everything any audit run printed, searched for secrets at the end. */
  const printed: string[] = [];

  function git(...args: string[]): string {
    const who = { GIT_AUTHOR_NAME: AUTHOR.name, GIT_AUTHOR_EMAIL: AUTHOR.email };
    const env = { ...process.env, ...who, GIT_COMMITTER_NAME: AUTHOR.name, GIT_COMMITTER_EMAIL: AUTHOR.email };
    return execFileSync("git", args, { cwd: project.dir, env, encoding: "utf8" }).trim();
  }

  /** Commits the program and runs `pulumi <command>` as CI run `runId` would. */
  async function change(message: string, resources: unknown[] | null, command: "up" | "refresh"): Promise<RunResult> {
    if (resources) project.writeSpec(resources);
    git("add", "-A");
    git("commit", "-q", "--allow-empty", "-m", message);
    const runId = String(9000 + steps.length);
    const ci = { GITHUB_ACTIONS: "true", GITHUB_RUN_ID: runId, GITHUB_REPOSITORY: "acme/wrapup-codes" };
    const args = command === "up" ? ["up", "--yes", "--skip-preview"] : ["refresh", "--yes", "--skip-preview"];
    const result = await project.run(args, ci);
    const state = JSON.parse((await project.mustRun(["stack", "export"])).stdout);
    steps.push({ commit: git("rev-parse", "HEAD"), message, runId, state });
    // History times are whole seconds: leave one between updates, and note a moment inside it.
    await new Promise((r) => setTimeout(r, 1100));
    between.push(new Date().toISOString());
    await new Promise((r) => setTimeout(r, 1100));
    return result;
  }

  async function audit(...args: string[]): Promise<RunResult> {
    const bin = path.join(project.dir, "node_modules", ".bin", "genesys-wrapup");
    const result = await runCommand(
      bin,
      ["audit", "--stack", project.stack, ...args],
      project.dir,
      cliEnv(project.dir, project.backendDir),
    );
    printed.push(result.stdout, result.stderr);
    return result;
  }

  const jsonl = (r: RunResult) =>
    r.stdout
      .split("\n")
      .filter((l) => l)
      .map((l) => JSON.parse(l));

  function head(version: number, kind: string, result = "succeeded") {
    const step = steps[version - 1];
    return {
      version,
      time: startTimes[version - 1],
      kind,
      result,
      commit: step.commit,
      author: `${AUTHOR.name} <${AUTHOR.email}>`,
      message: step.message,
      ci: {
        system: "GitHub Actions",
        buildId: step.runId,
        buildUrl: `https://github.com/acme/wrapup-codes/actions/runs/${step.runId}`,
      },
    };
  }

  beforeAll(async () => {
    em = await startEmulator();
    project = await PulumiProject.create({
      config: { "genesys:apiUrl": em.url, "genesys:clientId": em.clientId, "genesys:apiProfile": "tutorial" },
      secrets: { "genesys:clientSecret": em.clientSecret },
    });
    fs.writeFileSync(path.join(project.dir, ".gitignore"), "node_modules\n.pulumi-state/\n.pulumi-home/\n");
    git("init", "-q", "-b", "main");

    expect(
      (await change("Add the first codes and the BI webhook", [webhook, escalation, callback, sale], "up")).code,
    ).toBe(0);
    const renamed = code("callback", { ...callback.args, name: "Callback Scheduled" });
    expect((await change("Rename the callback code", [webhook, escalation, renamed, sale], "up")).code).toBe(0);
    const tagged = code("sale", { ...sale.args, tags: ["priority:high"] });
    expect((await change("Tag sales as high priority", [webhook, escalation, renamed, tagged], "up")).code).toBe(0);
    expect((await change("Retire the escalation code", [webhook, renamed, tagged], "up")).code).toBe(0);

    // Someone edits the callback code in the admin UI; the next refresh finds it.
    const platformCallback = steps[3].state.deployment.resources.find((r: Json) => r.urn.endsWith("::callback"));
    const current = await em.api("GET", `/api/v2/routing/wrapupcodes/${platformCallback.id}`);
    const edited = await em.api("PUT", `/api/v2/routing/wrapupcodes/${platformCallback.id}`, {
      ...current.body,
      description: "edited in the admin UI",
    });
    expect(edited.status).toBe(200);
    expect((await change("Check for changes made outside the stack", null, "refresh")).code).toBe(0);

    // A code of the same name made by hand (another reporting code) makes the next `up` fail with 409.
    const taken = await em.api("POST", "/api/v2/routing/wrapupcodes", {
      codeName: "Upsell",
      code: "UPSELL_HAND",
      codeCategoryName: "sales",
      routingQueue: { id: QUEUES.Sales },
      reportingTags: [],
    });
    expect(taken.status).toBe(200);
    const accepted = code("callback", { ...renamed.args, description: "edited in the admin UI" });
    const upsell = code("upsell", { name: "Upsell", code: "UPSELL", category: "sales", queueId: QUEUES.Sales });
    const failed = await change(
      "Accept the admin's description; add upsell",
      [webhook, accepted, tagged, upsell],
      "up",
    );
    expect(failed.code).not.toBe(0);
    expect(failed.stdout + failed.stderr).toMatch(/409|already exists/);
    const history = JSON.parse((await project.mustRun(["stack", "history", "--json", "--page-size", "0"])).stdout);
    startTimes = history.map((h: Json) => new Date(h.startTime).toISOString()).reverse();
    expect(history.map((h: Json) => [h.kind, h.result]).reverse()).toEqual([
      ...Array(4).fill(["update", "succeeded"]),
      ["refresh", "succeeded"],
      ["update", "failed"],
    ]);
  }, 420_000);

  afterAll(async () => {
    await em?.stop();
    project?.cleanup();
  });

  it("gives exactly one record per change, in order, with every field before and after", async () => {
    const result = await audit("--format", "jsonl");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const s = steps.map((step) => resourcesOf(step.state));
    const id = (v: number, name: string) => s[v - 1].get(name)!.outputs[name === "bi" ? "webhookId" : "codeId"];
    const ctx = (v: number, name: string) => s[v - 1].get(name)!.outputs.audit.contextId;
    const created = (name: string, type: string) => ({
      ...head(1, "update"),
      resource: name,
      type,
      action: "create",
      changes: allFields(s[0].get(name)!.fields, true),
      platformId: id(1, name),
      contextId: ctx(1, name),
    });
    const dateModified = (from: number, to: number, name: string) => ({
      field: "dateModified",
      before: s[from - 1].get(name)!.fields.dateModified,
      after: s[to - 1].get(name)!.fields.dateModified,
    });
    const expected = [
      created("bi", "SyncWebhook"),
      created("callback", "WrapUpCode"),
      created("escalation", "WrapUpCode"),
      created("sale", "WrapUpCode"),
      {
        ...head(2, "update"),
        resource: "callback",
        type: "WrapUpCode",
        action: "update",
        changes: [
          dateModified(1, 2, "callback"),
          { field: "name", before: "Callback Requested", after: "Callback Scheduled" },
        ],
        platformId: id(1, "callback"),
        contextId: ctx(2, "callback"),
      },
      {
        ...head(3, "update"),
        resource: "sale",
        type: "WrapUpCode",
        action: "update",
        changes: [
          dateModified(2, 3, "sale"),
          {
            field: "reportingTags",
            before: ["cat:sales", "sub:conversion", "sub:lead", "sub:follow_up"],
            after: ["cat:sales", "sub:conversion", "sub:lead", "sub:follow_up", "priority:high"],
          },
          { field: "tags", before: [], after: ["priority:high"] },
        ],
        platformId: id(1, "sale"),
        contextId: ctx(3, "sale"),
      },
      {
        ...head(4, "update"),
        resource: "escalation",
        type: "WrapUpCode",
        action: "delete",
        changes: allFields(s[2].get("escalation")!.fields, false),
        platformId: id(3, "escalation"),
        contextId: null,
      },
      {
        ...head(5, "refresh"),
        resource: "callback",
        type: "WrapUpCode",
        action: "drift",
        changes: [
          dateModified(4, 5, "callback"),
          { field: "description", before: null, after: "edited in the admin UI" },
        ],
        platformId: id(1, "callback"),
        contextId: null,
      },
      {
        ...head(6, "update", "failed"),
        resource: null,
        type: null,
        action: null,
        changes: [],
        platformId: null,
        contextId: null,
      },
    ];
    const records = jsonl(result);
    // Key order is part of the format.
    for (const record of records) expect(Object.keys(record)).toEqual(KEYS);
    expect(records).toEqual(expected);
    // What the records promise about the values themselves, independently of the state exports above.
    expect(records[1].changes).toEqual(
      expect.arrayContaining([
        { field: "name", before: null, after: "Callback Requested" },
        { field: "code", before: null, after: "CB" },
        { field: "queueId", before: null, after: QUEUES.Support },
        { field: "tags", before: null, after: [] },
      ]),
    );
    expect(records[0].changes).toContainEqual({ field: "secret", before: null, after: "[secret]" });
    const times = records.map((r: Json) => Date.parse(r.time));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(records.map((r: Json) => r.commit)).size).toBe(6);
  });

  it("selects updates by time and resources by name", async () => {
    const [window, one] = await Promise.all([
      audit("--format", "jsonl", "--since", between[0], "--until", between[2]),
      audit("--format", "jsonl", "--resource", "callback"),
    ]);
    expect(window.code).toBe(0);
    expect(jsonl(window).map((r: Json) => [r.version, r.resource, r.action])).toEqual([
      [2, "callback", "update"],
      [3, "sale", "update"],
    ]);
    expect(one.code).toBe(0);
    expect(jsonl(one).map((r: Json) => [r.version, r.resource, r.action])).toEqual([
      [1, "callback", "create"],
      [2, "callback", "update"],
      [5, "callback", "drift"],
    ]);
  });

  it("--at gives the codes as the stack recorded them between two updates, in each format", async () => {
    const [lines, csv, table, before] = await Promise.all([
      audit("--format", "jsonl", "--at", between[1]),
      audit("--at", between[1], "--format", "csv"),
      audit("--at", between[1], "--format", "table"),
      audit("--format", "jsonl", "--at", "2020-01-01T00:00:00Z"),
    ]);
    // Between update 2 (the rename) and update 3 (the tags): renamed, not tagged yet, escalation still there.
    const state = steps[1].state.deployment.resources.filter((r: Json) => r.type === WRAPUP || r.type === WEBHOOK);
    const expected = state
      .map((r: Json) => {
        const { __provider: _p, audit: auditRecord, ...outputs } = r.outputs;
        const { __provider: _q, ...inputs } = r.inputs;
        const fields = { ...inputs, ...outputs };
        if (fields.secret) fields.secret = "[secret]";
        const name = r.urn.split("::").pop();
        return {
          at: between[1],
          version: 2,
          resource: name,
          type: r.type.split(":").pop(),
          platformId: r.id,
          fields: Object.fromEntries(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : 1))),
          audit: auditRecord,
        };
      })
      .sort((a: Json, b: Json) => (a.resource < b.resource ? -1 : 1));
    expect(lines.code).toBe(0);
    expect(jsonl(lines)).toEqual(expected);
    expect(jsonl(lines).map((l: Json) => [l.resource, l.fields.name, l.fields.tags ?? null])).toEqual([
      ["bi", "bi-sync", null],
      ["callback", "Callback Scheduled", []],
      ["escalation", "Technical Escalation", []],
      ["sale", "Sale Closed", []],
    ]);

    const rows = parseCsv(csv.stdout);
    const header = rows[0];
    expect(header.slice(0, 5)).toEqual(["at", "version", "resource", "type", "platformId"]);
    const col = (row: string[], name: string) => row[header.indexOf(name)];
    expect(
      rows.slice(1).map((row) => [col(row, "resource"), col(row, "name"), col(row, "tags"), col(row, "audit.action")]),
    ).toEqual([
      ["bi", "bi-sync", "", "create"],
      ["callback", "Callback Scheduled", "[]", "update"],
      ["escalation", "Technical Escalation", "[]", "create"],
      ["sale", "Sale Closed", "[]", "create"],
    ]);

    const text = table.stdout.split("\n");
    expect(text[0]).toMatch(
      new RegExp(
        `^As recorded at ${between[1]}: version 2 \\(update, succeeded, ended .*commit ${steps[1].commit.slice(0, 7)}\\), 4 resources\\.$`,
      ),
    );
    expect(text).toContain("WrapUpCode (3)");
    const calls = text.find((l) => l.startsWith("callback "))!;
    expect(calls).toContain("Callback Scheduled");

    expect(before.code).toBe(0);
    expect(before.stdout).toBe("");
    expect(before.stderr).toContain("the stack had recorded no update by 2020-01-01T00:00:00.000Z");
  });

  it("writes csv that a spreadsheet reads back (RFC 4180) and an aligned table", async () => {
    // The table is the default format.
    const [csv, table, lines] = await Promise.all([audit("--format", "csv"), audit(), audit("--format", "jsonl")]);
    const records = jsonl(lines);
    const rows = parseCsv(csv.stdout);
    expect(rows[0]).toEqual(KEYS);
    expect(rows).toHaveLength(records.length + 1);
    rows.slice(1).forEach((row, i) => {
      const r = records[i];
      expect(row.slice(0, 7)).toEqual([
        String(r.version),
        r.time,
        r.kind,
        r.result,
        r.resource ?? "",
        r.type ?? "",
        r.action ?? "",
      ]);
      expect(row.slice(8)).toEqual([
        r.platformId ?? "",
        r.contextId ?? "",
        r.commit,
        r.author,
        r.message,
        `GitHub Actions ${r.ci.buildId} ${r.ci.buildUrl}`,
      ]);
    });
    const rename = rows.find((row) => row[0] === "2")!;
    expect(rename[7]).toBe(
      `dateModified: ${JSON.stringify(records[4].changes[0].before)} → ${JSON.stringify(records[4].changes[0].after)}\n` +
        'name: "Callback Requested" → "Callback Scheduled"',
    );

    const text = table.stdout.trimEnd().split("\n");
    expect(text).toHaveLength(records.length + 1);
    const action = text[0].indexOf("ACTION");
    expect(text.slice(1).map((l) => l.slice(action).split(" ")[0])).toEqual(records.map((r: Json) => r.action ?? "-"));
    expect(text[5]).toContain(`${steps[1].commit.slice(0, 7)}  Ada Auditor  dateModified: `);
    expect(text[5]).toContain('name: "Callback Requested" → "Callback Scheduled"');
    expect(text[9]).toMatch(/^6 .* update +failed +- +- +- +[0-9a-f]{7} +Ada Auditor +\(no change was recorded\)$/);
  });

  it("prints no secret in any format", async () => {
    await Promise.all([audit("--format", "table", "--at", between[4]), audit("--format", "csv", "--at", between[4])]);
    const all = printed.join("\n");
    expect(all).toContain("[secret]");
    for (const secret of [WEBHOOK_SECRET, em.clientSecret]) expect(all).not.toContain(secret);
    expect(all).not.toContain("ciphertext");
    // The encrypted values themselves are not shown either.
    for (const step of steps) {
      for (const match of JSON.stringify(step.state).matchAll(/"ciphertext":"([^"]+)"/g))
        expect(all).not.toContain(match[1]);
    }
  });

  it("fails with the CLI's reason and exit code 1 for a stack that does not exist; 2 for a wrong command line", async () => {
    const bin = path.join(project.dir, "node_modules", ".bin", "genesys-wrapup");
    const env = cliEnv(project.dir, project.backendDir);
    const [missing, badDate, noStack] = await Promise.all([
      runCommand(bin, ["audit", "--stack", "nope"], project.dir, env),
      runCommand(bin, ["audit", "--stack", "test", "--since", "last tuesday"], project.dir, env),
      runCommand(bin, ["audit"], project.dir, env),
    ]);
    expect([missing.code, missing.stdout]).toEqual([1, ""]);
    expect(missing.stderr).toContain("no stack named 'nope' found");
    expect([badDate.code, badDate.stdout]).toEqual([2, ""]);
    expect(badDate.stderr).toContain('--since "last tuesday" is not an ISO 8601 date');
    expect([noStack.code, noStack.stdout]).toEqual([2, ""]);
    expect(noStack.stderr).toContain("--stack is required");
  });
});

const KEYS = [
  "version",
  "time",
  "kind",
  "result",
  "resource",
  "type",
  "action",
  "changes",
  "platformId",
  "contextId",
  "commit",
  "author",
  "message",
  "ci",
];
