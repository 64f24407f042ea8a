/** Platform profile: wrap-up codes (platform-api.md section 2) and the picks for what it leaves open. */
import { EmulatorProcess, startEmulator } from "../support/emulator";
import {
  CODE_FIELDS,
  CODES,
  EUROPE_DIVISION_ID,
  expectErrorBody,
  HOME_DIVISION_ID,
  ISO_MS_RE,
  platformName,
  UUID_RE,
  WEBHOOKS,
} from "./helpers";

let em: EmulatorProcess;

beforeAll(async () => {
  em = await startEmulator({ profile: "platform", config: { requestsPerMinute: 100_000 } });
});
afterAll(async () => {
  await em?.stop();
});

async function create(body: Record<string, unknown>) {
  const res = await em.api("POST", CODES, body);
  expect(res.status).toBe(200);
  return res.body;
}

describe("create, read, update, delete", () => {
  test("POST answers 200 with the WrapupCode: unicode name, home division, ISO dates with ms, client ids", async () => {
    const name = `Suivi équipement ${platformName()}`;
    const res = await em.api("POST", CODES, { name, description: "Relance J+2" });
    expect(res.status).toBe(200);
    const c = res.body;
    expect(Object.keys(c).sort()).toEqual([...CODE_FIELDS, "description"].sort());
    expect(c).toMatchObject({
      name,
      description: "Relance J+2",
      division: { id: HOME_DIVISION_ID, name: "Home", selfUri: `/api/v2/authorization/divisions/${HOME_DIVISION_ID}` },
      createdBy: "emulator-admin",
      modifiedBy: "emulator-admin",
      selfUri: `${CODES}/${c.id}`,
    });
    expect(c.id).toMatch(UUID_RE);
    expect(c.dateCreated).toMatch(ISO_MS_RE);
    expect(c.dateModified).toBe(c.dateCreated);
    expect(res.headers.get("inin-correlation-id")).toMatch(UUID_RE);
    const got = await em.api("GET", `${CODES}/${c.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(c);
  });

  test("pick: a code without description has no description field", async () => {
    const c = await create({ name: platformName() });
    expect(Object.keys(c).sort()).toEqual([...CODE_FIELDS].sort());
  });

  test("other fields are ignored: read-only ones and the tutorial's", async () => {
    const name = platformName();
    const c = await create({
      name,
      id: "11111111-1111-4111-8111-111111111111",
      dateCreated: "2000-01-01T00:00:00.000Z",
      createdBy: "someone",
      codeCategoryName: "support",
      reportingTags: ["x"],
    });
    expect(c.id).not.toBe("11111111-1111-4111-8111-111111111111");
    expect(c.createdBy).toBe("emulator-admin");
    expect(c).not.toHaveProperty("codeCategoryName");
    expect(c).not.toHaveProperty("reportingTags");
  });

  test("a tutorial-shaped body fails: 400 required.field.missing for name", async () => {
    const res = await em.api("POST", CODES, {
      codeName: platformName(),
      code: "X",
      codeCategoryName: "support",
      routingQueue: { id: "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4e01" },
    });
    expectErrorBody(res, 400, "required.field.missing");
    expect(res.body.details).toEqual([{ errorCode: "required.field.missing", fieldName: "name" }]);
    expect(res.body.message).toContain("name");
  });

  test.each([
    ["empty", ""],
    ["only spaces", "   "],
    ["256 characters", "a".repeat(256)],
    ["a number", 42],
  ])("name %s: 400 invalid.value on name", async (_what, name) => {
    const res = await em.api("POST", CODES, { name });
    expectErrorBody(res, 400, "invalid.value");
    expect(res.body.details).toEqual([{ errorCode: "invalid.value", fieldName: "name" }]);
  });

  test("names of 255 characters are fine, counted as characters (emoji and accents count one each)", async () => {
    const base = platformName("N");
    expect((await em.api("POST", CODES, { name: base + "x".repeat(255 - base.length) })).status).toBe(200);
    const emoji = "😀".repeat(255 - 3) + "é" + String(process.pid % 100).padStart(2, "0");
    expect((await em.api("POST", CODES, { name: emoji })).status).toBe(200);
  });

  test("pick: description at most 512 characters", async () => {
    expect((await em.api("POST", CODES, { name: platformName(), description: "d".repeat(512) })).status).toBe(200);
    const res = await em.api("POST", CODES, { name: platformName(), description: "d".repeat(513) });
    expectErrorBody(res, 400, "invalid.value");
    expect(res.body.details).toEqual([{ errorCode: "invalid.value", fieldName: "description" }]);
  });

  test("division: a known id is kept, an unknown one is 400 invalid.value on division.id", async () => {
    const c = await create({ name: platformName(), division: { id: EUROPE_DIVISION_ID } });
    expect(c.division).toMatchObject({ id: EUROPE_DIVISION_ID, name: "Europe" });
    const res = await em.api("POST", CODES, {
      name: platformName(),
      division: { id: "00000000-0000-4000-8000-000000000000" },
    });
    expectErrorBody(res, 400, "invalid.value");
    expect(res.body.details).toEqual([{ errorCode: "invalid.value", fieldName: "division.id" }]);
  });

  test("PUT replaces name and description, keeps the division when omitted, stamps modifier and date", async () => {
    const c = await create({ name: platformName(), description: "before", division: { id: EUROPE_DIVISION_ID } });
    await new Promise((r) => setTimeout(r, 5));
    const name = platformName();
    const res = await em.api("PUT", `${CODES}/${c.id}`, { name });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: c.id, name, dateCreated: c.dateCreated, createdBy: c.createdBy });
    expect(res.body).not.toHaveProperty("description");
    expect(res.body.division.id).toBe(EUROPE_DIVISION_ID);
    expect(Date.parse(res.body.dateModified)).toBeGreaterThan(Date.parse(c.dateCreated));
    const moved = await em.api("PUT", `${CODES}/${c.id}`, { name, division: { id: HOME_DIVISION_ID } });
    expect(moved.body.division.id).toBe(HOME_DIVISION_ID);
    expectErrorBody(await em.api("PUT", `${CODES}/${c.id}`, { description: "x" }), 400, "required.field.missing");
  });

  test("DELETE answers 200 without a body; then GET, PUT and DELETE are 404 not.found with the id", async () => {
    const c = await create({ name: platformName() });
    const del = await em.api("DELETE", `${CODES}/${c.id}`);
    expect(del.status).toBe(200);
    expect(del.text).toBe("");
    for (const [method, body] of [["GET"], ["PUT", { name: "x" }], ["DELETE"]] as const) {
      const res = await em.api(method, `${CODES}/${c.id}`, body);
      expectErrorBody(res, 404, "not.found");
      expect(res.body.entityId).toBe(c.id);
    }
  });
});

describe("name uniqueness per organisation (picks: case-insensitive, no entityId, status knob)", () => {
  test("a duplicate create is 400 duplicate.name without entityId, whatever the case", async () => {
    const name = platformName("Dup");
    await create({ name });
    const res = await em.api("POST", CODES, { name: name.toUpperCase() });
    expectErrorBody(res, 400, "duplicate.name");
    expect(res.body.message).toBe("A wrapup code with this name already exists.");
    expect(res.body).not.toHaveProperty("entityId");
    const list = await em.api("GET", `${CODES}?name=${encodeURIComponent(name)}`);
    expect(list.body.total).toBe(1);
  });

  test("a PUT rename onto a taken name fails the same way; changing the case of its own name is fine", async () => {
    const a = await create({ name: platformName("A") });
    const b = await create({ name: platformName("B") });
    const res = await em.api("PUT", `${CODES}/${b.id}`, { name: a.name.toLowerCase() });
    expectErrorBody(res, 400, "duplicate.name");
    expect(res.body).not.toHaveProperty("entityId");
    expect((await em.api("PUT", `${CODES}/${a.id}`, { name: a.name.toUpperCase() })).status).toBe(200);
  });

  test("duplicateNameStatus 409 answers 409 general.conflict, still without entityId", async () => {
    const name = platformName("Dup409");
    await create({ name });
    await em.config({ duplicateNameStatus: 409 });
    try {
      const res = await em.api("POST", CODES, { name });
      expectErrorBody(res, 409, "general.conflict");
      expect(res.body).not.toHaveProperty("entityId");
      expect(res.body.message).toBe("A wrapup code with this name already exists.");
    } finally {
      await em.config({ duplicateNameStatus: 400 });
    }
    expectErrorBody(await em.api("POST", CODES, { name }), 400, "duplicate.name");
  });

  test("a deleted code's name is free at once", async () => {
    const c = await create({ name: platformName("Freed") });
    await em.api("DELETE", `${CODES}/${c.id}`);
    const again = await em.api("POST", CODES, { name: c.name });
    expect(again.status).toBe(200);
    expect(again.body.id).not.toBe(c.id);
  });
});

describe("listing", () => {
  const prefix = `List ${process.pid} ${Date.now().toString(36)}`;
  let codes: { id: string; name: string }[];
  beforeAll(async () => {
    codes = [];
    for (let i = 0; i < 30; i++) {
      const division = i % 3 === 0 ? { id: EUROPE_DIVISION_ID } : undefined;
      codes.push(await create({ name: `${prefix} ${String(i).padStart(2, "0")}`, division }));
    }
  });
  const q = (extra: string) => `${CODES}?name=${encodeURIComponent(prefix)}${extra}`;

  test("envelope, default page size 25, nextUri absent on the last page, previousUri after the first", async () => {
    const first = await em.api("GET", q(""));
    expect(first.body).toMatchObject({ pageSize: 25, pageNumber: 1, total: 30, pageCount: 2 });
    expect(first.body.entities).toHaveLength(25);
    for (const k of ["firstUri", "selfUri", "lastUri", "nextUri"]) expect(typeof first.body[k]).toBe("string");
    expect(first.body).not.toHaveProperty("previousUri");
    const second = await em.api("GET", first.body.nextUri);
    expect(second.body.entities.map((c: { name: string }) => c.name)).toEqual(codes.slice(25).map((c) => c.name));
    expect(second.body).not.toHaveProperty("nextUri");
    expect(second.body.previousUri).toContain("pageNumber=1");
  });

  test("pageSize 1..500", async () => {
    expect((await em.api("GET", `${CODES}?pageSize=500`)).status).toBe(200);
    const res = await em.api("GET", `${CODES}?pageSize=501`);
    expectErrorBody(res, 400, "bad.request");
    expect(res.body.details).toEqual([{ errorCode: "invalid.value", fieldName: "pageSize" }]);
  });

  test("sortBy name|id and sortOrder ascending|descending; anything else is 400", async () => {
    const desc = await em.api("GET", q("&pageSize=100&sortOrder=descending"));
    expect(desc.body.entities.map((c: { name: string }) => c.name)).toEqual(codes.map((c) => c.name).reverse());
    const byId = await em.api("GET", q("&pageSize=100&sortBy=id"));
    expect(byId.body.entities.map((c: { id: string }) => c.id)).toEqual(codes.map((c) => c.id).sort());
    expectErrorBody(await em.api("GET", `${CODES}?sortBy=dateCreated`), 400, "invalid.value");
    expectErrorBody(await em.api("GET", `${CODES}?sortOrder=up`), 400, "invalid.value");
  });

  test("pick: name matches a case-insensitive substring, * is a wildcard", async () => {
    const sub = await em.api("GET", `${CODES}?name=${encodeURIComponent(prefix.toUpperCase().slice(5) + " 1")}`);
    expect(sub.body.total).toBe(10);
    const wild = await em.api("GET", `${CODES}?name=${encodeURIComponent(prefix + " *9")}`);
    expect(wild.body.entities.map((c: { name: string }) => c.name)).toEqual([
      `${prefix} 09`,
      `${prefix} 19`,
      `${prefix} 29`,
    ]);
  });

  test("id and divisionId filters are repeatable (and comma lists, as the JS SDK sends them)", async () => {
    const repeated = await em.api("GET", `${CODES}?id=${codes[0].id}&id=${codes[1].id}`);
    expect(repeated.body.entities.map((c: { id: string }) => c.id).sort()).toEqual([codes[0].id, codes[1].id].sort());
    const comma = await em.api("GET", `${CODES}?id=${codes[2].id},${codes[3].id}`);
    expect(comma.body.total).toBe(2);
    const europe = await em.api("GET", q(`&divisionId=${EUROPE_DIVISION_ID}&pageSize=100`));
    expect(europe.body.total).toBe(10);
    const both = await em.api("GET", q(`&divisionId=${EUROPE_DIVISION_ID}&divisionId=${HOME_DIVISION_ID}`));
    expect(both.body.total).toBe(30);
  });

  test("divisionviews lists active codes; includeState=Deleted adds the deleted ones, with their state", async () => {
    const gone = await create({ name: `${prefix} gone` });
    await em.api("DELETE", `${CODES}/${gone.id}`);
    const plain = await em.api("GET", `${CODES}/divisionviews?name=${encodeURIComponent(prefix)}&pageSize=100`);
    expect(plain.body.total).toBe(30);
    const all = await em.api(
      "GET",
      `${CODES}/divisionviews?name=${encodeURIComponent(prefix)}&pageSize=100&includeState=Deleted`,
    );
    expect(all.body.total).toBe(31);
    const deleted = all.body.entities.find((c: { id: string }) => c.id === gone.id);
    expect(deleted).toMatchObject({ name: gone.name, state: "Deleted" });
    expect(all.body.entities.find((c: { id: string }) => c.id === codes[0].id).state).toBe("Active");
    expectErrorBody(await em.api("GET", `${CODES}/divisionviews?includeState=Gone`), 400, "invalid.value");
  });
});

describe("requests the platform refuses", () => {
  test("a body that is not JSON is 400 bad.request; one not sent as JSON is 415 unsupported.media.type", async () => {
    expectErrorBody(await em.api("POST", CODES, "{not json"), 400, "bad.request");
    expectErrorBody(await em.api("POST", CODES, "[1]"), 400, "bad.request");
    const res = await em.api("POST", CODES, JSON.stringify({ name: platformName() }), {
      headers: { "Content-Type": "text/plain" },
    });
    expectErrorBody(res, 415, "unsupported.media.type");
  });

  test("pick: a body over 1 MiB is 413", async () => {
    const res = await em.api("POST", CODES, { name: "x", description: "d".repeat(1 << 20) });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe("request.entity.too.large");
  });

  test("there is no webhook API: its paths are 404 not.found like any unknown path", async () => {
    for (const method of ["GET", "POST"]) {
      const res = await em.api(method, WEBHOOKS, method === "POST" ? { name: "x" } : undefined);
      expectErrorBody(res, 404, "not.found");
    }
    expectErrorBody(await em.api("GET", "/api/v2/routing/nothing"), 404, "not.found");
  });

  test("a known path with another method is 405 with Allow", async () => {
    const res = await em.api("PATCH", CODES, { name: "x" });
    expectErrorBody(res, 405, "method.not.allowed");
    expect(res.headers.get("allow")).toBe("GET, POST");
  });
});
