import * as fs from "node:fs";
import * as path from "node:path";
import { loadCatalogue } from "../../stack/catalogue";
import { ProjectCopy } from "../examples/project";
import { EmulatorProcess, Json, startEmulator } from "../support/emulator";
import { RunResult, cliEnv, parseJson, runCommand, stepsOf } from "../support/pulumi";
import { TWELVE_QUEUES, handMadeCodes } from "./exportSeed";

// `genesys-wrapup export` through the real Pulumi CLI, as a team brings an organisation under the root stack: an
// organisation of 300 hand-made codes on 12 queues (some on several, some on none) is exported into the catalogue and
// the stack's queue map; the preview shows 300 adoptions and no real create; the `up` writes nothing to the
// platform; the stack is then in step with it (preview, refresh); a second export writes the same bytes; codes made
// by hand later with colliding keys and refused names are reported and added around the existing entries.

const STACK = "acme";
const ROOT_STACK = ["Pulumi.yaml", "index.ts", "stack"];
const RULES = ["--code-from", "name", "--category-default", "support"];
const SEED_CODES = handMadeCodes(300, TWELVE_QUEUES);

/** `genesys-wrapup <args>` as the package installs it, in the project, with the environment of its Pulumi runs. */
function run(project: ProjectCopy, args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  const bin = path.join(project.dir, "node_modules", ".bin", "genesys-wrapup");
  return runCommand(bin, args, project.dir, cliEnv(project.dir, project.backendDir, env));
}

/** Requests of the emulator's stats that change a code or a queue's codes (anything but a read or a token). */
function writes(stats: { byRoute: Record<string, number> }): Record<string, number> {
  return Object.fromEntries(
    Object.entries(stats.byRoute).filter(([route]) => !route.startsWith("GET ") && !route.startsWith("POST /oauth/")),
  );
}

