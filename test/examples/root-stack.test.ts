import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { loadCatalogue } from "../../stack/catalogue";
import { EmulatorProcess, startEmulator } from "../support/emulator";
import { REPO_ROOT, changedInputs, stepsOf } from "../support/pulumi";
import { ProjectCopy, ROOT_STACK_FILES, messages, nameOf } from "./project";

// The root stack (index.ts + catalogue/wrapup-codes.yaml + Pulumi.<stack>.yaml) as a platform team runs it:
// the committed dev stack against the emulator, an edit of the catalogue as a reviewer sees it, a broken catalogue,
// and the committed example prod stack in a real region, which is only previewed (and must not touch the network).

const catalogue = loadCatalogue(path.join(REPO_ROOT, "catalogue/wrapup-codes.yaml"));
const devQueues: Record<string, string> = (
  yaml.load(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8")) as any
).config["wrapup-codes:queues"];

/** A loopback stand-in for the BI platform: collects the events the stack delivers. */
async function startReceiver(): Promise<{ url: string; events: any[]; close: () => Promise<void> }> {
  const events: any[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      events.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/bi-sync`,
    events,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function until<T>(probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("the root stack through the Pulumi CLI", () => {
  let em: EmulatorProcess;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let project: ProjectCopy;
  const codeIds = new Map<string, string>();

  beforeAll(async () => {
    em = await startEmulator({ profile: "platform" });
    receiver = await startReceiver();
    project = ProjectCopy.create(".", {
      only: ROOT_STACK_FILES,
      env: {
        // The committed dev stack's encryption salt belongs to this documented passphrase.
        PULUMI_CONFIG_PASSPHRASE: "dev-emulator",
        GENESYSCLOUD_API_URL: em.url,
        GENESYSCLOUD_OAUTHCLIENT_ID: em.clientId,
        GENESYSCLOUD_OAUTHCLIENT_SECRET: em.clientSecret,
      },
    });
  }, 180_000);
  afterAll(async () => {
    await em?.stop();
    await receiver?.close();
    project?.cleanup();
  });

  it("creates every catalogue code on its queues, and delivers each to the BI platform, from the committed dev stack", async () => {
    await project.mustRun("dev", ["stack", "init"]);
    // The committed salt matches the documented passphrase, so creating the stack leaves the file as committed.
    expect(fs.readFileSync(project.file("Pulumi.dev.yaml"), "utf8")).toBe(
      fs.readFileSync(path.join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8"),
    );
    await project.mustRun("dev", ["config", "set", "wrapup-codes:callbackUrl", receiver.url]);

    const up = await project.up("dev");
    expect(up.result.code).toBe(0);
    expect(up.json.changeSummary).toEqual({ create: catalogue.codes.length + 2 });

    // One platform code per entry, with its name and description, on exactly its queues.
    const codes = (await em.api("GET", "/api/v2/routing/wrapupcodes?pageSize=500")).body.entities;
    expect(codes.map((c: any) => c.name).sort()).toEqual(catalogue.codes.map((c) => c.name).sort());
    for (const entry of catalogue.codes) {
      const stored = codes.find((c: any) => c.name === entry.name);
      expect(stored.description).toBe(entry.description);
      const on: string[] = [];
      for (const [queue, id] of Object.entries(devQueues)) {
        const members = (await em.api("GET", `/api/v2/routing/queues/${id}/wrapupcodes?pageSize=500`)).body.entities;
        if (members.some((m: any) => m.id === stored.id)) on.push(queue);
      }
      expect(on.sort()).toEqual([...entry.queues].sort());
    }
    expect(catalogue.codes.some((c) => c.queues.length > 1)).toBe(true);

    // The platform has no webhook API: the stack itself tells the BI platform of every code it created.
    expect((await em.api("GET", "/api/v2/analytics/events/webhooks")).status).toBe(404);
    const created = await until(() => (receiver.events.length >= catalogue.codes.length ? receiver.events : undefined));
    expect(created.map((e) => e.eventType)).toEqual(catalogue.codes.map(() => "routing:wrapupcode:created"));
    expect(created.map((e) => [e.entity.name, e.entity.code]).sort()).toEqual(
      catalogue.codes.map((c) => [c.name, c.code]).sort(),
    );

    const outputs = await project.outputs("dev");
    expect(Object.keys(outputs.wrapUpCodes).sort()).toEqual(catalogue.codes.map((c) => c.resourceName).sort());
    for (const [key, out] of Object.entries<any>(outputs.wrapUpCodes)) {
      expect(codes.find((c: any) => c.id === out.codeId)?.name).toBe(out.name);
      codeIds.set(key, out.codeId);
    }
    expect(outputs.biSyncWebhook).toMatchObject({
      status: "active",
      lastDelivery: { delivered: catalogue.codes.length, pending: 0 },
    });

    const backend = fs.readdirSync(project.backendDir, { recursive: true, encoding: "utf8" });
    for (const file of backend) {
      const full = path.join(project.backendDir, file);
      if (fs.statSync(full).isFile()) expect(fs.readFileSync(full, "utf8")).not.toContain(em.clientSecret);
    }
  }, 240_000);

  it("previews an unchanged catalogue as no change, without a request", async () => {
    await em.resetStats();
    const preview = await project.preview("dev");
    expect(preview.result.code).toBe(0);
    expect(preview.json.changeSummary).toEqual({ same: catalogue.codes.length + 2 });
    expect((await em.stats()).total).toBe(0);
  }, 120_000);

  it("previews an edit of one code in the catalogue as exactly one update of the edited field, then applies it", async () => {
    const file = project.file("catalogue/wrapup-codes.yaml");
    const text = fs.readFileSync(file, "utf8");
    expect(text).toContain("name: Lead Qualified\n");
    fs.writeFileSync(file, text.replace("name: Lead Qualified\n", "name: Qualified Lead\n"));

    await em.resetStats();
    const preview = await project.preview("dev");
    expect(preview.result.code).toBe(0);
    const changed = preview.json.steps.filter((s) => s.op !== "same");
    // The code, and the webhook that will report it.
    expect(changed.map((s) => [s.op, nameOf(s.urn)])).toEqual([
      ["update", "lead-qualified"],
      ["update", "bi-sync"],
    ]);
    expect(preview.json.changeSummary).toEqual({ same: catalogue.codes.length, update: 2 });
    expect(changedInputs(changed[0])).toEqual(["name"]);
    expect((await em.stats()).total).toBe(0);

    receiver.events.length = 0;
    const up = await project.up("dev");
    expect(up.json.changeSummary).toEqual({ same: catalogue.codes.length, update: 2 });
    const code = (await em.api("GET", `/api/v2/routing/wrapupcodes/${codeIds.get("lead-qualified")}`)).body;
    expect(code).toMatchObject({ name: "Qualified Lead" });
    const events = await until(() => (receiver.events.length > 0 ? receiver.events : undefined));
    expect(events.map((e) => [e.eventType, e.entity.name, e.entity.code, e.changes])).toEqual([
      [
        "routing:wrapupcode:updated",
        "Qualified Lead",
        "LEAD_QUAL",
        [{ field: "name", before: "Lead Qualified", after: "Qualified Lead" }],
      ],
    ]);
  }, 240_000);

  it("stops a broken catalogue at preview with every problem named by entry and field, before any request", async () => {
    const broken = project.file("broken.yaml");
    fs.writeFileSync(
      broken,
      [
        "queues:",
        "  support:",
        "    tech-escalation:",
        "      name: Technical Escalation",
        "      code: 404",
        "      category: support",
        "      mandtory: true",
        "  sales:",
        "    sale-closed:",
        "      code: SALE_WON",
        "      category: sales",
        "",
      ].join("\n"),
    );
    await em.resetStats();
    const preview = await project.preview("dev", [], { WRAPUP_CATALOGUE: broken });
    expect(preview.result.code).not.toBe(0);
    const output = messages(preview);
    expect(output).toContain(`${broken} has 3 problems`);
    expect(output).toContain('queues.support.tech-escalation.code: must be text, got the number 404; quote it: "404"');
    expect(output).toContain("queues.support.tech-escalation.mandtory: unknown field; known: name, code, category");
    expect(output).toContain("queues.sales.sale-closed.name: is required");
    expect(output).not.toMatch(/at .*catalogue\.ts:\d+/); // no stack trace: the message is the whole story
    expect((await em.stats()).total).toBe(0);
  }, 120_000);

  it("refuses two entries with one name (case-insensitively) at preview, naming both, before any request", async () => {
    const file = project.file("twice.yaml");
    fs.writeFileSync(
      file,
      [
        "codes:",
        "  callback:",
        "    name: Callback Requested",
        "    queues: [support]",
        "    code: CB",
        "    category: support",
        "queues:",
        "  sales:",
        "    call-back:",
        "      name: CALLBACK requested",
        "      code: CB2",
        "      category: sales",
        "",
      ].join("\n"),
    );
    await em.resetStats();
    const preview = await project.preview("dev", [], { WRAPUP_CATALOGUE: file });
    expect(preview.result.code).not.toBe(0);
    expect(messages(preview)).toContain(
      'queues.sales.call-back.name: "CALLBACK requested" is also the name of codes.callback; names are unique in the ' +
        "organisation (case-insensitively)",
    );
    expect((await em.stats()).total).toBe(0);
  }, 120_000);

  it("names every entry whose values break the platform's rules in one preview, before any request", async () => {
    const file = project.file("bad-value.yaml");
    fs.writeFileSync(
      file,
      [
        "queues:",
        "  support:",
        "    tech-escalation:",
        "      name: Escalation/Tech",
        "      code: ESC_TECH",
        "      category: billing",
        "    resolved:",
        "      name: Resolved",
        "      code: RES",
        "      category: support",
        "  sales:",
        "    sale-closed:",
        "      name: Sale closed",
        "      code: SALE/WON",
        "      category: sales",
        "",
      ].join("\n"),
    );
    await em.resetStats();
    const preview = await project.preview("dev", [], { WRAPUP_CATALOGUE: file });
    expect(preview.result.code).not.toBe(0);
    const output = messages(preview);
    // Three broken fields in two entries of two queues: all named at once (the engine alone stops at the first
    // failing resource), in the catalogue's own terms.
    expect(output).toContain(`${file} has 3 problems`);
    expect(output).toContain("queues.support.tech-escalation.name: may contain only letters");
    expect(output).toContain('queues.support.tech-escalation.category: "billing" is not a disposition category');
    expect(output).toContain("queues.sales.sale-closed.code: may contain only letters");
    expect(output).not.toContain("queues.support.resolved");
    expect(preview.json.steps.filter((s) => s.urn.includes("WrapUpCode"))).toEqual([]);
    expect((await em.stats()).total).toBe(0);
  }, 120_000);

  it("previews the example prod stack in a real region without any network, once its placeholders are replaced", async () => {
    project.guardNetwork();
    await project.initStack("prod");

    const placeholders = await project.preview("prod");
    expect(placeholders.result.code).not.toBe(0);
    const output = messages(placeholders);
    for (const queue of ["support", "sales", "billing", "retention"]) {
      expect(output).toContain(`wrapup-codes:queues.${queue}: "REPLACE-ME-${queue}-queue-id" is not a queue id`);
    }

    const prodQueues: Record<string, string> = {
      support: "5b1a3c2e-7d4f-4e8a-9b6c-0d1e2f3a4b01",
      sales: "5b1a3c2e-7d4f-4e8a-9b6c-0d1e2f3a4b02",
      billing: "5b1a3c2e-7d4f-4e8a-9b6c-0d1e2f3a4b03",
      retention: "5b1a3c2e-7d4f-4e8a-9b6c-0d1e2f3a4b04",
    };
    for (const [queue, id] of Object.entries(prodQueues)) {
      await project.mustRun("prod", ["config", "set", "--path", `wrapup-codes:queues.${queue}`, id]);
    }
    await project.mustRun("prod", ["config", "set", "--secret", "genesys:clientSecret", "not-a-real-secret"]);
    fs.writeFileSync(project.networkLog, "");
    const preview = await project.preview("prod", [], {
      // The prod stack must not reach the emulator through the environment either.
      GENESYSCLOUD_API_URL: "",
      GENESYSCLOUD_OAUTHCLIENT_ID: "",
      GENESYSCLOUD_OAUTHCLIENT_SECRET: "",
    });
    expect(preview.result.code).toBe(0);
    const creates = stepsOf(preview.json, "genesys:WrapUpCode");
    expect(creates.map((s) => s.op)).toEqual(catalogue.codes.map(() => "create"));
    expect(creates.map((s) => [nameOf(s.urn), s.newState?.inputs?.queueIds]).sort()).toEqual(
      catalogue.codes.map((c) => [c.resourceName, c.queues.map((q) => prodQueues[q])]).sort(),
    );
    const events = project.networkEvents();
    // The guard ran in the program and in the dynamic-provider host (which checked every code) and refused nothing.
    expect(events.some((e) => e.event === "loaded" && /dynamic-provider/.test(e.script))).toBe(true);
    expect(events.filter((e) => e.event === "refused")).toEqual([]);
  }, 240_000);
});
