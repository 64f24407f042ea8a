import { EmulatorProcess, QUEUES, startEmulator } from "../support/emulator";
import { ProjectCopy, nameOf } from "./project";

// examples/adopt: codes made by hand before the stack existed are taken over (same ids, updated in place to the
// declared values), never duplicated; and `pulumi destroy` leaves them in the organisation (retainOnDelete).

describe("examples/adopt", () => {
  let em: EmulatorProcess;
  let project: ProjectCopy;
  const handMade: Record<string, string> = {};

  beforeAll(async () => {
    em = await startEmulator({ profile: "platform" });
    // Made in the "admin UI": one with the declared name, one spelled in other letter case; one on the queue.
    for (const [name, code] of [
      ["Callback Requested", "CB_REQ"],
      ["resolved first contact", "RES_FCR"],
    ]) {
      const res = await em.api("POST", "/api/v2/routing/wrapupcodes", { name });
      expect(res.status).toBe(200);
      handMade[code] = res.body.id;
    }
    const member = await em.api("POST", `/api/v2/routing/queues/${QUEUES.Support}/wrapupcodes`, [
      { id: handMade.CB_REQ },
    ]);
    expect(member.status).toBe(200);
    project = ProjectCopy.create("examples/adopt", {
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

  const orgCodes = async () => (await em.api("GET", "/api/v2/routing/wrapupcodes?pageSize=500")).body.entities;
  const queueCodes = async () =>
    (await em.api("GET", `/api/v2/routing/queues/${QUEUES.Support}/wrapupcodes?pageSize=500`)).body.entities;

  it("adopts the existing codes: same ids, declared values, no duplicate", async () => {
    await em.resetStats();
    const up = await project.up("dev");
    expect(up.result.code).toBe(0);
    expect(up.json.changeSummary).toEqual({ create: 3 });

    // Nothing was created: the hand-made codes were found before any create, updated to the declared values,
    // and put on the declared queue (one of them already was).
    expect(await em.stats().then((s) => s.byRoute["POST /api/v2/routing/wrapupcodes 200"])).toBeUndefined();
    expect((await queueCodes()).map((c: any) => c.id).sort()).toEqual(Object.values(handMade).sort());
    const codes = await orgCodes();
    expect(codes.map((c: any) => [c.id, c.name, c.description]).sort()).toEqual(
      [
        [handMade.CB_REQ, "Callback Requested", "Managed by Pulumi (adopted)"],
        [handMade.RES_FCR, "Resolved First Contact", "Managed by Pulumi (adopted)"],
      ].sort(),
    );
    const state = project.stateResources("dev", "genesys-adopt").filter((r) => r.urn.includes("WrapUpCode"));
    expect(state.map((r) => [nameOf(r.urn), r.id, r.outputs?.audit?.action]).sort()).toEqual(
      [
        ["callback-requested", handMade.CB_REQ, "adopt"],
        ["resolved-first-contact", handMade.RES_FCR, "adopt"],
      ].sort(),
    );

    await em.resetStats();
    const again = await project.preview("dev");
    expect(again.json.changeSummary).toEqual({ same: 3 });
    expect((await em.stats()).total).toBe(0);
  }, 240_000);

  it("forgets the adopted codes on destroy and leaves them in the organisation", async () => {
    const destroy = await project.destroy("dev");
    expect(destroy.result.code).toBe(0);
    expect(project.stateResources("dev", "genesys-adopt")).toEqual([]);
    expect((await orgCodes()).map((c: any) => c.id).sort()).toEqual(Object.values(handMade).sort());
  }, 120_000);
});
