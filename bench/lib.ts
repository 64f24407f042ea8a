/**
 * Shared pieces of the benchmarks (bench/run.ts) and the fault tests (test/engine/faults.test.ts): an emulator with
 * Q generated queues, a Pulumi project that declares N wrap-up codes spread over them, the engine's floor program,
 * a way to SIGKILL a running `pulumi`, and read-outs taken from the emulator's own data.
 */
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ApiResponse, EmulatorProcess } from "../test/support/emulator";
import { startEmulator } from "../test/support/emulator";
import { PulumiProject, REPO_ROOT, cliEnv, pulumiBinDir, trackChild } from "../test/support/pulumi";

/** Ids the emulator gives its generated queues (`seed.queueCount`): `…-8f71-000000000001` and up. */
export function generatedQueueIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `8e0d6f2a-1b3c-4d5e-8f71-${String(i + 1).padStart(12, "0")}`);
}

/** Every scope of the emulator (contract section 2). */
export const ALL_SCOPES = ["routing:wrapupcode", "routing:wrapupcode:write", "routing:queue", "analytics:events:write"];

/** A second full-scope OAuth client in {@link startBenchEmulator}'s seed: "someone else" (another tool, a person). */
export const OTHER_CLIENT = { clientId: "someone-else", clientSecret: "someone-else-secret" } as const;

/**
 * An emulator seeded with `queues` generated queues, the full-scope `emulator-admin` client (the provider's) and
 * {@link OTHER_CLIENT}, started with the given runtime config (kept across `restart()`).
 */
export async function startBenchEmulator(
  config: Record<string, unknown> = {},
  queues = 10,
): Promise<{ em: EmulatorProcess; queueIds: string[] }> {
  const seed = {
    queueCount: queues,
    clients: [
      { clientId: "emulator-admin", scopes: ALL_SCOPES },
      { ...OTHER_CLIENT, scopes: ALL_SCOPES },
    ],
  };
  const em = await startEmulator({ seed, config, readyTimeoutMs: 60_000 });
  return { em, queueIds: generatedQueueIds(queues) };
}

/** The spec.json entry of one wrap-up code (see SPEC_PROGRAM in test/support/pulumi.ts). */
export interface CodeSpec {
  type: "WrapUpCode";
  name: string;
  args: {
    name: string;
    code: string;
    category: string;
    queueId: string;
    tags?: string[];
    mandatory?: boolean;
  };
}

const CATEGORIES = ["sales", "support", "compliance"];

/** `n` codes spread round-robin over `queueIds`; names are unique per stack, so per queue too. */
export function codeSpecs(n: number, queueIds: readonly string[], prefix = "Bench"): CodeSpec[] {
  return Array.from({ length: n }, (_, i) => ({
    type: "WrapUpCode",
    name: `code-${i}`,
    args: {
      name: `${prefix} Code ${String(i).padStart(5, "0")}`,
      code: `${prefix.toUpperCase()}_${i}`,
      category: CATEGORIES[i % CATEGORIES.length],
      queueId: queueIds[i % queueIds.length],
      ...(i % 4 === 0 ? { tags: ["source:bench"] } : {}),
      ...(i % 5 === 0 ? { mandatory: true } : {}),
    },
  }));
}

/**
 * A project whose provider talks to `em` with the emulator's full-scope client, in the API profile the emulator
 * speaks (startEmulator's default, `tutorial`). `options` may give another program or environment (a backend URL,
 * another CLI first on PATH).
 */
export function codeProject(
  em: EmulatorProcess,
  config: Record<string, string> = {},
  options: { env?: Record<string, string>; program?: string } = {},
): Promise<PulumiProject> {
  return PulumiProject.create({
    config: {
      "genesys:apiProfile": "tutorial",
      "genesys:apiUrl": em.url,
      "genesys:clientId": em.clientId,
      ...config,
    },
    secrets: { "genesys:clientSecret": em.clientSecret },
    ...options,
  });
}

/**
 * The engine's floor: the same spec.json, declared as resources of a dynamic provider that does nothing (create
 * echoes the inputs). They go the same way through the engine as WrapUpCodes — `pulumi-nodejs:dynamic` resources
 * with a one-line `__provider` and the same arguments — so the difference between the two runs is what our resource
 * class, our provider and the API add.
 */