describe("genesys-wrapup export of a hand-made organisation (platform API) through the Pulumi CLI", () => {
  let em: EmulatorProcess;
  let project: ProjectCopy;
  /** Everything the command printed, searched for the secret at the end. */
  const printed: string[] = [];
  const catalogueFile = () => project.file("catalogue/wrapup-codes.yaml");
  const stackFile = () => project.file(`Pulumi.${STACK}.yaml`);

  async function exportCodes(...args: string[]): Promise<RunResult> {
    const result = await run(project, ["export", "--stack", STACK, ...args]);
    printed.push(result.stdout, result.stderr);
    return result;
  }

  /** The platform's codes by lower-cased name. */
  async function platformCodes(): Promise<Map<string, Json>> {
    const codes = new Map<string, Json>();
    for (let page = 1; ; page++) {
      const res = await em.api("GET", `/api/v2/routing/wrapupcodes?pageSize=500&pageNumber=${page}`);
      for (const c of res.body.entities) codes.set(c.name.toLowerCase(), c);
      if (!res.body.nextUri) return codes;
    }
  }

  beforeAll(async () => {
    em = await startEmulator({
      profile: "platform",
      seed: { queues: TWELVE_QUEUES.map((name) => ({ name })), wrapupCodes: SEED_CODES },
    });
    // The team's repository: the root stack's program, no catalogue yet.
    project = ProjectCopy.create(".", { only: ROOT_STACK });
    await project.initStack(STACK, { "genesys:apiUrl": em.url, "genesys:clientId": em.clientId });
    // The secret as a real stack keeps it: encrypted in Pulumi.acme.yaml, decrypted by the CLI for the export.
    await project.mustRun(STACK, ["config", "set", "--secret", "--", "genesys:clientSecret", em.clientSecret]);
  }, 180_000);
  afterAll(async () => {
    await em?.stop();
    project?.cleanup();
  });

  it("without the rules for what the platform does not hold, names the flags and writes nothing (exit 1)", async () => {
    const before = fs.readFileSync(stackFile(), "utf8");
    const r = await exportCodes();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("300 codes need a code (account-abandoned, account-closed, account-confirmed");
    expect(r.stderr).toContain(": add --code-from name");
    expect(r.stderr).toContain("300 codes need a category");
    expect(r.stderr).toContain(": add --category-default <sales|support|compliance>");
    expect(r.stderr).toContain("Nothing was written.");
    expect(fs.existsSync(catalogueFile())).toBe(false);
    expect(fs.readFileSync(stackFile(), "utf8")).toBe(before);

    const unknown = await exportCodes(...RULES, "--queues", "Support,Helpdesk");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(
      '--queues: no queue named "Helpdesk" in the organisation (names are matched whole, case-insensitively); ' +
        "its queues: Back Office, Billing, Collections,",
    );
    expect(fs.existsSync(catalogueFile())).toBe(false);
  }, 60_000);

  it("writes every code once, with its queues, division and description, and the stack's maps; reads only", async () => {
    const stackBefore = fs.readFileSync(stackFile(), "utf8");
    await em.resetStats();
    const r = await exportCodes(...RULES);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);

    // The catalogue, read by the root stack's own reader.
    const catalogue = loadCatalogue(catalogueFile());
    const config = fs.readFileSync(stackFile(), "utf8");
    const queueIds = new Map<string, string>();
    for (const m of config.matchAll(/^ {4}([a-z0-9-]+): ([0-9a-f-]{36})$/gm)) queueIds.set(m[1], m[2]);
    const queues = (await em.api("GET", "/api/v2/routing/queues?pageSize=100")).body.entities as Json[];
    const queueName = new Map(queues.map((q) => [q.id, q.name]));
    expect(catalogue.codes).toHaveLength(300);
    const byName = new Map(catalogue.codes.map((c) => [c.name, c]));
    for (const seeded of SEED_CODES) {
      const entry = byName.get(seeded.name)!;
      expect(entry).toBeDefined();
      expect(entry.queues.map((q) => queueName.get(queueIds.get(q)!)).sort()).toEqual([...seeded.queues].sort());
      expect(entry.division).toBe((seeded.division ?? "Home").toLowerCase());
      expect(entry.description).toBe(seeded.description);
      expect(entry.onConflict).toBe("adopt");
    }
    expect(catalogue.codes.filter((c) => c.queues.length === 0)).toHaveLength(30);
    expect(catalogue.codes.filter((c) => c.queues.length > 1)).toHaveLength(120);
    expect(byName.get("Refund Declined")).toMatchObject({ code: "REFUND_DECLINED", category: "support" });
    // Every made value is marked in the file for the pull request.
    const text = fs.readFileSync(catalogueFile(), "utf8");
    expect(text.match(/ # filled by export \(--code-from\): check it, then delete this comment$/gm)).toHaveLength(300);
    expect(text.match(/ # filled by export \(--category-default\): check it/gm)).toHaveLength(300);

    // The stack's file: its own lines as they were, then the maps.
    expect(config.startsWith(stackBefore.trimEnd())).toBe(true);
    expect(queueIds.size).toBe(12 + 2);
    expect([...queueIds.keys()].slice(0, 12)).toEqual([
      "back-office",
      "billing",
      "collections",
      "complaints",
      "onboarding",
      "outbound",
      "retention",
      "returns",
      "sales",
      "support",
      "technical-support",
      "vip",
    ]);
    expect(config).toContain("  wrapup-codes:divisions:\n    europe: ");

    // What it found, what it made up, what to run next.
    expect(r.stdout).toMatch(
      /\n {2}codes +300 +300 in the catalogue\n {2}queues +12\n {2}divisions +2\n {2}on no queue +30 /,
    );
    expect(r.stdout).toContain("Codes on no queue (30; declared with queues: [])\n  account-requested, ");
    expect(r.stdout).toContain("300 codes, 300 with onConflict: adopt (not in the stack's state yet)");
    expect(r.stdout).toContain("Filled by a rule (600 values of 300 codes, by --code-from name, --category-default:");
    expect(r.stdout).toMatch(/\n {2}refund-declined +"Refund Declined" +REFUND_DECLINED +support\n/);
    expect(r.stdout).toContain(
      "shows 300 creates: each one adopts the existing code of that name (onConflict: adopt); none makes a new code",
    );
    expect(r.stdout).toContain("takes them into the state: 300 without any write, 0 with one write each");

    // Paged reads only: the codes (100 a page), the queues, each queue's codes, the divisions; no write.
    const stats = await em.stats();
    expect(writes(stats)).toEqual({});
    expect(stats.byRoute["GET /api/v2/routing/wrapupcodes 200"]).toBe(3);
    expect(stats.byRoute["GET /api/v2/routing/queues/{queueId}/wrapupcodes 200"]).toBe(12);
  }, 120_000);

  it("preview: 300 creates, every one an adoption of a code the platform holds; no real create", async () => {
    const platform = await platformCodes();
    const { json, result } = await project.preview(STACK);
    expect(result.code).toBe(0);
    const creates = stepsOf(json, "genesys:WrapUpCode").filter((s) => s.op === "create");
    expect(creates).toHaveLength(300);
    const real = creates.filter(
      (s) =>
        s.newState?.inputs?.onConflict !== "adopt" || !platform.has(String(s.newState?.inputs?.name).toLowerCase()),
    );
    expect(real).toEqual([]);
  }, 180_000);

  it("up adopts all 300 with no POST, PUT or DELETE; then preview shows no change and refresh no drift", async () => {
    await em.resetStats();
    const up = await project.up(STACK, ["--skip-preview"]);
    expect(up.result.code).toBe(0);
    expect(writes(await em.stats())).toEqual({});
    const adopted = stepsOf(up.json, "genesys:WrapUpCode");
    expect(adopted).toHaveLength(300);
    const platform = await platformCodes();
    for (const step of adopted) {
      const outputs = step.newState!.outputs!;
      expect(outputs.audit).toMatchObject({ action: "adopt" });
      expect(outputs.codeId).toBe(platform.get(String(outputs.name).toLowerCase()).id);
    }

    const preview = await project.preview(STACK);
    expect(preview.json.changeSummary).toEqual({ same: 301 });
    const refresh = await project.run(STACK, ["refresh", "--yes", "--skip-preview", "--json"]);
    expect(refresh.code).toBe(0);
    // A code changed on the platform since would show here as an update.
    expect(parseJson(refresh).changeSummary).toEqual({ same: 301 });
  }, 300_000);

  it("a second export of the unchanged organisation writes byte-identical files, with the rules or without", async () => {
    const catalogue = fs.readFileSync(catalogueFile(), "utf8");
    const config = fs.readFileSync(stackFile(), "utf8");
    for (const args of [RULES, []]) {
      const r = await exportCodes(...args);
      expect(r.code).toBe(0);
      expect(fs.readFileSync(catalogueFile(), "utf8")).toBe(catalogue);
      expect(fs.readFileSync(stackFile(), "utf8")).toBe(config);
      expect(r.stdout).toMatch(/catalogue\/wrapup-codes\.yaml +unchanged +300 codes, 300 already in the state/);
    }
  }, 120_000);

  it("codes made by hand since: colliding keys resolved in a fixed order, refused names reported, the rest untouched", async () => {
    const before = fs.readFileSync(catalogueFile(), "utf8");
    const res = await em.api("POST", "/__emulator/seed/wrapupcodes", {
      wrapupCodes: [
        { name: "Order-Late", queues: ["Sales"] },
        { name: "Order Late", queues: ["Sales"] },
        { name: "Callback-Requested", queues: ["Support"] },
        { name: "Suivi équipement", queues: ["Support"] },
        { name: "Test/1" },
      ],
    });
    expect(res.status).toBe(200);
    const r = await exportCodes(...RULES);
    expect(r.code).toBe(0);
    const after = fs.readFileSync(catalogueFile(), "utf8");
    const catalogue = loadCatalogue(catalogueFile());
    expect(catalogue.codes).toHaveLength(303);
    const keyOf = (name: string) => catalogue.codes.find((c) => c.name === name)?.resourceName;
    // "Callback Requested" keeps its key; the newcomers' keys follow their names' order.
    expect(keyOf("Callback Requested")).toBe("callback-requested");
    expect(keyOf("Callback-Requested")).toBe("callback-requested-2");
    expect(keyOf("Order Late")).toBe("order-late");
    expect(keyOf("Order-Late")).toBe("order-late-2");
    expect(catalogue.codes.find((c) => c.name === "Order-Late")?.code).toBe("ORDER_LATE_2");
    expect(keyOf("Suivi équipement")).toBeUndefined();
    expect(keyOf("Test/1")).toBeUndefined();
    // The 300 entries are as they were: the file only gained the three new ones.
    const removed = before.split("\n").filter((line) => !after.includes(line));
    expect(removed).toEqual([]);
    expect(after.split("\n").length - before.split("\n").length).toBe(3 * 7);

    expect(r.stdout).toMatch(
      /\n {2}code +callback-requested +"Callback Requested"\n {2}code +callback-requested-2 +"Callback-Requested"\n/,
    );
    expect(r.stdout).toMatch(/\n {2}code +order-late +"Order Late"\n {2}code +order-late-2 +"Order-Late"\n/);
    expect(r.stdout).toContain(
      "Refused by the product's rules (2; left out of the catalogue, the stack does not touch them)",
    );
    expect(r.stdout).toMatch(
      /"Suivi équipement" +[0-9a-f-]{36} +name: may contain only letters, digits, spaces, '_' and '-' +rename it in the admin UI \(e\.g\. to "Suivi equipement"\) and export again, or leave it unmanaged/,
    );
    expect(r.stdout).toMatch(/"Test\/1" +[0-9a-f-]{36} +name: .* +rename it in the admin UI \(e\.g\. to "Test 1"\)/);

    // The next up adopts the three without a write and leaves the refused ones alone.
    await em.resetStats();
    const up = await project.up(STACK, ["--skip-preview"]);
    expect(up.result.code).toBe(0);
    expect(up.json.changeSummary).toEqual({ create: 3, same: 301 });
    expect(writes(await em.stats())).toEqual({});
  }, 300_000);

  it("never prints or writes the client secret", () => {
    const files = [catalogueFile(), stackFile()].map((f) => fs.readFileSync(f, "utf8"));
    for (const text of [...printed, ...files]) expect(text).not.toContain(em.clientSecret);
    expect(files[1]).toMatch(/genesys:clientSecret:\n {4}secure: v1:/);
  });
});

describe("genesys-wrapup export on the tutorial's API", () => {
  let em: EmulatorProcess;
  let project: ProjectCopy;
  /** Where and as whom, from the environment only (as the dev stack does). */
  let env: Record<string, string>;

  beforeAll(async () => {
    em = await startEmulator({ profile: "tutorial" });
    const support = "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4e01";
    const made = [
      {
        codeName: "Sale Won",
        code: "SW",
        codeCategoryName: "sales",
        mandatoryField: true,
        reportingTags: ["cat:sales", "sub:conversion", "sub:lead", "sub:follow_up"],
      },
      { codeName: "Sale Lost", code: "SL", codeCategoryName: "sales", reportingTags: [] },
    ];
    for (const body of made) {
      const res = await em.api("POST", "/api/v2/routing/wrapupcodes", { ...body, routingQueue: { id: support } });
      expect(res.status).toBeLessThan(300);
    }
    env = {
      GENESYSCLOUD_API_URL: em.url,
      GENESYSCLOUD_OAUTHCLIENT_ID: em.clientId,
      GENESYSCLOUD_OAUTHCLIENT_SECRET: em.clientSecret,
    };
    project = ProjectCopy.create(".", { only: ROOT_STACK, env });
    await project.initStack(STACK, { "genesys:apiProfile": "tutorial" });
  }, 180_000);
  afterAll(async () => {
    await em?.stop();
    project?.cleanup();
  });

  it("takes every field from the platform, needs no rule, and says which adoption writes (its reporting tags)", async () => {
    const r = await run(project, ["export", "--stack", STACK, "--format", "json"], env);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ profile: "tutorial", filled: [], refused: [] });
    expect(report.written).toMatchObject({ toAdopt: 2, adoptWrites: ["sale-lost"] });
    expect(loadCatalogue(project.file("catalogue/wrapup-codes.yaml")).codes).toEqual([
      expect.objectContaining({ resourceName: "sale-lost", code: "SL", category: "sales", queues: ["support"] }),
      expect.objectContaining({ resourceName: "sale-won", code: "SW", category: "sales", mandatory: true }),
    ]);
    await em.resetStats();
    const up = await project.up(STACK, ["--skip-preview"]);
    expect(up.result.code).toBe(0);
    expect(writes(await em.stats())).toEqual({ "PUT /api/v2/routing/wrapupcodes/{codeId} 200": 1 });
  }, 180_000);
});
