import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { EmulatorProcess, QUEUES, startEmulator } from "../support/emulator";
import { REPO_ROOT } from "../support/pulumi";
import { ProjectCopy, messages, nameOf } from "./project";

// examples/multi-env: one program, a dev and a prod stack in different regions. dev runs against the emulator
// (GENESYSCLOUD_API_URL stands in for its region); prod, in eu-central-1, is previewed, which must make no API
// request: every node process the CLI starts loads a guard that refuses and records non-loopback connections.

const prodConfig = (
  yaml.load(fs.readFileSync(path.join(REPO_ROOT, "examples/multi-env/Pulumi.prod.yaml"), "utf8")) as any
).config;

describe("examples/multi-env", () => {
  let em: EmulatorProcess;
  let project: ProjectCopy;

  beforeAll(async () => {
    em = await startEmulator({ profile: "platform" });
    project = ProjectCopy.create("examples/multi-env");
    project.guardNetwork();
    await project.initStack("dev");
    await project.initStack("prod", {}, { "genesys:clientSecret": "prod-secret-never-sent" });
  }, 180_000);
  afterAll(async () => {
    await em?.stop();
    project?.cleanup();
  });

  const emulatorEnv = () => ({
    GENESYSCLOUD_API_URL: em.url,
    GENESYSCLOUD_OAUTHCLIENT_ID: em.clientId,
    GENESYSCLOUD_OAUTHCLIENT_SECRET: em.clientSecret,
  });

  it("deploys the dev stack, with its pilot code and env:dev tags, to the emulator", async () => {
    const up = await project.up("dev", [], emulatorEnv());
    expect(up.result.code).toBe(0);
    expect(up.json.changeSummary).toEqual({ create: 4 });
    // The organisation holds the codes on their queues; short code and tags are the stack's (its state).
    const codes = (await em.api("GET", "/api/v2/routing/wrapupcodes?pageSize=500")).body.entities;
    const state = project.stateResources("dev", "genesys-multi-env").filter((r) => r.urn.includes("WrapUpCode"));
    expect(state.map((r) => r.id).sort()).toEqual(codes.map((c: any) => c.id).sort());
    expect(
      state.map((r) => [r.outputs?.queueIds, r.outputs?.code, (r.outputs?.reportingTags as string[]).at(-1)]).sort(),
    ).toEqual(
      [
        [[QUEUES.Support], "ESC_TECH", "env:dev"],
        [[QUEUES.Sales], "SALE_WON", "env:dev"],
        [[QUEUES.Support], "PILOT_SURVEY", "env:dev"],
      ].sort(),
    );
    for (const r of state) {
      const members = (await em.api("GET", `/api/v2/routing/queues/${r.outputs!.queueId}/wrapupcodes`)).body.entities;
      expect(members.map((m: any) => m.id)).toContain(r.id);
    }
    expect(project.networkEvents().filter((e) => e.event === "refused")).toEqual([]);
  }, 240_000);

  it("previews the prod stack in its own region and queues, without pilot codes and without any network", async () => {
    fs.writeFileSync(project.networkLog, "");
    await em.resetStats();
    const preview = await project.preview("prod");
    expect(preview.result.code).toBe(0);
    const steps = preview.json.steps.filter((s) => s.urn.includes("genesys:WrapUpCode"));
    const planned = steps.map((s) => [s.op, nameOf(s.urn), s.newState?.inputs?.queueIds, s.newState?.inputs?.tags]);
    expect(planned.sort()).toEqual(
      [
        ["create", "tech-escalation", [prodConfig["genesys-multi-env:queues"].support], ["env:prod"]],
        ["create", "sale-closed", [prodConfig["genesys-multi-env:queues"].sales], ["env:prod"]],
      ].sort(),
    );
    const events = project.networkEvents();
    expect(events.some((e) => e.event === "loaded" && /dynamic-provider/.test(e.script))).toBe(true);
    expect(events.filter((e) => e.event === "refused")).toEqual([]);
    expect((await em.stats()).total).toBe(0);
    // The secret is kept encrypted in the stack's config file.
    expect(fs.readFileSync(project.file("Pulumi.prod.yaml"), "utf8")).not.toContain("prod-secret-never-sent");
  }, 120_000);

  it("sends the prod stack's requests to its region's login host, never to the emulator", async () => {
    // `up` must call the API: the guard refuses the connection before anything leaves the machine, and records
    // where it was going. The client retries an unreachable network a few times, then the update fails.
    fs.writeFileSync(project.networkLog, "");
    await em.resetStats();
    const up = await project.up("prod");
    expect(up.result.code).not.toBe(0);
    expect(messages(up)).toContain(
      "OAuth token request to https://login.mypurecloud.de/oauth/token failed: network.ENETUNREACH",
    );
    expect(messages(up)).not.toContain("prod-secret-never-sent");
    const refused = project.networkEvents().filter((e) => e.event === "refused");
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(refused.map((e) => `${e.host}:${e.port}`))).toEqual(new Set(["login.mypurecloud.de:443"]));
    expect((await em.stats()).total).toBe(0);
  }, 240_000);
});
