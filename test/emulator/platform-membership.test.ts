/** Platform profile: queues, queue membership (section 3), divisions, the limits API (section 5). */
import { EmulatorProcess, QUEUES, startEmulator } from "../support/emulator";
import {
  CODES,
  DIVISIONS,
  EUROPE_DIVISION_ID,
  expectErrorBody,
  HOME_DIVISION_ID,
  platformName,
  QUEUES_PATH,
} from "./helpers";

let em: EmulatorProcess;

beforeAll(async () => {
  em = await startEmulator({
    profile: "platform",
    config: { requestsPerMinute: 100_000 },
    seed: { divisions: [{ name: "Americas", description: "North and South" }] },
  });
});
afterAll(async () => {
  await em?.stop();
});

async function newCode(name = platformName()): Promise<{ id: string; name: string }> {
  const res = await em.api("POST", CODES, { name });
  expect(res.status).toBe(200);
  return res.body;
}

async function newQueue(): Promise<string> {
  const res = await fetch(`${em.url}/__emulator/seed/queues`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ queues: [{ name: platformName("Queue") }] }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { queues: { id: string }[] }).queues[0].id;
}

const members = (queueId: string, query = "") => em.api("GET", `${QUEUES_PATH}/${queueId}/wrapupcodes${query}`);
const add = (queueId: string, ids: string[]) =>
  em.api(
    "POST",
    `${QUEUES_PATH}/${queueId}/wrapupcodes`,
    ids.map((id) => ({ id })),
  );

