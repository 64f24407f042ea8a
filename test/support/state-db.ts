/**
 * A private PostgreSQL server for Pulumi's PostgreSQL state backend, started with scripts/state-db.sh:
 *
 *   const db = await startStateDb();           // fresh temp dir, free loopback port
 *   afterAll(() => db.stop());
 *   PulumiProject.create({ env: { PULUMI_BACKEND_URL: db.url } });
 *   const rows = await db.sql("SELECT key FROM pulumi_state");
 *
 * A server left running when the test process exits (a test that failed before its afterAll) is stopped then.
 */
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "./pulumi";

const SCRIPT = path.join(REPO_ROOT, "scripts/state-db.sh");

export interface StateDb {
  /** The backend URL (`postgres://pulumi@127.0.0.1:<port>/pulumi?sslmode=disable&passfile=…`). */
  readonly url: string;
  /** The directory given to scripts/state-db.sh (data, log, pgpass). */
  readonly dir: string;
  /** Runs SQL through psql and resolves with the rows, each as its columns' text. */
  sql(query: string): Promise<string[][]>;
  /**
   * Every object the backend keeps (checkpoints, backups, history, locks), by key: what Pulumi's blob layer writes
   * into the table `pulumi_state` (base64 in a JSON document per key), decoded.
   */
  objects(): Promise<Map<string, string>>;
  /** Stops the server. Idempotent. */
  stop(): Promise<void>;
}

const running = new Set<string>();
let exitHookInstalled = false;

function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("bash", [SCRIPT, ...args], { encoding: "utf8", timeout: 5 * 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`state-db.sh ${args.join(" ")} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

export async function startStateDb(): Promise<StateDb> {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", () => {
      for (const dir of running) {
        try {
          execFileSync("bash", [SCRIPT, "stop", dir], { stdio: "ignore" });
        } catch {
          // best effort: the process is leaving anyway
        }
      }
    });
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "genesys-state-db-"));
  const dir = path.join(root, "db");
  const url = (await run(["start", dir])).trim().split("\n").pop()!;
  running.add(dir);
  const port = new URL(url).port;
  const passfile = path.join(dir, "pgpass");

  const sql = (query: string): Promise<string[][]> =>
    new Promise((resolve, reject) => {
      // psql of the same installation; -A -t -F: unaligned rows, no headers, tab-separated columns.
      const args = ["-h", "127.0.0.1", "-p", port, "-U", "pulumi", "-d", "pulumi", "-X", "-A", "-t", "-F", "\t"];
      execFile(
        "psql",
        [...args, "-v", "ON_ERROR_STOP=1", "-c", query],
        { env: { ...process.env, PGPASSFILE: passfile }, encoding: "utf8", maxBuffer: 512 * 1024 * 1024 },
        (err, stdout, stderr) => {
          if (err) reject(new Error(`psql: ${stderr}`));
          else
            resolve(
              stdout
                .split("\n")
                .filter((line) => line !== "")
                .map((line) => line.split("\t")),
            );
        },
      );
    });

  return {
    url,
    dir,
    sql,
    objects: async () => {
      const rows = await sql("SELECT key, data->>'data' FROM pulumi_state ORDER BY key");
      return new Map(rows.map(([key, data]) => [key, Buffer.from(data ?? "", "base64").toString("utf8")]));
    },
    stop: async () => {
      if (!running.delete(dir)) return;
      await run(["stop", dir]);
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
