/** Wrap-up codes (contract section 7), queues (section 6), paging (section 5), error bodies (section 3). */
import { EmulatorProcess, Json, QUEUES, startEmulator } from "../support/emulator";
import { CODES, expectErrorBody, QUEUES_PATH, uniqueName, UUID_RE, validCode } from "./helpers";

let em: EmulatorProcess;

beforeAll(async () => {
  em = await startEmulator({ profile: "tutorial", config: { requestsPerMinute: 100_000 } });
});
afterAll(async () => {
  await em?.stop();
});

async function addQueue(name = uniqueName("Queue")): Promise<string> {
  const res = await fetch(`${em.url}/__emulator/seed/queues`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ queues: [{ name }] }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { queues: { id: string; name: string }[] };
  return body.queues[0].id;
}

async function create(overrides: Record<string, unknown> = {}) {
  const res = await em.api("POST", CODES, validCode(overrides));
  expect(res.status).toBe(200);
  return res.body;
}

describe("create, read, update, delete", () => {
  test("POST answers 200 with the stored code and its metadata", async () => {
    const body = validCode({ description: "Escalated to tier 2" });
    const res = await em.api("POST", CODES, body);
    expect(res.status).toBe(200);
    const c = res.body;
    expect(c.id).toMatch(UUID_RE);
    expect(c).toMatchObject({
      codeName: body.codeName,
      code: "ESC_TECH",
      codeCategoryName: "support",
      routingQueue: { id: QUEUES.Support },
      mandatoryField: true,
      reportingTags: ["cat:support", "sub:resolved", "priority:high"],
      validFrom: "2026-01-01T00:00:00Z",
      validThrough: null,
      description: "Escalated to tier 2",
      createdBy: "emulator-admin",
      modifiedBy: "emulator-admin",
      selfUri: `${CODES}/${c.id}`,
    });
    expect(Date.parse(c.dateCreated)).not.toBeNaN();
    expect(c.dateModified).toBe(c.dateCreated);
    expect(res.headers.get("inin-correlation-id")).toMatch(UUID_RE);

    const got = await em.api("GET", `${CODES}/${c.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(c);
  });

  test("optional fields default: mandatoryField false, reportingTags [], dates and description null", async () => {
    const c = await create({
      mandatoryField: undefined,
      reportingTags: undefined,
      validFrom: undefined,
      validThrough: undefined,
      description: undefined,
    });
    expect(c).toMatchObject({
      mandatoryField: false,
      reportingTags: [],
      validFrom: null,
      validThrough: null,
      description: null,
    });
  });

  test("reportingTags are stored as sent (order kept, nothing derived)", async () => {
    const c = await create({ reportingTags: ["zeta", "alpha:1", "cat:sales"], codeCategoryName: "support" });
    expect(c.reportingTags).toEqual(["zeta", "alpha:1", "cat:sales"]);
  });

  test("read-only fields in the body are ignored", async () => {
    const c = await create({
      id: "11111111-1111-4111-8111-111111111111",
      createdBy: "someone",
      dateCreated: "2000-01-01T00:00:00Z",
    });
    expect(c.id).not.toBe("11111111-1111-4111-8111-111111111111");
    expect(c.createdBy).toBe("emulator-admin");
    expect(c.dateCreated).not.toBe("2000-01-01T00:00:00Z");
  });

  test("PUT replaces the code, keeps id/dateCreated/createdBy, sets dateModified and modifiedBy", async () => {
    const c = await create();
    await new Promise((r) => setTimeout(r, 5));
    const next = validCode({
      codeName: c.codeName + " v2",
      code: "NEW",
      codeCategoryName: "sales",
      mandatoryField: false,
    });
    const res = await em.api("PUT", `${CODES}/${c.id}`, next);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: c.id,
      codeName: c.codeName + " v2",
      code: "NEW",
      codeCategoryName: "sales",
      mandatoryField: false,
      dateCreated: c.dateCreated,
      createdBy: "emulator-admin",
      modifiedBy: "emulator-admin",
    });
    expect(Date.parse(res.body.dateModified)).toBeGreaterThan(Date.parse(c.dateCreated));
    expect((await em.api("GET", `${CODES}/${c.id}`)).body).toEqual(res.body);
  });

  test("PUT may change only the case of the code's own name", async () => {
    const c = await create();
    const res = await em.api("PUT", `${CODES}/${c.id}`, validCode({ codeName: (c.codeName as string).toUpperCase() }));
    expect(res.status).toBe(200);
    expect(res.body.codeName).toBe((c.codeName as string).toUpperCase());
  });

  test("PUT can move a code to another queue", async () => {
    const c = await create();
    const res = await em.api(
      "PUT",
      `${CODES}/${c.id}`,
      validCode({ codeName: c.codeName, routingQueue: { id: QUEUES.Billing } }),
    );
    expect(res.status).toBe(200);
    expect(res.body.routingQueue.id).toBe(QUEUES.Billing);
    // its name is now taken in Billing and free in Support
    expectErrorBody(
      await em.api("POST", CODES, validCode({ codeName: c.codeName, routingQueue: { id: QUEUES.Billing } })),
      409,
      "general.conflict",
    );
    expect((await em.api("POST", CODES, validCode({ codeName: c.codeName }))).status).toBe(200);
  });

  test("DELETE answers 204, then GET/PUT/DELETE answer 404 not.found with the entityId", async () => {
    const c = await create();
    const del = await em.api("DELETE", `${CODES}/${c.id}`);
    expect(del.status).toBe(204);
    expect(del.text).toBe("");
    for (const [method, body] of [
      ["GET", undefined],
      ["PUT", validCode()],
      ["DELETE", undefined],
    ] as const) {
      const res = await em.api(method, `${CODES}/${c.id}`, body);
      expectErrorBody(res, 404, "not.found");
      expect(res.body.entityId).toBe(c.id);
    }
  });

  test("404 for an id that never existed and for a malformed id", async () => {
    expectErrorBody(await em.api("GET", `${CODES}/00000000-0000-4000-8000-000000000000`), 404, "not.found");
    expectErrorBody(await em.api("GET", `${CODES}/not-an-id`), 404, "not.found");
  });
});

describe("validation: 400 bad.request with one details entry per invalid field", () => {
  const long = (n: number, ch = "a") => ch.repeat(n);
  const cases: [string, Record<string, unknown>, string, string][] = [
    ["codeName missing", { codeName: undefined }, "codeName", "required"],
    ["codeName null", { codeName: null }, "codeName", "required"],
    ["codeName not a string", { codeName: 42 }, "codeName", "invalid.type"],
    ["codeName empty", { codeName: "" }, "codeName", "invalid.length"],
    ["codeName 256 chars", { codeName: long(256) }, "codeName", "invalid.length"],
    ["codeName with a bad character", { codeName: "Escalate!" }, "codeName", "invalid.format"],
    ["codeName with a dot", { codeName: "v1.2" }, "codeName", "invalid.format"],
    ["codeName only spaces", { codeName: "   " }, "codeName", "invalid.format"],
    ["code missing", { code: undefined }, "code", "required"],
    ["code 129 chars", { code: long(129) }, "code", "invalid.length"],
    ["code with a slash", { code: "A/B" }, "code", "invalid.format"],
    ["code only spaces", { code: " " }, "code", "invalid.format"],
    ["codeCategoryName missing", { codeCategoryName: undefined }, "codeCategoryName", "required"],
    ["codeCategoryName unknown", { codeCategoryName: "marketing" }, "codeCategoryName", "invalid.value"],
    ["codeCategoryName in another case", { codeCategoryName: "Support" }, "codeCategoryName", "invalid.value"],
    ["routingQueue missing", { routingQueue: undefined }, "routingQueue.id", "required"],
    ["routingQueue.id missing", { routingQueue: {} }, "routingQueue.id", "required"],
    ["routingQueue not an object", { routingQueue: "abc" }, "routingQueue.id", "invalid.type"],
    ["routingQueue.id not a uuid", { routingQueue: { id: "support" } }, "routingQueue.id", "invalid.format"],
    [
      "routingQueue.id too short",
      { routingQueue: { id: "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4e0" } },
      "routingQueue.id",
      "invalid.format",
    ],
    ["mandatoryField not boolean", { mandatoryField: "yes" }, "mandatoryField", "invalid.type"],
    ["reportingTags not an array", { reportingTags: "cat:support" }, "reportingTags", "invalid.type"],
    [
      "51 reportingTags",
      { reportingTags: Array.from({ length: 51 }, (_, i) => `t${i}`) },
      "reportingTags",
      "too.many.values",
    ],
    ["an empty reporting tag", { reportingTags: ["ok", ""] }, "reportingTags", "invalid.length"],
    ["a 101-char reporting tag", { reportingTags: [long(101)] }, "reportingTags", "invalid.length"],
    ["an upper-case reporting tag", { reportingTags: ["Cat:support"] }, "reportingTags", "invalid.format"],
    ["a reporting tag with a space", { reportingTags: ["a b"] }, "reportingTags", "invalid.format"],
    ["duplicate reporting tags", { reportingTags: ["a", "b", "a"] }, "reportingTags", "duplicate.value"],
    ["a non-string reporting tag", { reportingTags: [1] }, "reportingTags", "invalid.type"],
    ["validFrom without time", { validFrom: "2026-01-01" }, "validFrom", "invalid.format"],
    ["validFrom without offset", { validFrom: "2026-01-01T00:00:00" }, "validFrom", "invalid.format"],
    ["validFrom impossible date", { validFrom: "2026-02-30T00:00:00Z" }, "validFrom", "invalid.format"],
    ["validFrom not a string", { validFrom: 1767225600000 }, "validFrom", "invalid.type"],
    ["validThrough garbage", { validThrough: "tomorrow" }, "validThrough", "invalid.format"],
    [
      "validFrom equal to validThrough",
      { validFrom: "2026-01-01T00:00:00Z", validThrough: "2026-01-01T01:00:00+01:00" },
      "validThrough",
      "invalid.value",
    ],
    [
      "validFrom after validThrough",
      { validFrom: "2026-06-01T00:00:00Z", validThrough: "2026-01-01T00:00:00Z" },
      "validThrough",
      "invalid.value",
    ],
    ["description 513 chars", { description: long(513) }, "description", "invalid.length"],
    ["description not a string", { description: ["x"] }, "description", "invalid.type"],
  ];

  test.each(cases)("%s", async (_what, overrides, fieldName, errorCode) => {
    const body = validCode(overrides);
    const res = await em.api("POST", CODES, body);
    expectErrorBody(res, 400, "bad.request");
    expect(res.body.details).toEqual([{ errorCode, fieldName }]);
    // nothing was stored
    if (typeof body.codeName === "string" && body.codeName.trim()) {
      const list = await em.api("GET", `${CODES}?name=${encodeURIComponent(body.codeName)}`);
      expect(list.body.total).toBe(0);
    }
  });

  test.each([
    ["codeName of 255 chars and code of 128 chars", { codeName: long(255, "N"), code: long(128, "C") }],
    ["names with spaces, dashes and underscores", { codeName: uniqueName("a_b-c D"), code: "A b_c-D" }],
    ["50 reporting tags", { reportingTags: Array.from({ length: 50 }, (_, i) => `tag:${i}.x_y-z`) }],
    ["a 100-char reporting tag", { reportingTags: [long(100)] }],
    ["a description of 512 chars", { description: long(512) }],
    [
      "dates with offsets and fractions",
      { validFrom: "2026-01-01T00:00:00.123+02:00", validThrough: "2027-01-01T00:00Z" },
    ],
    ["validThrough only", { validFrom: null, validThrough: "2030-12-31T23:59:59Z" }],
  ])("accepted at the boundary: %s", async (_what, overrides) => {
    const res = await em.api("POST", CODES, validCode(overrides));
    expect(res.status).toBe(200);
  });

  test("several invalid fields give one entry each", async () => {
    const res = await em.api(
      "POST",
      CODES,
      validCode({ codeName: "", code: "x/y", description: long(600), reportingTags: ["A"] }),
    );
    expectErrorBody(res, 400, "bad.request");
    expect(res.body.details).toEqual(
      expect.arrayContaining([
        { errorCode: "invalid.length", fieldName: "codeName" },
        { errorCode: "invalid.format", fieldName: "code" },
        { errorCode: "invalid.length", fieldName: "description" },
        { errorCode: "invalid.format", fieldName: "reportingTags" },
      ]),
    );
    expect(res.body.details).toHaveLength(4);
  });

  test.each([
    ["not JSON", "{codeName: 'x'"],
    ["an empty body", ""],
    ["a JSON array", "[]"],
    ["JSON null", "null"],
  ])("400 bad.request for %s", async (_what, raw) => {
    const res = await em.api("POST", CODES, raw === "" ? undefined : raw, {
      headers: { "Content-Type": "application/json" },
    });
    expectErrorBody(res, 400, "bad.request");
  });

  test("an unknown queue uuid is 404 not.found naming the queue", async () => {
    const id = "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4eff";
    const res = await em.api("POST", CODES, validCode({ routingQueue: { id } }));
    expectErrorBody(res, 404, "not.found");
    expect(res.body.entityId).toBe(id);
  });

  test("PUT applies the same rules", async () => {
    const c = await create();
    const res = await em.api("PUT", `${CODES}/${c.id}`, validCode({ code: "", codeCategoryName: "nope" }));
    expectErrorBody(res, 400, "bad.request");
    expect(res.body.details).toEqual([
      { errorCode: "invalid.length", fieldName: "code" },
      { errorCode: "invalid.value", fieldName: "codeCategoryName" },
    ]);
    expectErrorBody(
      await em.api(
        "PUT",
        `${CODES}/${c.id}`,
        validCode({ routingQueue: { id: "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4eff" } }),
      ),
      404,
      "not.found",
    );
  });
});

describe("codeName uniqueness per queue (409 general.conflict)", () => {
  test("the same name in another case conflicts; entityId is the existing code", async () => {
    const c = await create();
    const res = await em.api("POST", CODES, validCode({ codeName: (c.codeName as string).toLowerCase() }));
    expectErrorBody(res, 409, "general.conflict");
    expect(res.body.entityId).toBe(c.id);
  });

  test("the same name in another queue is fine", async () => {
    const c = await create();
    const res = await em.api("POST", CODES, validCode({ codeName: c.codeName, routingQueue: { id: QUEUES.Sales } }));
    expect(res.status).toBe(200);
    expect(res.body.id).not.toBe(c.id);
  });

  test("a rename onto another code's name conflicts", async () => {
    const a = await create();
    const b = await create();
    const res = await em.api("PUT", `${CODES}/${b.id}`, validCode({ codeName: (a.codeName as string).toUpperCase() }));
    expectErrorBody(res, 409, "general.conflict");
    expect(res.body.entityId).toBe(a.id);
    expect((await em.api("GET", `${CODES}/${b.id}`)).body.codeName).toBe(b.codeName);
  });

  test("a deleted code's name is free again", async () => {
    const c = await create();
    await em.api("DELETE", `${CODES}/${c.id}`);
    expect((await em.api("POST", CODES, validCode({ codeName: c.codeName }))).status).toBe(200);
  });

  test("20 concurrent creates of one name: exactly one 200, 19 × 409 naming it", async () => {
    const name = uniqueName("Race");
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        em.api(
          "POST",
          CODES,
          validCode({ codeName: i % 2 ? name : name.toUpperCase(), routingQueue: { id: QUEUES.Retention } }),
        ),
      ),
    );
    const created = results.filter((r) => r.status === 200);
    const conflicts = results.filter((r) => r.status === 409);
    expect(created).toHaveLength(1);
    expect(conflicts).toHaveLength(19);
    for (const r of conflicts) expect(r.body.entityId).toBe(created[0].body.id);
    const list = await em.api("GET", `${CODES}?name=${encodeURIComponent(name)}&routingQueueId=${QUEUES.Retention}`);
    expect(list.body.total).toBe(1);
  });
});

describe("GET /api/v2/routing/wrapupcodes: filters and paging", () => {
  let queueId: string;
  let codes: Json[];
  beforeAll(async () => {
    queueId = await addQueue();
    codes = [];
    for (let i = 0; i < 7; i++) {
      codes.push(
        await create({
          codeName: `Paging ${String.fromCharCode(71 - i)} ${queueId.slice(0, 8)}`,
          routingQueue: { id: queueId },
          codeCategoryName: i < 3 ? "sales" : "compliance",
        }),
      );
    }
  });
  const list = (query: string) => em.api("GET", `${CODES}?${query}`);

  test("routingQueueId filter, sorted by codeName, with total", async () => {
    const res = await list(`routingQueueId=${queueId}&pageSize=100`);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(7);
    const names = res.body.entities.map((c: { codeName: string }) => c.codeName);
    expect(names).toEqual([...names].sort());
    expect(new Set(res.body.entities.map((c: { id: string }) => c.id))).toEqual(new Set(codes.map((c) => c.id)));
  });

  test("name filter is exact and case-insensitive", async () => {
    const target = codes[2];
    const res = await list(`name=${encodeURIComponent((target.codeName as string).toLowerCase())}`);
    expect(res.body.total).toBe(1);
    expect(res.body.entities[0].id).toBe(target.id);
    expect((await list(`name=${encodeURIComponent((target.codeName as string).slice(0, -2))}`)).body.total).toBe(0);
  });

  test("codeCategoryName filter (exact), combinable with routingQueueId", async () => {
    expect((await list(`routingQueueId=${queueId}&codeCategoryName=sales`)).body.total).toBe(3);
    expect((await list(`routingQueueId=${queueId}&codeCategoryName=compliance`)).body.total).toBe(4);
    expect((await list(`routingQueueId=${queueId}&codeCategoryName=Sales`)).body.total).toBe(0);
  });

  test("a malformed routingQueueId is 400; an unknown one lists nothing", async () => {
    const bad = await list("routingQueueId=abc");
    expectErrorBody(bad, 400, "bad.request");
    expect(bad.body.details).toEqual([{ errorCode: "invalid.format", fieldName: "routingQueueId" }]);
    expect((await list("routingQueueId=8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4eff")).body.total).toBe(0);
  });

  test("pages of 3: URIs, pageCount, nextUri absent on the last page", async () => {
    const base = `/api/v2/routing/wrapupcodes`;
    const p1 = await list(`routingQueueId=${queueId}&pageSize=3`);
    expect(p1.body).toMatchObject({ pageSize: 3, pageNumber: 1, total: 7, pageCount: 3 });
    expect(p1.body.entities).toHaveLength(3);
    expect(p1.body.firstUri).toBe(`${base}?pageSize=3&pageNumber=1&routingQueueId=${queueId}`);
    expect(p1.body.selfUri).toBe(p1.body.firstUri);
    expect(p1.body.nextUri).toBe(`${base}?pageSize=3&pageNumber=2&routingQueueId=${queueId}`);
    expect(p1.body.lastUri).toBe(`${base}?pageSize=3&pageNumber=3&routingQueueId=${queueId}`);

    const p2 = await em.api("GET", p1.body.nextUri);
    expect(p2.body.pageNumber).toBe(2);
    expect(p2.body.entities).toHaveLength(3);
    const p3 = await em.api("GET", p2.body.nextUri);
    expect(p3.body.pageNumber).toBe(3);
    expect(p3.body.entities).toHaveLength(1);
    expect(p3.body).not.toHaveProperty("nextUri");
    const all = [...p1.body.entities, ...p2.body.entities, ...p3.body.entities].map((c) => c.id);
    expect(new Set(all).size).toBe(7);

    const beyond = await list(`routingQueueId=${queueId}&pageSize=3&pageNumber=9`);
    expect(beyond.status).toBe(200);
    expect(beyond.body.entities).toEqual([]);
    expect(beyond.body).not.toHaveProperty("nextUri");
  });

  test("pageSize=1 gives the count in total", async () => {
    const res = await list(`routingQueueId=${queueId}&pageSize=1`);
    expect(res.body.entities).toHaveLength(1);
    expect(res.body.total).toBe(7);
    expect(res.body.pageCount).toBe(7);
  });

  test("pageSize defaults to 25 and allows 500", async () => {
    const def = await list("");
    expect(def.body.pageSize).toBe(25);
    expect(def.body.pageNumber).toBe(1);
    expect(def.body.entities.length).toBe(Math.min(25, def.body.total));
    expect((await list("pageSize=500")).status).toBe(200);
  });

  test.each([
    ["pageSize=0", "pageSize", "invalid.value"],
    ["pageSize=501", "pageSize", "invalid.value"],
    ["pageSize=abc", "pageSize", "invalid.format"],
    ["pageSize=-1", "pageSize", "invalid.format"],
    ["pageNumber=0", "pageNumber", "invalid.value"],
    ["pageNumber=1.5", "pageNumber", "invalid.format"],
  ])("400 bad.request for %s", async (query, fieldName, errorCode) => {
    const res = await list(query);
    expectErrorBody(res, 400, "bad.request");
    expect(res.body.details).toEqual([{ errorCode, fieldName }]);
  });

  test("an empty list has total 0, pageCount 0 and no nextUri", async () => {
    const res = await list(`name=${encodeURIComponent(uniqueName("none"))}`);
    expect(res.body).toMatchObject({ entities: [], total: 0, pageCount: 0, pageNumber: 1 });
    expect(res.body).not.toHaveProperty("nextUri");
  });
});

describe("queues", () => {
  test("the default seed's queues with fixed ids", async () => {
    const res = await em.api("GET", `${QUEUES_PATH}?pageSize=500`);
    expect(res.status).toBe(200);
    const byName = Object.fromEntries(res.body.entities.map((q: { name: string; id: string }) => [q.name, q.id]));
    expect(byName).toMatchObject(QUEUES);
    const support = res.body.entities.find((q: { name: string }) => q.name === "Support");
    expect(support).toMatchObject({
      memberCount: 0,
      division: { name: "Home" },
      selfUri: `${QUEUES_PATH}/${QUEUES.Support}`,
    });
    expect(Date.parse(support.dateCreated)).not.toBeNaN();
  });

  test("GET by id, and 404 not.found for an unknown id", async () => {
    const res = await em.api("GET", `${QUEUES_PATH}/${QUEUES.Billing}`);
    expect(res.body).toMatchObject({ id: QUEUES.Billing, name: "Billing" });
    const missing = await em.api("GET", `${QUEUES_PATH}/8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4eff`);
    expectErrorBody(missing, 404, "not.found");
    expect(missing.body.entityId).toBe("8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4eff");
  });

  test("name filter is case-insensitive and supports *", async () => {
    const exact = await em.api("GET", `${QUEUES_PATH}?name=sales`);
    expect(exact.body.entities.map((q: { id: string }) => q.id)).toEqual([QUEUES.Sales]);
    const wild = await em.api("GET", `${QUEUES_PATH}?name=${encodeURIComponent("Re*")}`);
    expect(wild.body.entities.map((q: { id: string }) => q.id)).toEqual([QUEUES.Retention]);
  });

  test("queue paging", async () => {
    const res = await em.api("GET", `${QUEUES_PATH}?pageSize=2&pageNumber=1`);
    expect(res.body.entities).toHaveLength(2);
    expect(res.body.nextUri).toContain("pageNumber=2");
    expect(res.body.total).toBeGreaterThanOrEqual(4);
  });

  test("/routing/queues/{id}/wrapupcodes lists the queue's codes; total is its code count", async () => {
    const queueId = await addQueue();
    const empty = await em.api("GET", `${QUEUES_PATH}/${queueId}/wrapupcodes`);
    expect(empty.body).toMatchObject({ entities: [], total: 0 });
    const made = [await create({ routingQueue: { id: queueId } }), await create({ routingQueue: { id: queueId } })];
    await create({ routingQueue: { id: QUEUES.Sales } });
    const res = await em.api("GET", `${QUEUES_PATH}/${queueId}/wrapupcodes?pageSize=1`);
    expect(res.body.total).toBe(2);
    expect(res.body.entities).toHaveLength(1);
    expect(res.body.nextUri).toBe(`${QUEUES_PATH}/${queueId}/wrapupcodes?pageSize=1&pageNumber=2`);
    const all = await em.api("GET", `${QUEUES_PATH}/${queueId}/wrapupcodes`);
    expect(all.body.entities.map((c: { id: string }) => c.id).sort()).toEqual(made.map((c) => c.id).sort());
    expectErrorBody(
      await em.api("GET", `${QUEUES_PATH}/8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4eff/wrapupcodes`),
      404,
      "not.found",
    );
  });
});

describe("routing", () => {
  test("an unknown /api/v2 path is 404 not.found; a wrong method is 405 with Allow", async () => {
    expectErrorBody(await em.api("GET", "/api/v2/routing/nothing"), 404, "not.found");
    const res = await em.api("PATCH", `${CODES}/00000000-0000-4000-8000-000000000000`, {});
    expectErrorBody(res, 405, "method.not.allowed");
    expect(res.headers.get("allow")).toBe("GET, PUT, DELETE");
  });

  test("stats count by route template and status", async () => {
    await em.resetStats();
    const c = await create();
    await em.api("GET", `${CODES}/${c.id}`);
    await em.api("GET", `${CODES}/${c.id}`);
    await em.api("GET", `${CODES}/00000000-0000-4000-8000-000000000000`);
    await em.api("POST", CODES, validCode({ codeName: c.codeName }));
    const stats = await em.stats();
    expect(stats.byRoute).toMatchObject({
      "POST /api/v2/routing/wrapupcodes 200": 1,
      "POST /api/v2/routing/wrapupcodes 409": 1,
      "GET /api/v2/routing/wrapupcodes/{codeId} 200": 2,
      "GET /api/v2/routing/wrapupcodes/{codeId} 404": 1,
    });
    expect(stats.total).toBe(Object.values(stats.byRoute).reduce((a, b) => a + b, 0));
    expect(Object.keys(stats.byRoute).some((k) => k.includes("__emulator"))).toBe(false);
  });
});