export const NOOP_SPEC_PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const spec = JSON.parse(require("fs").readFileSync(__dirname + "/spec.json", "utf8"));
const PROVIDER = "exports.handler = () => ({ create: async (inputs) => ({ id: inputs.code, outs: inputs }) });\\n";
for (const r of spec.resources) {
  new pulumi.CustomResource("pulumi-nodejs:dynamic/bench:Noop", r.name, { __provider: PROVIDER, ...r.args });
}
`;

/**
 * The floor shaped like a WrapUpCode: a no-op provider (in a module of the project, loaded by a one-line
 * `__provider` like ours), whose resources declare the same seven output properties as the WrapUpCode class, whose
 * `check` adds the same normalised inputs (defaults, derived reporting tags), and whose `create` returns outputs of
 * the same fields and size (ids, dates, client ids, audit). Compared with {@link NOOP_SPEC_PROGRAM} it measures
 * what the resource's shape costs the engine and the SDK; compared with the codes, what the provider's work and the
 * API calls cost.
 */
export const SHAPED_NOOP_PROJECT = {
  program: `
const pulumi = require("@pulumi/pulumi");
const spec = JSON.parse(require("fs").readFileSync(__dirname + "/spec.json", "utf8"));
const PROVIDER = "exports.handler = () => require(" + JSON.stringify(__dirname + "/shaped.js") + ").provider;\\n";
const OUTPUTS = { reportingTags: undefined, codeId: undefined, dateCreated: undefined, dateModified: undefined,
  createdBy: undefined, modifiedBy: undefined, audit: undefined };
for (const r of spec.resources) {
  new pulumi.CustomResource("pulumi-nodejs:dynamic/bench:Noop", r.name, { ...r.args, __provider: PROVIDER, ...OUTPUTS });
}
`,
  files: {
    "shaped.js": `
const { randomUUID } = require("crypto");
const SUBS = { sales: ["conversion", "lead", "follow_up"], support: ["resolved", "escalation", "callback"],
  compliance: ["voicemail", "no_answer", "wrong_number"] };
