/**
 * Platform profile, pick for eventual consistency (config consistencyLagMs): reads lag, writes do not. For lagMs
 * after a create the code is missing from GET by id and every listing; for lagMs after a delete it is still there.
 */
import { EmulatorProcess, QUEUES, startEmulator } from "../support/emulator";
import { CODES, expectErrorBody, platformName, QUEUES_PATH } from "./helpers";

const LAG = 800;
let em: EmulatorProcess;

beforeAll(async () => {
  em = await startEmulator({ profile: "platform", config: { requestsPerMinute: 100_000, consistencyLagMs: LAG } });
});
afterAll(async () => {
  await em?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ids = (res: { body: { entities: { id: string }[] } }) => res.body.entities.map((c) => c.id);
const queueCodes = `${QUEUES_PATH}/${QUEUES.Billing}/wrapupcodes?pageSize=500`;

test("after a create: reads miss the code for lagMs, writes see it at once", async () => {
  const name = platformName("Lagging");
  const created = await em.api("POST", CODES, { name });
  expect(created.status).toBe(200);
  const id = created.body.id;
  const started = Date.now();

  expectErrorBody(await em.api("GET", `${CODES}/${id}`), 404, "not.found");
  expect(ids(await em.api("GET", `${CODES}?pageSize=500`))).not.toContain(id);
  expect((await em.api("GET", `${CODES}?id=${id}`)).body.total).toBe(0);
  // writes are consistent at once: membership, uniqueness, update
  expect((await em.api("POST", `${QUEUES_PATH}/${QUEUES.Billing}/wrapupcodes`, [{ id }])).status).toBe(200);
  expect(ids(await em.api("GET", queueCodes))).not.toContain(id);
  expectErrorBody(await em.api("POST", CODES, { name }), 400, "duplicate.name");
  const renamed = await em.api("PUT", `${CODES}/${id}`, { name: `${name} v2` });
  expect(renamed.status).toBe(200);
  expect(Date.now() - started).toBeLessThan(LAG);

  await sleep(LAG - (Date.now() - started) + 50);
  const got = await em.api("GET", `${CODES}/${id}`);
  expect(got.status).toBe(200);
  expect(got.body.name).toBe(`${name} v2`);
  expect(ids(await em.api("GET", `${CODES}?pageSize=500`))).toContain(id);
  expect((await em.api("GET", `${CODES}?id=${id}`)).body.total).toBe(1);
  expect(ids(await em.api("GET", queueCodes))).toContain(id);
});

test("after a delete: reads still see the code as it was for lagMs; its name is free at once", async () => {
  const name = platformName("Leaving");
  const id = (await em.api("POST", CODES, { name, description: "as it was" })).body.id;
  await em.api("POST", `${QUEUES_PATH}/${QUEUES.Billing}/wrapupcodes`, [{ id }]);
  await sleep(LAG + 50);
  expect((await em.api("GET", `${CODES}/${id}`)).status).toBe(200);

  expect((await em.api("DELETE", `${CODES}/${id}`)).status).toBe(200);
  const started = Date.now();
  const got = await em.api("GET", `${CODES}/${id}`);
  expect(got.status).toBe(200);
  expect(got.body).toMatchObject({ id, name, description: "as it was" });
  expect(ids(await em.api("GET", `${CODES}?pageSize=500`))).toContain(id);
  expect(ids(await em.api("GET", queueCodes))).toContain(id);
  // writes see the delete at once
  expectErrorBody(await em.api("PUT", `${CODES}/${id}`, { name }), 404, "not.found");
  expectErrorBody(await em.api("DELETE", `${CODES}/${id}`), 404, "not.found");
  expectErrorBody(await em.api("POST", `${QUEUES_PATH}/${QUEUES.Billing}/wrapupcodes`, [{ id }]), 404, "not.found");
  const reborn = await em.api("POST", CODES, { name });
  // The new code has its own lag, from its creation: wait it out too (on a loaded machine the requests above can
  // take longer than the 50 ms margin).
  const rebornAt = Date.now();
  expect(reborn.status).toBe(200);
  expect(rebornAt - started).toBeLessThan(LAG);

  await sleep(LAG - (Date.now() - rebornAt) + 50);
  expectErrorBody(await em.api("GET", `${CODES}/${id}`), 404, "not.found");
  expect(ids(await em.api("GET", `${CODES}?pageSize=500`))).not.toContain(id);
  expect(ids(await em.api("GET", queueCodes))).not.toContain(id);
  expect((await em.api("GET", `${CODES}/${reborn.body.id}`)).status).toBe(200);
});

test("with consistencyLagMs 0 (the default) reads are consistent at once", async () => {
  await em.config({ consistencyLagMs: 0 });
  const id = (await em.api("POST", CODES, { name: platformName() })).body.id;
  expect((await em.api("GET", `${CODES}/${id}`)).status).toBe(200);
  await em.api("DELETE", `${CODES}/${id}`);
  expect((await em.api("GET", `${CODES}/${id}`)).status).toBe(404);
});
