/**
 * The platform profile driven by the official Genesys Cloud JS SDK (purecloud-platform-client-v2), a client
 * nobody here wrote: its own calls, its own URL building and query serialisation, its own client-credentials
 * login. The SDK is pointed at the emulator with ApiClient.setGateway (both login and API go to the gateway).
 * If one of these calls fails against the emulator, the emulator is wrong.
 */
import platformClient = require("purecloud-platform-client-v2");
import { EmulatorProcess, NOSCOPE_CLIENT, QUEUES, startEmulator } from "../support/emulator";
import { EUROPE_DIVISION_ID, HOME_DIVISION_ID, platformName } from "./helpers";

let em: EmulatorProcess;
const client = platformClient.ApiClient.instance;
const routing = new platformClient.RoutingApi(client);
const authorization = new platformClient.AuthorizationApi(client);
const organization = new platformClient.OrganizationApi(client);

/** What the SDK rejects with on an API error (without extended responses): the ErrorBody. */
async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected the SDK call to fail");
}

beforeAll(async () => {
  em = await startEmulator({ profile: "platform", config: { requestsPerMinute: 100_000 } });
  const url = new URL(em.url);
  client.setGateway({ host: url.hostname, protocol: "http", port: Number(url.port) });
  await client.loginClientCredentialsGrant(em.clientId, em.clientSecret);
});
afterAll(async () => {
  await em?.stop();
});

test("client-credentials login: a wrong secret is refused with the server's 401", async () => {
  const err = await rejection(client.loginClientCredentialsGrant(em.clientId, "wrong"));
  expect(err.response?.status).toBe(401);
  expect(err.response?.data).toMatchObject({ error: "invalid_client" });
  await client.loginClientCredentialsGrant(em.clientId, em.clientSecret);
});

test("codes: create, get, update, delete through RoutingApi", async () => {
  const name = `Suivi équipement ${platformName()}`;
  const created = await routing.postRoutingWrapupcodes({
    name,
    description: "SDK",
    division: { id: EUROPE_DIVISION_ID },
  });
  expect(created).toMatchObject({ name, description: "SDK", division: { id: EUROPE_DIVISION_ID, name: "Europe" } });
  const got = await routing.getRoutingWrapupcode(created.id!);
  expect(got).toEqual(created);
  const updated = await routing.putRoutingWrapupcode(created.id!, { name: `${name} v2` });
  expect(updated).toMatchObject({ id: created.id, name: `${name} v2`, division: { id: EUROPE_DIVISION_ID } });
  await routing.deleteRoutingWrapupcode(created.id!);
  const err = await rejection(routing.getRoutingWrapupcode(created.id!));
  expect(err).toMatchObject({ status: 404, code: "not.found", entityId: created.id });
  const views = await routing.getRoutingWrapupcodesDivisionviews({ id: [created.id!], includeState: "Deleted" });
  expect(views.entities?.map((c) => c.id)).toEqual([created.id]);
});

test("paging through every page with getRoutingWrapupcodes, and the id filter as the SDK sends it", async () => {
  const stem = platformName("SdkPage");
  const ids: string[] = [];
  for (let i = 0; i < 23; i++) ids.push((await routing.postRoutingWrapupcodes({ name: `${stem} ${i}` })).id!);
  const seen: string[] = [];
  let pageNumber = 1;
  for (;;) {
    const page = await routing.getRoutingWrapupcodes({ pageSize: 5, pageNumber, name: stem, sortBy: "name" });
    seen.push(...page.entities!.map((c) => c.id!));
    expect(page.total).toBe(23);
    if (!page.nextUri) break;
    pageNumber++;
  }
  expect(pageNumber).toBe(5);
  expect(seen.sort()).toEqual([...ids].sort());
  const some = await routing.getRoutingWrapupcodes({ id: ids.slice(0, 3), pageSize: 100 });
  expect(some.entities!.map((c) => c.id).sort()).toEqual(ids.slice(0, 3).sort());
  const desc = await routing.getRoutingWrapupcodes({ name: stem, sortOrder: "descending", pageSize: 1 });
  expect(desc.entities![0].name).toBe(`${stem} 9`);
});