exports.provider = {
  check: async (_olds, news) => ({ inputs: { ...news, mandatory: news.mandatory ?? false, tags: news.tags ?? [],
    onConflict: news.onConflict ?? "fail",
    reportingTags: ["cat:" + news.category, ...SUBS[news.category].map((s) => "sub:" + s), ...(news.tags ?? [])] } }),
  create: async (inputs) => {
    const id = randomUUID();
    const now = new Date().toISOString();
    return { id, outs: { ...inputs, codeId: id, dateCreated: now, dateModified: now, createdBy: "emulator-admin",
      modifiedBy: "emulator-admin", audit: { action: "create", time: now, clientId: "emulator-admin",
      contextId: randomUUID(), attempts: 1, latencyMs: 3 } } };
  },
};
`,
  },
};

/**
 * Every wrap-up code the emulator holds, read with the admin client (pages of 500). The read goes through the API,
 * so the faults a scenario injects hit it too: a page answered 429/5xx or cut off is asked again (up to 20 times).
 */
export async function emulatorCodes(em: EmulatorProcess): Promise<any[]> {
  const codes: any[] = [];
  for (let page = 1; ; page++) {
    const path = `/api/v2/routing/wrapupcodes?pageSize=500&pageNumber=${page}`;
    let res: ApiResponse | undefined;
    let failure = "";
    for (let attempt = 1; attempt <= 20; attempt++) {
      try {
        res = await em.api("GET", path);
      } catch (e) {
        failure = String(e);
        res = undefined;
        continue;
      }
      if (res.status === 200) break;
      failure = `${res.status} ${res.text}`;
      if (res.status !== 429 && res.status < 500) break;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
    if (res?.status !== 200) throw new Error(`listing codes: ${failure}`);
    codes.push(...res.body.entities);
    if (page >= res.body.pageCount || res.body.entities.length === 0) return codes;
  }
}

/** How the emulator's codes compare with the declared ones, by (queue, name). */
export interface CodeCensus {
  /** Declared codes found exactly once with the declared `code`. */
  readonly exactlyOnce: number;
  /** Declared codes not found. */
  readonly missing: string[];
  /** Declared codes found more than once (cannot happen while the server enforces unique names; checked anyway). */
  readonly duplicated: string[];
  /** Codes in the emulator that no resource declares. */
  readonly extra: string[];
}

/** Compares the emulator's codes with `specs`. */
export async function census(em: EmulatorProcess, specs: readonly CodeSpec[]): Promise<CodeCensus> {
  const key = (queueId: string, name: string) => `${queueId}/${name.toLowerCase()}`;
  const found = new Map<string, any[]>();
  for (const c of await emulatorCodes(em)) {
    const k = key(c.routingQueue.id, c.codeName);
    found.set(k, [...(found.get(k) ?? []), c]);
  }
  let exactlyOnce = 0;
  const missing: string[] = [];
  const duplicated: string[] = [];
  for (const s of specs) {
    const k = key(s.args.queueId, s.args.name);
    const matches = found.get(k) ?? [];
    found.delete(k);
    if (matches.length === 0) missing.push(s.args.name);
    else if (matches.length > 1) duplicated.push(s.args.name);
    else if (matches[0].code === s.args.code) exactlyOnce++;
    else missing.push(`${s.args.name} (code ${matches[0].code})`);
  }
  const extra = [...found.values()].flat().map((c) => `${c.codeName} in ${c.routingQueue.id}`);
  return { exactlyOnce, missing, duplicated, extra };
}

/** Wrap-up code resources in the project's state. */
export function stateCodes(project: PulumiProject): ReturnType<PulumiProject["stateResources"]> {
  return project.stateResources().filter((r) => r.type.endsWith("genesys:WrapUpCode"));
}

/** Pending operations the engine recorded in the state (e.g. creates a killed run left in flight). */
export function pendingOperations(project: PulumiProject): { type: string; urn: string }[] {
  const state = JSON.parse(project.stateText());
  return (state.checkpoint.latest?.pending_operations ?? []).map((op: any) => ({
    type: op.type,
    urn: op.resource.urn,
  }));
}

/** A `pulumi` run that can be killed with everything it started. */
export interface KillableRun {
  readonly child: ChildProcess;
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  /**
   * SIGKILL to the CLI and every process below it (language host, program, dynamic-provider host), like a machine
   * or a CI runner going down. The CLI starts its plugins in process groups of their own, so a signal to its group
   * alone would leave them running (a dynamic-provider host whose engine is gone does not exit by itself).
   */
  kill(): void;
}

/** Pids of every process below `root`, from /proc (Linux). */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/**
 * Starts `pulumi <args>` in the project like `project.run` does, but in a process group of its own, so a test can
 * SIGKILL it and everything it started mid-run (a crashed CI runner, an OOM kill).
 */
export function spawnPulumi(
  project: PulumiProject,
  args: string[],
  extraEnv: Record<string, string> = {},
): KillableRun {
  // The environment `project.run` uses, given the extra env the project was created with (a backend URL, …).
  const env = cliEnv(project.dir, project.backendDir, extraEnv);
  const child = spawn("pulumi", [...args, "--non-interactive", "--stack", project.stack], {
    cwd: project.dir,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve) => child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  const kill = () => {
    const tree = descendants(child.pid!);
    for (const target of [-child.pid!, ...tree]) {
      try {
        process.kill(target, "SIGKILL");
      } catch {
        // already gone
      }
    }
  };
  trackChild(child, kill);
  return { child, done, kill };
}

/**
 * Step 0 of the procedure after a killed run with the local file backend (docs/operations.md): a kill during a
 * checkpoint write can leave the checkpoint's metadata file (`<stack>.json.attrs`, written in place by gocloud's
 * fileblob) empty, and every command then fails with `failed to load checkpoint: EOF`. The file only holds a checksum
 * and a content type; without it the checkpoint loads. Returns the files removed.
 */
export function removeEmptyBackendAttrs(project: PulumiProject): string[] {
  const removed: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith(".attrs") && fs.statSync(file).size === 0) {
        fs.rmSync(file);
        removed.push(file);
      }
    }
  };
  walk(path.join(project.backendDir, ".pulumi"));
  return removed;
}

/** Polls `probe` every `everyMs` until it is true; fails after `timeoutMs`. */
export async function waitFor(probe: () => Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Environment that loads bench/cpu-probe.js into every node process of a `pulumi` run; the probes write their CPU
 * time into a fresh temporary directory, read back with {@link cpuByRole}.
 */
export function cpuProbe(): { env: Record<string, string>; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-cpu-"));
  const probe = path.join(__dirname, "cpu-probe.js");
  return { dir, env: { NODE_OPTIONS: `--require ${probe}`, BENCH_CPU_DIR: dir } };
}

/** CPU seconds the probed processes used, by role (`program`, `provider`, `other`); removes the directory. */
export function cpuByRole(dir: string): { program: number; provider: number; other: number } {
  const totals = { program: 0, provider: 0, other: 0 };
  for (const file of fs.readdirSync(dir)) {
    const { role, cpuMs } = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as {
      role: keyof typeof totals;
      cpuMs: number;
    };
    totals[role] += cpuMs / 1000;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return totals;
}

/** CPU seconds (user + system) a running process has used so far, from /proc (Linux). */
export function processCpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14 and 15 of proc(5) (utime, stime), in clock ticks of 1/100 s on Linux.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Runs `fn` and returns its value with the wall time it took. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value };
}

/** Median, min and max of a figure's samples. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly samples: readonly number[];
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error("no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], samples: [...samples] };
}

/** What the emulator counted since the last stats reset: API and token requests, injected faults, 401s. */
export interface RequestCounts {
  /** Every request (API and token endpoint). */
  readonly total: number;
  /** /api/v2 requests, faults included. */
  readonly api: number;
  /** Token requests. */
  readonly token: number;
  /** Requests answered with an injected fault (status or reset). */
  readonly faults: number;
  /** API requests answered 401 (a token that expired before use). */
  readonly unauthorized: number;
  /** API requests answered 429 by the rate limit itself (not an injected fault). */
  readonly rateLimited: number;
}

export async function requestCounts(em: EmulatorProcess): Promise<RequestCounts> {
  const stats = await em.stats();
  let api = 0;
  let token = 0;
  let unauthorized = 0;
  let rateLimited = 0;
  for (const [route, n] of Object.entries(stats.byRoute)) {
    if (route.startsWith("POST /oauth/token")) token += n;
    else api += n;
    if (/ 401$/.test(route)) unauthorized += n;
    if (/ 429$/.test(route)) rateLimited += n;
  }
  return { total: stats.total, api, token, faults: stats.faults, unauthorized, rateLimited };
}

/** The machine, the CLI and the commit a bench ran on, as its report names them. */
export function machineInfo(): Record<string, string> {
  return {
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    pulumi: execFileSync(path.join(pulumiBinDir(), "pulumi"), ["version"], { encoding: "utf8" }).trim(),
    commit: execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: REPO_ROOT, encoding: "utf8" }).trim(),
  };
}

/**
 * The peak resident memory of a Node.js child process (`process.resourceUsage().maxRSS`), written at its exit by a
 * `--require`d probe: the command's own memory, not that of what it runs. One child at a time.
 */
export class RssProbe {
  readonly #dir = fs.mkdtempSync(path.join(os.tmpdir(), "genesys-rss-probe-"));
  readonly #script = path.join(this.#dir, "rss-probe.js");
  readonly #file = path.join(this.#dir, "rss.txt");

  constructor() {
    fs.writeFileSync(
      this.#script,
      `process.on("exit", () => require("fs").writeFileSync(process.env.GENESYS_BENCH_RSS, String(process.resourceUsage().maxRSS)));\n`,
    );
  }

  /** The environment that makes a child report its peak (with more `node` options, if given). */
  env(nodeOptions = ""): Record<string, string> {
    return { NODE_OPTIONS: `--require ${this.#script} ${nodeOptions}`.trim(), GENESYS_BENCH_RSS: this.#file };
  }

  /** The peak the last child reported, in MiB. */
  peakMiB(): number {
    return Number(fs.readFileSync(this.#file, "utf8")) / 1024;
  }

  dispose(): void {
    fs.rmSync(this.#dir, { recursive: true, force: true });
  }
}
