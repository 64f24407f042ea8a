/**
 * Runs the Genesys Cloud emulator (emulator/dist/cli.js) as a child process for tests.
 *
 *   const em = await startEmulator();            // fresh temp data dir, port 0, tutorial profile
 *   const pf = await startEmulator({ profile: "platform" });
 *   afterAll(() => em.stop());                   // always: kills the child
 *   const token = await em.token();              // full-scope client of the seed
 *   const res = await em.api("GET", "/api/v2/routing/queues");
 *
 * Builds the emulator first when emulator/dist is missing or older than emulator/src.
 */
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { DeliveryAttempt, EmulatorConfig } from "../../emulator/src/index";

/**
 * Parsed JSON answers. Tests check them field by field; `any` keeps those checks terse.
 */
export type Json = any;

export const REPO_ROOT = path.resolve(__dirname, "../..");
const EMULATOR_DIR = path.join(REPO_ROOT, "emulator");
const CLI = path.join(EMULATOR_DIR, "dist", "cli.js");

/** Fixed ids of the default seed's queues (also documented in docs/emulator.md). */
export const QUEUES = {
  Support: "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4e01",
  Sales: "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4e02",
  Billing: "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4e03",
  Retention: "8e0d6f2a-1b3c-4d5e-8f70-0a1b2c3d4e04",
} as const;

/** The default seed's restricted clients (fixed secrets; the admin secret is random per data dir). */
export const READONLY_CLIENT = { clientId: "emulator-readonly", clientSecret: "emulator-readonly-secret" } as const;
export const NOSCOPE_CLIENT = { clientId: "emulator-noscope", clientSecret: "emulator-noscope-secret" } as const;

/** The API an emulator serves (docs/emulator.md, "Profiles"). */
export type Profile = "platform" | "tutorial";

export interface StartOptions {
  /**
   * The API served, passed as `--profile`. Default `tutorial` for now (the engine and example tests speak the
   * tutorial's API), although the emulator's own default is `platform`.
   */
  profile?: Profile;
  /** Data dir; default: a new temp dir (removed when the test process exits). */
  dataDir?: string;
  /** Seed object (written to a file in the data dir's parent and passed as --seed). */
  seed?: unknown;
  /** Initial runtime config (passed as --config). */
  config?: unknown;
  port?: number;
  /** Milliseconds to wait for the ready line (default 20 s). */
  readyTimeoutMs?: number;
}

export interface ApiResponse<T = Json> {
  status: number;
  headers: Headers;
  /** Parsed JSON body (undefined when empty). */
  body: T;
  text: string;
}

export interface EmulatorProcess {
  readonly url: string;
  /** The profile it serves (from the ready line). */
  readonly profile: Profile;
  readonly port: number;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly dataDir: string;
  /** The child's pid (changes on restart). */
  readonly pid: number;
  /** How the last child ended (undefined while it runs). */
  exitStatus(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Every stdout line the child printed (the ready line first). */
  stdoutLines(): string[];
  stderr(): string;
  stats(): Promise<{ since: string; total: number; faults: number; byRoute: Record<string, number> }>;
  resetStats(): Promise<void>;
  /** PUT /__emulator/config with the patch (GET when omitted); returns the resulting config. */
  config(patch?: unknown): Promise<EmulatorConfig>;
  /** POST /__emulator/faults/next. */
  faultNext(fault: { method?: string; route?: string; kind: string; count?: number }): Promise<void>;
  deliveries(query?: { webhookId?: string; deliveryId?: string }): Promise<DeliveryAttempt[]>;
  /** A fresh access token (default: the seed's full-scope client). */
  token(clientId?: string, clientSecret?: string): Promise<string>;
  /** A JSON request to the emulator; `token: null` sends no Authorization header. */
  api<T = Json>(
    method: string,
    urlPath: string,
    body?: unknown,
    opts?: { token?: string | null; headers?: Record<string, string> },
  ): Promise<ApiResponse<T>>;
  /** SIGTERM, wait for exit (SIGKILL after 5 s). Idempotent. */
  stop(): Promise<void>;
  /** stop(), then start again on the same data dir and port. */
  restart(): Promise<void>;
}

const children = new Set<ChildProcess>();
/** Emulators started in this test file and not stopped yet (see {@link stopAllEmulators}). */
const started = new Set<EmulatorProcess>();
const tempDirs = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const c of children) c.kill("SIGKILL");
    for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
  });
}

function newestMtime(dir: string, ext: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p, ext));
    else if (e.name.endsWith(ext)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds emulator/dist when it is missing or older than the sources (serialised by a lock dir). */
export function ensureEmulatorBuilt(): void {
  const stale = () =>
    !fs.existsSync(CLI) || newestMtime(path.join(EMULATOR_DIR, "src"), ".ts") > fs.statSync(CLI).mtimeMs;
  if (!stale()) return;
  const lock = path.join(os.tmpdir(), "genesys-emulator-build.lock");
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      // a lock older than two minutes was left by a killed build: take it over
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (stale()) {
      execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-b", EMULATOR_DIR], {
        cwd: REPO_ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      });
      // tsc -b skips emitting unchanged outputs; make the staleness check see a fresh build.
      const now = new Date();
      fs.utimesSync(CLI, now, now);
    }
  } finally {
    fs.rmdirSync(lock);
  }
}

interface Spawned {
  child: ChildProcess;
  exit?: { code: number | null; signal: NodeJS.Signals | null };
  ready: { url: string; clientId: string; clientSecret: string; profile: Profile };
  stdout: string[];
  stderr: () => string;
  exited: Promise<void>;
}