test("membership: add, list, remove through RoutingApi", async () => {
  const queues = await routing.getRoutingQueues({ name: "Support" });
  expect(queues.entities?.map((q) => q.id)).toEqual([QUEUES.Support]);
  const queue = await routing.getRoutingQueue(QUEUES.Support);
  expect(queue.acwSettings).toEqual({ wrapupPrompt: "OPTIONAL", timeoutMs: 0 });
  const a = await routing.postRoutingWrapupcodes({ name: platformName("SdkMember") });
  const b = await routing.postRoutingWrapupcodes({ name: platformName("SdkMember") });
  const added = await routing.postRoutingQueueWrapupcodes(QUEUES.Support, [{ id: a.id }, { id: b.id }]);
  expect(added.map((c) => c.id)).toEqual([a.id, b.id]);
  const listed = await routing.getRoutingQueueWrapupcodes(QUEUES.Support, { pageSize: 100, name: "SdkMember*" });
  expect(listed.entities!.map((c) => c.id).sort()).toEqual([a.id, b.id].sort());
  await routing.deleteRoutingQueueWrapupcode(QUEUES.Support, a.id!);
  const after = await routing.getRoutingQueueWrapupcodes(QUEUES.Support, { pageSize: 100, name: "SdkMember*" });
  expect(after.entities!.map((c) => c.id)).toEqual([b.id]);
  const err = await rejection(routing.deleteRoutingQueueWrapupcode(QUEUES.Support, a.id!));
  expect(err).toMatchObject({ status: 404, code: "not.found" });
});

test("divisions and limits through AuthorizationApi and OrganizationApi", async () => {
  const home = await authorization.getAuthorizationDivisionsHome();
  expect(home).toMatchObject({ id: HOME_DIVISION_ID, name: "Home", homeDivision: true });
  const europe = await authorization.getAuthorizationDivision(EUROPE_DIVISION_ID);
  expect(europe.name).toBe("Europe");
  const list = await authorization.getAuthorizationDivisions({ name: "Europe" });
  expect(list.entities?.map((d) => d.id)).toEqual([EUROPE_DIVISION_ID]);
  const limits = await organization.getOrganizationsLimitsNamespace("routing");
  expect(limits.entities).toContainEqual({
    key: "max.wrapup.codes.per.membership.request",
    namespace: "routing",
    value: 100,
  });
  const docs = await organization.getOrganizationsLimitsDocs();
  expect(docs.namespaces?.[0].name).toBe("routing");
});

test("error bodies as the SDK hands them over: duplicate, validation, 101 per POST, queue limit, 404 extended, 403", async () => {
  const name = platformName("SdkDup");
  await routing.postRoutingWrapupcodes({ name });
  const dup = await rejection(routing.postRoutingWrapupcodes({ name: name.toLowerCase() }));
  expect(dup).toMatchObject({
    status: 400,
    code: "duplicate.name",
    message: "A wrapup code with this name already exists.",
  });
  expect(dup.contextId).toEqual(expect.any(String));
  const tooMany = await rejection(
    routing.postRoutingQueueWrapupcodes(
      QUEUES.Sales,
      Array.from({ length: 101 }, () => ({ id: HOME_DIVISION_ID })),
    ),
  );
  expect(tooMany).toMatchObject({ status: 400, code: "bad.request" });
  await em.config({ queueCodeLimit: 1 });
  try {
    const [x, y] = [
      await routing.postRoutingWrapupcodes({ name: platformName() }),
      await routing.postRoutingWrapupcodes({ name: platformName() }),
    ];
    const limited = await rejection(
      routing.postRoutingQueueWrapupcodes(QUEUES.Retention, [{ id: x.id }, { id: y.id }]),
    );
    expect(limited).toMatchObject({
      status: 400,
      code: "limit.exceeded",
      limit: { namespace: "routing", key: "max.wrapup.codes.per.queue", value: 1 },
    });
  } finally {
    await em.config({ queueCodeLimit: 0 });
  }
  const invalid = await rejection(routing.postRoutingWrapupcodes({ name: " " }));
  expect(invalid).toMatchObject({ status: 400, code: "invalid.value", details: [{ fieldName: "name" }] });

  client.setReturnExtendedResponses(true);
  try {
    const extended = await rejection(routing.getRoutingWrapupcode("00000000-0000-4000-8000-000000000000"));
    expect(extended.status).toBe(404);
    expect(extended.headers["inin-correlation-id"]).toBe(extended.body.contextId);
  } finally {
    client.setReturnExtendedResponses(false);
  }

  await client.loginClientCredentialsGrant(NOSCOPE_CLIENT.clientId, NOSCOPE_CLIENT.clientSecret);
  try {
    const forbidden = await rejection(routing.getRoutingWrapupcodes());
    expect(forbidden).toMatchObject({ status: 403, code: "missing.permissions" });
    expect(forbidden.message).toContain("routing:wrapupCode:view");
  } finally {
    await client.loginClientCredentialsGrant(em.clientId, em.clientSecret);
  }
});
