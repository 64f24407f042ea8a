import { EmulatorProcess, QUEUES, startEmulator } from "../support/emulator";
import { PulumiProject } from "../support/pulumi";

// 200 codes in 4 queues through the real CLI: the provider spends one token, one count per queue and one POST per
// code, whatever the engine's parallelism.

describe("pulumi up of 200 codes in 4 queues", () => {
  let em: EmulatorProcess;
  let project: PulumiProject;

  beforeAll(async () => {
    em = await startEmulator();
    project = await PulumiProject.create({
      config: { "genesys:apiUrl": em.url, "genesys:apiProfile": "tutorial", "genesys:clientId": em.clientId },
      secrets: { "genesys:clientSecret": em.clientSecret },
    });
  }, 180_000);
  afterAll(async () => {
    await em?.stop();
    project?.cleanup();
  });

  it("makes at most 200 + 4 + 1 API requests and creates every code once", async () => {
    const queues = Object.values(QUEUES);
    const resources = Array.from({ length: 200 }, (_, i) => ({
      type: "WrapUpCode",
      name: `code-${i}`,
      args: {
        name: `Scale Code ${i}`,
        code: `SC_${i}`,
        category: ["sales", "support", "compliance"][i % 3],
        queueId: queues[i % 4],
      },
    }));
    project.writeSpec(resources);
    await em.resetStats();
    const up = await project.up(["--parallel", "32"]);
    expect(up.result.code).toBe(0);
    expect(up.json.changeSummary).toEqual({ create: 201 });
    const stats = await em.stats();
    expect(stats.total).toBeLessThanOrEqual(205);
    expect(stats.byRoute["POST /api/v2/routing/wrapupcodes 200"]).toBe(200);
    for (const queueId of queues) {
      const res = await em.api("GET", `/api/v2/routing/queues/${queueId}/wrapupcodes?pageSize=1`);
      expect(res.body.total).toBe(50);
    }
    const sizes = project
      .stateResources()
      .filter((r) => r.type.endsWith("genesys:WrapUpCode"))
      .map((r) => Buffer.byteLength(JSON.stringify(r)));
    expect(sizes).toHaveLength(200);
    expect(Math.max(...sizes)).toBeLessThan(4096);
  }, 600_000);
});
