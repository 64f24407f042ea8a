/** Persistence across restarts, the journal's crash-safety, the data-dir lock, seed files and the CLI. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EmulatorProcess, QUEUES, REPO_ROOT, startEmulator } from "../support/emulator";
import { CODES, expectErrorBody, QUEUES_PATH, uniqueName, validCode, WEBHOOKS } from "./helpers";

const CLI = path.join(REPO_ROOT, "emulator/dist/cli.js");
const running: EmulatorProcess[] = [];
async function start(...args: Parameters<typeof startEmulator>) {
  const em = await startEmulator(...args);
  running.push(em);
  return em;
}
afterAll(async () => {
  await Promise.all(running.map((em) => em.stop()));
});

describe("restart on the same data dir", () => {
  let em: EmulatorProcess;
  beforeAll(async () => {
    em = await start({ profile: "tutorial", config: { requestsPerMinute: 100_000 } });
  });

  test("codes, webhooks, queues, clients and tokens survive; ids stay the same", async () => {
    const token = await em.token();
    const created = await Promise.all(
      Array.from({ length: 50 }, (_, i) => em.api("POST", CODES, validCode({ codeName: `Persist ${i}` }), { token })),
    );
    expect(created.every((r) => r.status === 200)).toBe(true);
    const updated = await em.api(
      "PUT",
      `${CODES}/${created[0].body.id}`,
      validCode({ codeName: "Persist 0", code: "EDITED" }),
      { token },
    );
    expect(updated.status).toBe(200);
    expect((await em.api("DELETE", `${CODES}/${created[1].body.id}`, undefined, { token })).status).toBe(204);
    const hook = await em.api(
      "POST",
      WEBHOOKS,
      {
        name: "persisted",
        callbackUrl: "https://bi.example.com/h",
        eventTypes: ["routing:wrapupcode:created"],
        secret: "x",
        enabled: false,
      },
      { token },
    );
    expect(hook.status).toBe(200);
    const beforeCodes = await em.api("GET", `${CODES}?pageSize=500`, undefined, { token });
    const beforeQueues = await em.api("GET", `${QUEUES_PATH}?pageSize=500`, undefined, { token });
    const { clientSecret, url } = em;
    const oldPid = em.pid;

    await em.restart();
    expect(em.pid).not.toBe(oldPid);
    expect(em.url).toBe(url);
    expect(em.clientSecret).toBe(clientSecret);

    // the old token still works (tokens are persisted, as their hashes)
    const afterCodes = await em.api("GET", `${CODES}?pageSize=500`, undefined, { token });
    expect(afterCodes.status).toBe(200);
    expect(afterCodes.body.total).toBe(49);
    expect(afterCodes.body.entities).toEqual(beforeCodes.body.entities);
    expect(afterCodes.body.entities.find((c: { id: string }) => c.id === created[0].body.id).code).toBe("EDITED");
    expect((await em.api("GET", `${CODES}/${created[1].body.id}`, undefined, { token })).status).toBe(404);
    expect((await em.api("GET", `${QUEUES_PATH}?pageSize=500`, undefined, { token })).body.entities).toEqual(
      beforeQueues.body.entities,
    );
    const hookAfter = await em.api("GET", `${WEBHOOKS}/${hook.body.id}`, undefined, { token });
    expect(hookAfter.body).toEqual(hook.body);
    expect(hookAfter.body.secretSet).toBe(true);

    // uniqueness is still enforced after replay
    const dup = await em.api("POST", CODES, validCode({ codeName: "PERSIST 5" }), { token });
    expectErrorBody(dup, 409, "general.conflict");
    expect(dup.body.entityId).toBe(created[5].body.id);
    expect(fs.readdirSync(em.dataDir).sort()).toEqual(["emulator.lock", "journal.jsonl"]);
  });

  test("the journal holds no access token and only whole JSON lines", async () => {
    const token = await em.token();
    const journal = fs.readFileSync(path.join(em.dataDir, "journal.jsonl"), "utf8");
    expect(journal).not.toContain(token);
    const lines = journal.trim().split("\n");
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  test("a torn last journal line (crash mid-write) is ignored on replay", async () => {
    const token = await em.token();
    const kept = await em.api("POST", CODES, validCode({ codeName: "Before the crash" }), { token });
    await em.stop();
    const journal = path.join(em.dataDir, "journal.jsonl");
    fs.appendFileSync(journal, '{"t":"code","v":{"id":"torn-record","codeName":"Half wri');
    await em.restart();
    expect(em.stderr()).toMatch(/torn/);
    expect((await em.api("GET", `${CODES}/${kept.body.id}`, undefined, { token })).body.codeName).toBe(
      "Before the crash",
    );
    expect((await em.api("GET", `${CODES}/torn-record`, undefined, { token })).status).toBe(404);
    const after = await em.api("POST", CODES, validCode({ codeName: "After the crash" }), { token });
    expect(after.status).toBe(200);
    // the compaction at start removed the torn line: a further restart is clean and keeps both codes
    expect(fs.readFileSync(journal, "utf8")).not.toContain("Half wri");
    await em.restart();
    expect(em.stderr()).not.toMatch(/torn/);
    expect((await em.api("GET", `${CODES}/${after.body.id}`, undefined, { token })).status).toBe(200);
  });

  test("a second emulator on the same data dir refuses to start", () => {
    const res = spawnSync(process.execPath, [CLI, "--port", "0", "--data", em.dataDir], {
      encoding: "utf8",
      timeout: 10_000,
    });
    expect(res.status).toBe(1);
    expect(res.stdout).toBe("");
    expect(res.stderr).toContain(`in use by another emulator (pid ${em.pid})`);
  });

  test("SIGTERM closes gracefully (exit 0) and removes the lock", async () => {
    const proc = running.find((p) => p === em)!;
    await proc.stop();
    expect(proc.exitStatus()).toEqual({ code: 0, signal: null });
    expect(fs.existsSync(path.join(em.dataDir, "emulator.lock"))).toBe(false);
  });
});

describe("seed files", () => {
  const seed = {
    clients: [
      {
        clientId: "ci-admin",
        clientSecret: "ci-secret",
        scopes: ["routing:wrapupcode", "routing:wrapupcode:write", "routing:queue", "analytics:events:write"],
      },
      { clientId: "ci-generated", scopes: ["routing:queue"] },
    ],
    queues: [
      { name: "Alpha" },
      { id: "11111111-2222-4333-8444-555555555555", name: "Beta", division: "Operations", memberCount: 7 },
    ],
    dispositionMatrix: { billing: ["paid", "disputed"] },
    queueCount: 3,
  };

  test("a seed replaces clients, queues and the matrix; queueCount adds generated queues", async () => {
    const em = await start({ profile: "tutorial", seed });
    expect(em.clientId).toBe("ci-admin");
    expect(em.clientSecret).toBe("ci-secret");
    const token = await em.token();
    const queues = await em.api("GET", `${QUEUES_PATH}?pageSize=500`, undefined, { token });
    expect(queues.body.total).toBe(5);
    const byName = Object.fromEntries(queues.body.entities.map((q: { name: string; id: string }) => [q.name, q]));
    expect(Object.keys(byName).sort()).toEqual(["Alpha", "Beta", "Queue 0001", "Queue 0002", "Queue 0003"]);
    expect(byName["Queue 0001"].id).toBe("8e0d6f2a-1b3c-4d5e-8f71-000000000001");
    expect(byName["Queue 0003"].id).toBe("8e0d6f2a-1b3c-4d5e-8f71-000000000003");
    expect(byName.Beta).toMatchObject({
      id: "11111111-2222-4333-8444-555555555555",
      memberCount: 7,
      division: { name: "Operations" },
    });
    expect(byName.Alpha.division.name).toBe("Home");
    expect((await em.api("GET", `${QUEUES_PATH}/${QUEUES.Support}`, undefined, { token })).status).toBe(404);

    const billing = validCode({ codeCategoryName: "billing", routingQueue: { id: byName.Alpha.id } });
    expect((await em.api("POST", CODES, billing, { token })).status).toBe(200);
    const support = await em.api("POST", CODES, validCode({ routingQueue: { id: byName.Alpha.id } }), { token });
    expectErrorBody(support, 400, "bad.request");
    expect(support.body.details).toEqual([{ errorCode: "invalid.value", fieldName: "codeCategoryName" }]);
    expect(fs.readFileSync(path.join(em.dataDir, "journal.jsonl"), "utf8")).toContain('"clientId":"ci-generated"');

    // a queue without id gets an id derived from its name: the same in another data dir
    const other = await start({ profile: "tutorial", seed });
    const otherToken = await other.token();
    const alpha = await other.api("GET", `${QUEUES_PATH}?name=Alpha`, undefined, { token: otherToken });
    expect(alpha.body.entities[0].id).toBe(byName.Alpha.id);
    await other.stop();

    // restarting with the same seed is idempotent
    await em.restart();
    expect((await em.api("GET", `${QUEUES_PATH}?pageSize=1`, undefined, { token })).body.total).toBe(5);
  });

  test("an invalid seed file stops the start with a message on stderr", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "genesys-emu-badseed-"));
    try {
      const file = path.join(dir, "seed.json");
      fs.writeFileSync(
        file,
        JSON.stringify({ clients: [{ clientId: "x", scopes: ["routing:everything"] }], queueCount: -1 }),
      );
      const res = spawnSync(
        process.execPath,
        [CLI, "--profile", "tutorial", "--port", "0", "--data", path.join(dir, "data"), "--seed", file],
        {
          encoding: "utf8",
          timeout: 10_000,
        },
      );
      expect(res.status).toBe(1);
      expect(res.stdout).toBe("");
      expect(res.stderr).toContain("clients[0].scopes");
      expect(res.stderr).toContain("queueCount");
      fs.writeFileSync(file, JSON.stringify({ clients: [] }));
      const none = spawnSync(
        process.execPath,
        [CLI, "--profile", "tutorial", "--port", "0", "--data", path.join(dir, "data"), "--seed", file],
        {
          encoding: "utf8",
          timeout: 10_000,
        },
      );
      expect(none.status).toBe(1);
      expect(none.stderr).toContain("clients (required)");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("queues can be added at runtime through /__emulator/seed/queues", async () => {
    const em = await start({ profile: "tutorial" });
    const res = await fetch(`${em.url}/__emulator/seed/queues`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ queues: [{ name: "Runtime" }], queueCount: 2 }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { queues: { id: string; name: string }[] };
    expect(body.queues.map((q) => q.name)).toEqual(["Runtime", "Queue 0001", "Queue 0002"]);
    const dup = await fetch(`${em.url}/__emulator/seed/queues`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ queues: [{ id: "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4eaa", name: "support" }] }),
    });
    expect(dup.status).toBe(409);
    const more = (await (
      await fetch(`${em.url}/__emulator/seed/queues`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: '{"queueCount":1}',
      })
    ).json()) as { queues: { id: string }[] };
    expect(more.queues[0].id).toBe("8e0d6f2a-1b3c-4d5e-8f71-000000000003");
    const list = await em.api("GET", `${QUEUES_PATH}?pageSize=1`);
    expect(list.body.total).toBe(4 + 4);
  });
});

describe("CLI", () => {
  test("--help, bad options and a missing --data exit without touching stdout", () => {
    const help = spawnSync(process.execPath, [CLI, "--help"], { encoding: "utf8" });
    expect(help.status).toBe(0);
    expect(help.stdout).toBe("");
    expect(help.stderr).toContain("--data");
    const bad = spawnSync(process.execPath, [CLI, "--bogus"], { encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe("");
    const noData = spawnSync(process.execPath, [CLI, "--port", "0"], { encoding: "utf8" });
    expect(noData.status).toBe(2);
    expect(noData.stderr).toContain("--data is required");
  });

  test("stdout carries only the ready line; stderr never the secret or tokens", async () => {
    const em = await start({ profile: "tutorial", config: { requestsPerMinute: 1000 } });
    const token = await em.token();
    await em.api("POST", CODES, validCode({ codeName: uniqueName() }), { token });
    await em.stop();
    expect(em.exitStatus()).toEqual({ code: 0, signal: null });
    const lines = em.stdoutLines();
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toEqual({
      event: "listening",
      url: em.url,
      clientId: "emulator-admin",
      clientSecret: em.clientSecret,
      profile: "tutorial",
    });
    expect(em.stderr()).not.toContain(em.clientSecret);
    expect(em.stderr()).not.toContain(token);
    expect(em.stderr()).toContain("SIGTERM");
  });
});