function spawnCli(args: string[], timeoutMs: number): Promise<Spawned> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  const stdout: string[] = [];
  let stderr = "";
  let buf = "";
  let spawned: Spawned | undefined;
  let exit: Spawned["exit"];
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      children.delete(child);
      exit = { code, signal };
      if (spawned) spawned.exit = exit;
      resolve();
    }),
  );
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      child.kill("SIGKILL");
      reject(new Error(`emulator not ready after ${timeoutMs} ms; stderr:\n${stderr}`));
    }, timeoutMs);
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.stdout!.setEncoding("utf8").on("data", (d: string) => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        stdout.push(line);
        if (settled) continue;
        settled = true;
        clearTimeout(timer);
        try {
          const ready = JSON.parse(line);
          if (ready.event !== "listening") throw new Error(`unexpected first line ${line}`);
          spawned = { child, ready, stdout, stderr: () => stderr, exited, exit };
          resolve(spawned);
        } catch (e) {
          child.kill("SIGKILL");
          reject(e);
        }
      }
    });
    child.once("exit", (code, signal) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`emulator exited (${code ?? signal}) before it was ready; stderr:\n${stderr}`));
    });
  });
}

export async function startEmulator(opts: StartOptions = {}): Promise<EmulatorProcess> {
  installExitHook();
  ensureEmulatorBuilt();
  let dataDir = opts.dataDir;
  if (!dataDir) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "genesys-emu-"));
    tempDirs.add(root);
    dataDir = path.join(root, "data");
  }
  const extra: string[] = ["--profile", opts.profile ?? "tutorial"];
  if (opts.seed !== undefined) {
    const file = path.join(path.dirname(path.resolve(dataDir)), `seed-${process.pid}-${Date.now()}.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(opts.seed));
    extra.push("--seed", file);
  }
  if (opts.config !== undefined) extra.push("--config", JSON.stringify(opts.config));
  const timeoutMs = opts.readyTimeoutMs ?? 20_000;

  let current = await spawnCli(["--port", String(opts.port ?? 0), "--data", dataDir, ...extra], timeoutMs);
  let port = Number(new URL(current.ready.url).port);
  let stopped = false;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    started.delete(handle);
    const { child, exited } = current;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(killer);
    }
  };

  const admin = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(handle.url + p, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${p} -> ${res.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };

  let cachedToken: string | undefined;
  const handle: EmulatorProcess = {
    get url() {
      return current.ready.url;
    },
    get port() {
      return port;
    },
    get profile() {
      return current.ready.profile;
    },
    get clientId() {
      return current.ready.clientId;
    },
    get clientSecret() {
      return current.ready.clientSecret;
    },
    get pid() {
      return current.child.pid!;
    },
    dataDir,
    exitStatus: () => current.exit,
    stdoutLines: () => [...current.stdout],
    stderr: () => current.stderr(),
    stats: () => admin("GET", "/__emulator/stats"),
    resetStats: async () => {
      await admin("POST", "/__emulator/stats/reset");
    },
    config: (patch) =>
      patch === undefined ? admin("GET", "/__emulator/config") : admin("PUT", "/__emulator/config", patch),
    faultNext: async (fault) => {
      await admin("POST", "/__emulator/faults/next", fault);
    },
    deliveries: async (query = {}) => {
      const q = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined) as [string, string][]);
      return (await admin("GET", `/__emulator/deliveries${q.size ? `?${q}` : ""}`)).attempts;
    },
    token: async (clientId = handle.clientId, clientSecret = handle.clientSecret) => {
      const res = await fetch(`${handle.url}/oauth/token`, {
        method: "POST",
        headers: { Authorization: "Basic " + Buffer.from(`${clientId}:${clientSecret}`).toString("base64") },
        body: new URLSearchParams({ grant_type: "client_credentials" }),
      });
      const body = (await res.json()) as { access_token?: string };
      if (res.status !== 200 || !body.access_token) throw new Error(`token request failed: ${res.status}`);
      return body.access_token;
    },
    api: async (method, urlPath, body, opts = {}) => {
      let token = opts.token;
      if (token === undefined) token = cachedToken ??= await handle.token();
      const headers: Record<string, string> = { ...opts.headers };
      if (token !== null) headers.Authorization = `Bearer ${token}`;
      if (body !== undefined) headers["Content-Type"] ??= "application/json";
      const res = await fetch(handle.url + urlPath, {
        method,
        headers,
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = undefined;
      if (text) {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
      }
      return { status: res.status, headers: res.headers, body: parsed as never, text };
    },
    stop,
    restart: async () => {
      await stop();
      const args = ["--port", String(port), "--data", dataDir!, ...extra];
      let lastError: unknown;
      for (let i = 0; i < 10; i++) {
        try {
          current = await spawnCli(args, timeoutMs);
          lastError = undefined;
          break;
        } catch (e) {
          lastError = e;
          if (!/EADDRINUSE/.test(String(e))) break;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
      if (lastError) throw lastError;
      port = Number(new URL(current.ready.url).port);
      stopped = false;
      started.add(handle);
      cachedToken = undefined;
    },
  };
  started.add(handle);
  return handle;
}

/**
 * Stops every emulator this test file started and did not stop: a test that fails between `startEmulator` and its
 * own cleanup must not leave a child that holds jest open. Called after every test file (test/support/cleanup.ts).
 */
export async function stopAllEmulators(): Promise<number> {
  const left = [...started];
  await Promise.all(left.map((em) => em.stop()));
  return left.length;
}