describe("queues", () => {
  test("a queue has acwSettings and no wrap-up code field", async () => {
    const res = await em.api("GET", `${QUEUES_PATH}/${QUEUES.Support}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: QUEUES.Support,
      name: "Support",
      division: { id: HOME_DIVISION_ID, name: "Home", selfUri: `${DIVISIONS}/${HOME_DIVISION_ID}` },
      memberCount: 0,
      dateCreated: expect.any(String),
      acwSettings: { wrapupPrompt: "OPTIONAL", timeoutMs: 0 },
      selfUri: `${QUEUES_PATH}/${QUEUES.Support}`,
    });
    expectErrorBody(await em.api("GET", `${QUEUES_PATH}/00000000-0000-4000-8000-000000000000`), 404, "not.found");
  });

  test.each([
    ["support", ["Support"]],
    ["SUP*", ["Support"]],
    ["*ales", ["Sales"]],
    ["*e*", ["Retention", "Sales"]],
    ["S*t", []],
    ["Sup", []],
  ])("name=%s: exact, case-insensitive, * only leading or trailing", async (name, expected) => {
    const res = await em.api("GET", `${QUEUES_PATH}?name=${encodeURIComponent(name)}&pageSize=500`);
    expect(res.body.entities.map((q: { name: string }) => q.name).filter((n: string) => !n.includes(" "))).toEqual(
      expected,
    );
  });
});

describe("membership", () => {
  test("POST adds codes and answers the bare array of WrapupCodes; GET lists them with the listing envelope", async () => {
    const queue = await newQueue();
    const a = await newCode(platformName("Alpha"));
    const b = await newCode(platformName("Beta"));
    const res = await add(queue, [b.id, a.id]);
    expect(res.status).toBe(200);
    expect(res.body.map((c: { id: string }) => c.id)).toEqual([b.id, a.id]);
    expect(res.body[0]).toMatchObject({ id: b.id, name: b.name, division: { id: HOME_DIVISION_ID } });
    const list = await members(queue);
    expect(list.body).toMatchObject({ total: 2, pageNumber: 1, pageSize: 25, pageCount: 1 });
    expect(list.body.entities.map((c: { id: string }) => c.id)).toEqual([a.id, b.id]);
    expect(list.body).not.toHaveProperty("nextUri");
  });

  test("adding codes already on the queue is accepted and adds nothing", async () => {
    const queue = await newQueue();
    const a = await newCode();
    expect((await add(queue, [a.id])).status).toBe(200);
    const again = await add(queue, [a.id, a.id]);
    expect(again.status).toBe(200);
    expect((await members(queue)).body.total).toBe(1);
  });

  test("1..100 codes per POST: 100 is fine, 101 is 400 bad.request, none is 400", async () => {
    const queue = await newQueue();
    const codes = [];
    for (let i = 0; i < 101; i++) codes.push(await newCode());
    const over = await add(
      queue,
      codes.map((c) => c.id),
    );
    expectErrorBody(over, 400, "bad.request");
    expect(over.body.message).toContain("100");
    expect((await members(queue)).body.total).toBe(0);
    expect(
      (
        await add(
          queue,
          codes.slice(0, 100).map((c) => c.id),
        )
      ).status,
    ).toBe(200);
    expect((await members(queue)).body.total).toBe(100);
    expectErrorBody(await add(queue, []), 400, "bad.request");
    expectErrorBody(
      await em.api("POST", `${QUEUES_PATH}/${queue}/wrapupcodes`, { id: codes[100].id }),
      400,
      "bad.request",
    );
  });

  test("an unknown or deleted code id is 404 not.found with its entityId, and nothing is added", async () => {
    const queue = await newQueue();
    const good = await newCode();
    const gone = await newCode();
    await em.api("DELETE", `${CODES}/${gone.id}`);
    for (const bad of ["00000000-0000-4000-8000-000000000000", gone.id]) {
      const res = await add(queue, [good.id, bad]);
      expectErrorBody(res, 404, "not.found");
      expect(res.body.entityId).toBe(bad);
    }
    expect((await members(queue)).body.total).toBe(0);
  });

  test("DELETE removes one code (200, no body); a code not on the queue is 404", async () => {
    const queue = await newQueue();
    const a = await newCode();
    await add(queue, [a.id]);
    const del = await em.api("DELETE", `${QUEUES_PATH}/${queue}/wrapupcodes/${a.id}`);
    expect(del.status).toBe(200);
    expect(del.text).toBe("");
    expect((await members(queue)).body.total).toBe(0);
    expectErrorBody(await em.api("DELETE", `${QUEUES_PATH}/${queue}/wrapupcodes/${a.id}`), 404, "not.found");
  });

  test("an unknown queue is 404 for every membership call", async () => {
    const a = await newCode();
    const q = "00000000-0000-4000-8000-000000000000";
    expectErrorBody(await members(q), 404, "not.found");
    expectErrorBody(await add(q, [a.id]), 404, "not.found");
    expectErrorBody(await em.api("DELETE", `${QUEUES_PATH}/${q}/wrapupcodes/${a.id}`), 404, "not.found");
  });

  test("a code is on any number of queues; deleting it removes it from every queue", async () => {
    const q1 = await newQueue();
    const q2 = await newQueue();
    const a = await newCode();
    await add(q1, [a.id]);
    await add(q2, [a.id]);
    expect((await members(q1)).body.total).toBe(1);
    expect((await members(q2)).body.total).toBe(1);
    expect((await em.api("DELETE", `${CODES}/${a.id}`)).status).toBe(200);
    expect((await members(q1)).body.total).toBe(0);
    expect((await members(q2)).body.total).toBe(0);
  });

  test("paging and the name filter (trailing *) of a queue's codes", async () => {
    const queue = await newQueue();
    const stem = platformName("Page");
    const ids = [];
    for (let i = 0; i < 12; i++) ids.push((await newCode(`${stem} ${String(i).padStart(2, "0")}`)).id);
    const other = await newCode(platformName("Other"));
    await add(queue, [...ids, other.id]);
    const page2 = await members(queue, "?pageSize=5&pageNumber=2");
    expect(page2.body).toMatchObject({ total: 13, pageCount: 3, pageNumber: 2 });
    expect(page2.body.entities).toHaveLength(5);
    const named = await members(queue, `?name=${encodeURIComponent(stem.toLowerCase())}*&pageSize=100`);
    expect(named.body.total).toBe(12);
    const exact = await members(queue, `?name=${encodeURIComponent(other.name)}`);
    expect(exact.body.entities.map((c: { id: string }) => c.id)).toEqual([other.id]);
  });

  test("queueCodeLimit: adding past it is 400 limit.exceeded with the limit, nothing added", async () => {
    const queue = await newQueue();
    const codes = [await newCode(), await newCode(), await newCode(), await newCode()];
    await em.config({ queueCodeLimit: 3 });
    try {
      expect((await add(queue, [codes[0].id, codes[1].id])).status).toBe(200);
      const over = await add(queue, [codes[1].id, codes[2].id, codes[3].id]);
      expectErrorBody(over, 400, "limit.exceeded");
      expect(over.body.limit).toEqual({ namespace: "routing", key: "max.wrapup.codes.per.queue", value: 3 });
      expect((await members(queue)).body.total).toBe(2);
      // codes already on the queue do not count again
      expect((await add(queue, [codes[0].id, codes[1].id, codes[2].id])).status).toBe(200);
      expect((await members(queue)).body.total).toBe(3);
      const limits = await em.api("GET", "/api/v2/organizations/limits/namespaces/routing");
      expect(limits.body.entities).toContainEqual({
        key: "max.wrapup.codes.per.queue",
        namespace: "routing",
        value: 3,
      });
    } finally {
      await em.config({ queueCodeLimit: 0 });
    }
    expect((await add(queue, [codes[3].id])).status).toBe(200);
  });
});

describe("divisions", () => {
  test("home, one by id, the listing with a name filter; unknown id is 404", async () => {
    const home = await em.api("GET", `${DIVISIONS}/home`);
    expect(home.body).toEqual({
      id: HOME_DIVISION_ID,
      name: "Home",
      description: expect.any(String),
      homeDivision: true,
      selfUri: `${DIVISIONS}/${HOME_DIVISION_ID}`,
    });
    const europe = await em.api("GET", `${DIVISIONS}/${EUROPE_DIVISION_ID}`);
    expect(europe.body).toMatchObject({ id: EUROPE_DIVISION_ID, name: "Europe", homeDivision: false });
    const all = await em.api("GET", DIVISIONS);
    expect(all.body.entities.map((d: { name: string }) => d.name)).toEqual(["Americas", "Europe", "Home"]);
    expect(all.body).toMatchObject({ total: 3, pageNumber: 1 });
    const named = await em.api("GET", `${DIVISIONS}?name=americas`);
    expect(named.body.entities).toEqual([
      expect.objectContaining({ name: "Americas", description: "North and South" }),
    ]);
    expectErrorBody(await em.api("GET", `${DIVISIONS}/00000000-0000-4000-8000-000000000000`), 404, "not.found");
  });

  test("a seeded division can hold codes", async () => {
    const americas = (await em.api("GET", `${DIVISIONS}?name=Americas`)).body.entities[0];
    const res = await em.api("POST", CODES, { name: platformName(), division: { id: americas.id } });
    expect(res.body.division).toEqual({ id: americas.id, name: "Americas", selfUri: `${DIVISIONS}/${americas.id}` });
  });
});

describe("limits API", () => {
  test("the routing namespace: the membership maximum of 100; defaults; docs; an unknown namespace is 404", async () => {
    const ns = await em.api("GET", "/api/v2/organizations/limits/namespaces/routing");
    expect(ns.body).toEqual({
      entities: [{ key: "max.wrapup.codes.per.membership.request", namespace: "routing", value: 100 }],
    });
    await em.config({ queueCodeLimit: 7 });
    try {
      const defaults = await em.api("GET", "/api/v2/organizations/limits/namespaces/routing/defaults");
      expect(defaults.body).toEqual(ns.body);
    } finally {
      await em.config({ queueCodeLimit: 0 });
    }
    const docs = await em.api("GET", "/api/v2/organizations/limits/docs");
    expect(docs.body.namespaces[0].name).toBe("routing");
    expect(docs.body.namespaces[0].limits.map((l: { key: string }) => l.key)).toContain(
      "max.wrapup.codes.per.membership.request",
    );
    expectErrorBody(await em.api("GET", "/api/v2/organizations/limits/namespaces/nothing"), 404, "not.found");
  });
});
