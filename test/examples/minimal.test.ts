import { EmulatorProcess, QUEUES, startEmulator } from "../support/emulator";
import { ProjectCopy, nameOf } from "./project";

// examples/minimal as its README runs it: one code through preview, up, a no-op run and destroy, against the
// emulator, with the connection and credentials given through GENESYSCLOUD_* environment variables.

describe("examples/minimal", () => {
  let em: EmulatorProcess;
  let project: ProjectCopy;

  beforeAll(async () => {
    em = await startEmulator({ profile: "platform" });
    project = ProjectCopy.create("examples/minimal", {
      env: {
        GENESYSCLOUD_API_URL: em.url,
        GENESYSCLOUD_OAUTHCLIENT_ID: em.clientId,
        GENESYSCLOUD_OAUTHCLIENT_SECRET: em.clientSecret,
      },
    });
    await project.initStack("dev", { queueId: QUEUES.Support });
  }, 180_000);
  afterAll(async () => {
    await em?.stop();
    project?.cleanup();
  });

  it("previews the code with its effective reporting tags, without a request", async () => {
    await em.resetStats();
    const preview = await project.preview("dev");
    expect(preview.result.code).toBe(0);
    const step = preview.json.steps.find((s) => nameOf(s.urn) === "tech-escalation")!;
    expect(step.op).toBe("create");
    expect(step.newState?.inputs?.reportingTags).toEqual([
      "cat:support",
      "sub:resolved",
      "sub:escalation",
      "sub:callback",
      "priority:high",
    ]);
    expect((await em.stats()).total).toBe(0);
  }, 120_000);

  it("creates the code, reports its id, changes nothing on a second run and deletes it on destroy", async () => {
    const up = await project.up("dev");
    expect(up.result.code).toBe(0);
    expect(up.json.changeSummary).toEqual({ create: 2 });
    const { codeId, reportingTags } = await project.outputs("dev");
    const code = (await em.api("GET", `/api/v2/routing/wrapupcodes/${codeId}`)).body;
    expect(code).toMatchObject({
      name: "Technical Escalation",
      description: "Handed to second-line technical support",
    });
    const members = (await em.api("GET", `/api/v2/routing/queues/${QUEUES.Support}/wrapupcodes`)).body.entities;
    expect(members.map((m: { id: string }) => m.id)).toEqual([codeId]);
    // What the platform does not hold is the stack's: the reporting tags, derived from the category.
    expect(reportingTags).toEqual(["cat:support", "sub:resolved", "sub:escalation", "sub:callback", "priority:high"]);

    await em.resetStats();
    const again = await project.up("dev");
    expect(again.json.changeSummary).toEqual({ same: 2 });
    expect((await em.stats()).total).toBe(0);

    const destroy = await project.destroy("dev");
    expect(destroy.result.code).toBe(0);
    expect((await em.api("GET", `/api/v2/routing/wrapupcodes/${codeId}`)).status).toBe(404);
  }, 240_000);
});
