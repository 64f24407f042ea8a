import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { loadCatalogue } from "../../stack/catalogue";
import { ensureEmulatorBuilt } from "../support/emulator";
import { REPO_ROOT, RUN_TIMEOUT_MS, RunResult, pulumiBinDir, trackChild } from "../support/pulumi";

// `npm start` runs scripts/demo.js after building: here it runs twice on a temp data dir (GENESYS_DEMO_DIR) and
// must print the created codes and the BI events, preview a catalogue edit, and leave the checkout as it was.

const catalogue = loadCatalogue(path.join(REPO_ROOT, "catalogue/wrapup-codes.yaml"));

function demo(dir: string): Promise<RunResult> {
  return new Promise((resolve) =>
    trackChild(
      execFile(
        process.execPath,
        [path.join(REPO_ROOT, "scripts/demo.js")],
        {
          cwd: REPO_ROOT,
          env: { ...process.env, GENESYS_DEMO_DIR: dir },
          maxBuffer: 64 * 1024 * 1024,
          timeout: RUN_TIMEOUT_MS,
          // SIGTERM: the demo stops its emulator and BI stand-in on it.
          killSignal: "SIGTERM",
        },
        (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
      ),
      (child) => child.kill("SIGTERM"),
    ),
  );
}

describe("npm start (scripts/demo.js)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "genesys-demo-"));
  const committed = ["Pulumi.dev.yaml", "catalogue/wrapup-codes.yaml"].map((f) => [
    f,
    fs.readFileSync(path.join(REPO_ROOT, f), "utf8"),
  ]);

  beforeAll(() => {
    ensureEmulatorBuilt();
    pulumiBinDir();
  }, 600_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("deploys the catalogue to the emulator, prints the codes and events, and previews an edit", async () => {
    // Another program (here: this test; on a shared machine: another demo) holds the dev stack's callback port:
    // the BI stand-in moves to a free port and the events still arrive.
    const squatter = net.createServer();
    await new Promise<void>((resolve) => {
      squatter.once("error", () => resolve()); // already taken by someone else: the same situation
      squatter.listen(18787, "127.0.0.1", () => resolve());
    });
    const run = await demo(dir).finally(() => squatter.close());
    expect(run.stderr).not.toMatch(/error|warn/i);
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toContain(`+ ${catalogue.codes.length + 2} created`);
    expect(out).toMatch(/port 18787 of wrapup-codes:callbackUrl is taken: the BI stand-in uses \d+/);
    const table = out.slice(out.indexOf("==> Wrap-up codes now in the organisation"));
    expect(table).toMatch(/NAME +QUEUES +CODE +CATEGORY +DIVISION +CREATED BY +ID/);
    for (const code of catalogue.codes) {
      // Every code on its queues (by name), with what only the stack holds: short code and category.
      const queues = code.queues.map((q) => q[0].toUpperCase() + q.slice(1)).sort();
      expect(table).toMatch(new RegExp(`${code.name} +${queues.join(", ")} +${code.code} +${code.category} +Home `));
    }
    expect(table).toContain(`${catalogue.codes.length} codes`);
    expect(out).toContain(`${catalogue.codes.length} events: ${catalogue.codes.length} × routing:wrapupcode:created`);
    // The edit preview: one field of one code, and one new code; nothing applied.
    expect(out).toMatch(/~ mandatory +: true => false/);
    // The webhook too: it will report both changes to the BI platform.
    expect(out).toMatch(/\+ 1 to create\s+~ 2 to update/);
    // (With --diff the CLI shows the provider's info messages on stderr.)
    expect(out + run.stderr).toContain('BI-sync webhook "bi-sync": 2 event(s) to deliver');
  }, 300_000);

  it("changes nothing on a second run, and writes the client secret nowhere but the emulator's own data", async () => {
    const run = await demo(dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${catalogue.codes.length + 2} unchanged`);
    expect(run.stdout).toContain("none: nothing changed, so nothing was sent");

    const journal = fs.readFileSync(path.join(dir, "emulator", "journal.jsonl"), "utf8");
    const secret = /"clientId":"emulator-admin","clientSecret":"([^"]+)"/.exec(journal)![1];
    expect(run.stdout).not.toContain(secret);
    for (const sub of ["state", "pulumi-home"]) {
      for (const file of fs.readdirSync(path.join(dir, sub), { recursive: true, encoding: "utf8" })) {
        const full = path.join(dir, sub, file);
        if (fs.statSync(full).isFile()) expect(fs.readFileSync(full, "utf8")).not.toContain(secret);
      }
    }
    for (const [file, text] of committed) expect(fs.readFileSync(path.join(REPO_ROOT, file), "utf8")).toBe(text);
  }, 300_000);
});
