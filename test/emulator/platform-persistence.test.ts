/**
 * Platform profile: persistence across restarts, the data dir's profile, the default profile of the CLI, seeded
 * hand-made codes (seed key and admin endpoint), and seeding 5000 codes on 200 queues.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EmulatorProcess, QUEUES, REPO_ROOT, startEmulator } from "../support/emulator";
import { CODES, DIVISIONS, expectErrorBody, EUROPE_DIVISION_ID, platformName, QUEUES_PATH } from "./helpers";

const CLI = path.join(REPO_ROOT, "emulator/dist/cli.js");

async function seedCodes(em: EmulatorProcess, wrapupCodes: unknown[]) {
  const res = await fetch(`${em.url}/__emulator/seed/wrapupcodes`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ wrapupCodes }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe("restart on the same data dir", () => {
  let em: EmulatorProcess;
  beforeAll(async () => {
    em = await startEmulator({
      profile: "platform",
      config: { requestsPerMinute: 100_000 },
      seed: { divisions: [{ name: "Americas" }] },
    });
  });
  afterAll(() => em.stop());

  test("codes (deleted ones too), membership, divisions and tokens survive", async () => {
    const token = await em.token();
    const a = (await em.api("POST", CODES, { name: platformName("Kept"), description: "kept" }, { token })).body;
    const b = (await em.api("POST", CODES, { name: platformName("Gone") }, { token })).body;
    const c = (
      await em.api("POST", CODES, { name: platformName("Moved"), division: { id: EUROPE_DIVISION_ID } }, { token })
    ).body;
    await em.api("POST", `${QUEUES_PATH}/${QUEUES.Sales}/wrapupcodes`, [{ id: a.id }, { id: b.id }, { id: c.id }], {
      token,
    });
    await em.api("DELETE", `${QUEUES_PATH}/${QUEUES.Sales}/wrapupcodes/${c.id}`, undefined, { token });
    await em.api("DELETE", `${CODES}/${b.id}`, undefined, { token });
    const before = {
      codes: (await em.api("GET", `${CODES}?pageSize=500`, undefined, { token })).body.entities,
      deleted: (await em.api("GET", `${CODES}/divisionviews?includeState=Deleted&pageSize=500`, undefined, { token }))
        .body.entities,
      members: (await em.api("GET", `${QUEUES_PATH}/${QUEUES.Sales}/wrapupcodes`, undefined, { token })).body.entities,
      divisions: (await em.api("GET", DIVISIONS, undefined, { token })).body.entities,
    };
    expect(before.members.map((x: { id: string }) => x.id)).toEqual([a.id]);

    await em.restart();
    expect(em.profile).toBe("platform");
    const after = {
      codes: (await em.api("GET", `${CODES}?pageSize=500`, undefined, { token })).body.entities,
      deleted: (await em.api("GET", `${CODES}/divisionviews?includeState=Deleted&pageSize=500`, undefined, { token }))
        .body.entities,
      members: (await em.api("GET", `${QUEUES_PATH}/${QUEUES.Sales}/wrapupcodes`, undefined, { token })).body.entities,
      divisions: (await em.api("GET", DIVISIONS, undefined, { token })).body.entities,
    };
    expect(after).toEqual(before);
    expect(after.deleted.find((x: { id: string }) => x.id === b.id).state).toBe("Deleted");
    // uniqueness is rebuilt from the journal: the live name is taken, the deleted one free
    expectErrorBody(await em.api("POST", CODES, { name: a.name }, { token }), 400, "duplicate.name");
    expect((await em.api("POST", CODES, { name: b.name }, { token })).status).toBe(200);
    expect(fs.readFileSync(path.join(em.dataDir, "journal.jsonl"), "utf8")).not.toContain(token);
  });

  test("a torn last journal line is ignored on replay", async () => {
    const kept = (await em.api("POST", CODES, { name: platformName("Before crash") })).body;
    await em.stop();
    fs.appendFileSync(path.join(em.dataDir, "journal.jsonl"), '{"t":"wrapupcode","v":{"id":"torn","name":"Half');
    await em.restart();
    expect(em.stderr()).toMatch(/torn/);
    expect((await em.api("GET", `${CODES}/${kept.id}`)).body.name).toBe(kept.name);
    expect((await em.api("GET", `${CODES}/torn`)).status).toBe(404);
  });

  test("the data dir keeps its profile: starting it as tutorial fails with a clear message (exit 1)", async () => {
    await em.stop();
    const res = spawnSync(process.execPath, [CLI, "--profile", "tutorial", "--port", "0", "--data", em.dataDir], {
      encoding: "utf8",
      timeout: 10_000,
    });
    expect(res.status).toBe(1);
    expect(res.stdout).toBe("");
    expect(res.stderr).toContain("holds a platform-profile organisation; start it with --profile platform");
    await em.restart();
  });
});

describe("data dirs and the CLI", () => {
  test("the CLI serves the platform profile unless told otherwise; a bad --profile is exit 2", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "genesys-emu-default-"));
    try {
      const bad = spawnSync(process.execPath, [CLI, "--profile", "cloud", "--data", dir], { encoding: "utf8" });
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain("--profile must be platform or tutorial");
      const child = spawn(process.execPath, [CLI, "--port", "0", "--data", path.join(dir, "data")], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      const line = await new Promise<string>((resolve, reject) => {
        let buf = "";
        child.stdout.setEncoding("utf8").on("data", (d: string) => {
          buf += d;
          if (buf.includes("\n")) resolve(buf.split("\n")[0]);
        });
        child.once("exit", (code) => reject(new Error(`exited ${code}`)));
      });
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
      expect(JSON.parse(line)).toMatchObject({ event: "listening", clientId: "emulator-admin", profile: "platform" });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a data dir written before profiles existed (no profile in its journal) is a tutorial one", async () => {
    const tutorial = await startEmulator({ profile: "tutorial" });
    await tutorial.stop();
    const journal = path.join(tutorial.dataDir, "journal.jsonl");
    const lines = fs.readFileSync(journal, "utf8").split("\n");
    const meta = JSON.parse(lines[0]);
    expect(meta).toMatchObject({ t: "meta", profile: "tutorial" });
    delete meta.profile;
    fs.writeFileSync(journal, [JSON.stringify(meta), ...lines.slice(1)].join("\n"));
    const res = spawnSync(process.execPath, [CLI, "--port", "0", "--data", tutorial.dataDir], {
      encoding: "utf8",
      timeout: 10_000,
    });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain("holds a tutorial-profile organisation; start it with --profile tutorial");
    await tutorial.restart();
    expect(tutorial.profile).toBe("tutorial");
    await tutorial.stop();
  });

  test("a platform seed rejects the tutorial's keys and unknown permissions", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "genesys-emu-pfseed-"));
    try {
      const file = path.join(dir, "seed.json");
      fs.writeFileSync(
        file,
        JSON.stringify({
          dispositionMatrix: { a: ["b"] },
          clients: [{ clientId: "x", permissions: ["routing:everything"] }],
          wrapupCodes: [{ name: "  " }],
        }),
      );
      const res = spawnSync(process.execPath, [CLI, "--port", "0", "--data", path.join(dir, "d"), "--seed", file], {
        encoding: "utf8",
        timeout: 10_000,
      });
      expect(res.status).toBe(1);
      expect(res.stderr).toContain("dispositionMatrix (unknown.field)");
      expect(res.stderr).toContain("clients[0].permissions");
      expect(res.stderr).toContain("wrapupCodes[0].name");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("hand-made codes", () => {
  test("the wrapupCodes seed key creates codes as the admin UI would, on queues by name or id; idempotent", async () => {
    const seed = {
      queues: [{ name: "Alpha" }, { id: "11111111-2222-4333-8444-555555555555", name: "Beta" }],
      divisions: [{ name: "Americas" }],
      wrapupCodes: [
        { name: "Rappel client", description: "fait main", queues: ["Alpha", "11111111-2222-4333-8444-555555555555"] },
        { name: "Vente conclue", division: "Americas", queues: ["beta"] },
        { name: "Sans file" },
      ],
    };
    const em = await startEmulator({ profile: "platform", seed });
    try {
      const all = await em.api("GET", `${CODES}?pageSize=500`);
      expect(all.body.entities.map((c: { name: string }) => c.name)).toEqual([
        "Rappel client",
        "Sans file",
        "Vente conclue",
      ]);
      for (const c of all.body.entities)
        expect(c).toMatchObject({ createdBy: "admin-ui-user", modifiedBy: "admin-ui-user" });
      expect(all.body.entities[2].division.name).toBe("Americas");
      expect(all.body.entities[0].description).toBe("fait main");
      const beta = await em.api("GET", `${QUEUES_PATH}/11111111-2222-4333-8444-555555555555/wrapupcodes`);
      expect(beta.body.entities.map((c: { name: string }) => c.name)).toEqual(["Rappel client", "Vente conclue"]);
      // the harness restarts with the same --seed: nothing is duplicated
      await em.restart();
      expect((await em.api("GET", `${CODES}?pageSize=500`)).body.entities).toEqual(
        all.body.entities.map((c: Record<string, unknown>) => ({ ...c, dateModified: expect.any(String) })),
      );
      expect((await em.api("GET", `${QUEUES_PATH}/11111111-2222-4333-8444-555555555555/wrapupcodes`)).body.total).toBe(
        2,
      );
      // a client's code with the same name as a hand-made one is a duplicate
      expectErrorBody(await em.api("POST", CODES, { name: "rappel CLIENT" }), 400, "duplicate.name");
    } finally {
      await em.stop();
    }
  });

  test("POST /__emulator/seed/wrapupcodes: 5000 codes on 200 queues, quickly; bad references are 400", async () => {
    const em = await startEmulator({ profile: "platform", seed: { queueCount: 200 } });
    try {
      const codes = Array.from({ length: 5000 }, (_, i) => ({
        name: `Hand-made ${String(i).padStart(4, "0")}`,
        queues: [
          `Queue ${String((i % 200) + 1).padStart(4, "0")}`,
          `Queue ${String(((i + 7) % 200) + 1).padStart(4, "0")}`,
        ],
      }));
      const started = Date.now();
      const res = await seedCodes(em, codes);
      const ms = Date.now() - started;
      expect(res.status).toBe(200);
      expect(res.body.wrapupCodes).toHaveLength(5000);
      expect(ms).toBeLessThan(5000);
      const list = await em.api("GET", `${CODES}?pageSize=1`);
      expect(list.body.total).toBe(5000);
      const queue1 = await em.api("GET", `${QUEUES_PATH}/8e0d6f2a-1b3c-4d5e-8f71-000000000001/wrapupcodes?pageSize=1`);
      expect(queue1.body.total).toBe(50);

      const bad = await seedCodes(em, [{ name: "Lost", queues: ["No such queue"] }]);
      expect(bad.status).toBe(400);
      expect(bad.body.details).toEqual([{ errorCode: "invalid.value", fieldName: "wrapupCodes[0].queues[0]" }]);
      expect(bad.body.message).toContain("No such queue");
      expect((await em.api("GET", `${CODES}?name=Lost`)).body.total).toBe(0);
      const invalid = await seedCodes(em, [{ name: "" }]);
      expect(invalid.status).toBe(400);

      // a restart replays them all
      await em.restart();
      expect((await em.api("GET", `${CODES}?pageSize=1`)).body.total).toBe(5000);
      expect(
        (await em.api("GET", `${QUEUES_PATH}/8e0d6f2a-1b3c-4d5e-8f71-000000000200/wrapupcodes?pageSize=1`)).body.total,
      ).toBe(50);
    } finally {
      await em.stop();
    }
  }, 30_000);
});
