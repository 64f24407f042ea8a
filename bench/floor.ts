/**
 * The engine's floor with checkpoints on: the 3000/min `up` of N new codes (as in the `requests` scenario) on each
 * CLI (the pinned 3.248 and the newest buildable one), each state backend (the local file backend and PostgreSQL
 * from scripts/state-db.sh), and with a smaller state entry per code (the program declares its resources after an
 * `await`, so the SDK records no stack trace: see docs/benchmarks.md, "The engine's floor"). Every variant keeps every
 * per-step checkpoint and the update's history record; the checks say so for each run.
 *
 * Also the floor itself: no-op resources shaped like WrapUpCodes (SHAPED_NOOP_PROJECT, no API at all) on the chosen
 * default, which is what the engine alone costs there.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { CliChoice, PulumiProject, REPO_ROOT, SPEC_PROGRAM, pulumiBinDir } from "../test/support/pulumi";
import { StateDb, startStateDb } from "../test/support/state-db";
import { CodeSpec, SHAPED_NOOP_PROJECT, census, codeProject, codeSpecs, startBenchEmulator, timed } from "./lib";
import type { BenchSize, ScenarioRun } from "./scenarios";

const BUDGET_PER_MINUTE = 3000;

/**
 * A spec-driven program (SPEC_PROGRAM, SHAPED_NOOP_PROJECT.program) changed to declare its resources after an
 * `await`. The Node.js SDK records, for every resource, the call stack of its constructor (`Resource.stackTrace` in
 * @pulumi/pulumi/resource.js, sent as `stackTrace` and `sourcePosition` of RegisterResource and kept by the engine in
 * the resource's state): at the top level of a program that is ~10 frames of module loading and Pulumi's runner
 * (~390 bytes per resource). A continuation after an `await` has no frames below it, and the anonymous function's
 * frame has no name for the SDK's frame parser, so the entry records `"stackTrace": [{}]` and no source position.
 */
export function awaited(program: string): string {
  const loop = "for (const r of spec.resources) {";
  if (!program.includes(loop)) throw new Error("not a spec-driven program");
  const body = program.slice(program.indexOf(loop));
  return (
    program.slice(0, program.indexOf(loop)) +
    "module.exports = (async () => {\n  await null;\n" +
    body.replace("module.exports = out;", "return out;") +
    "})();\n"
  );
}

/** One configuration of the engine: which CLI, which backend, which program shape. */
export interface FloorVariant {
  readonly id: string;
  readonly cli: CliChoice;
  readonly backend: "file" | "postgres";
  /** Declare the codes after an `await` (no stack trace per resource). */
  readonly awaited?: boolean;
  /** Checkpoints compressed with zstd (`PULUMI_DIY_BACKEND_ZSTD=true`, any DIY backend). */
  readonly zstd?: boolean;
  /** No-op resources shaped like WrapUpCodes instead of codes: the engine's floor of this configuration. */
  readonly shapedNoop?: boolean;
}

export const FLOOR_VARIANTS: FloorVariant[] = [
  { id: "3.248 file", cli: "pinned", backend: "file" },
  { id: "newest file", cli: "newest", backend: "file" },
  { id: "newest postgres", cli: "newest", backend: "postgres" },
  { id: "newest file, no stack traces", cli: "newest", backend: "file", awaited: true },
  { id: "floor: newest file, no stack traces", cli: "newest", backend: "file", awaited: true, shapedNoop: true },
];

/** The chosen team default as a team gets it without touching its program (`floor-default`). */
export const FLOOR_DEFAULT_VARIANTS: FloorVariant[] = [
  { id: "3.248 postgres, zstd", cli: "pinned", backend: "postgres", zstd: true },
];

/** Compressed checkpoints (`floor-zstd`), measured after the five above showed where the time goes. */
export const FLOOR_ZSTD_VARIANTS: FloorVariant[] = [
  { id: "newest file, zstd, no stack traces", cli: "newest", backend: "file", awaited: true, zstd: true },
  { id: "newest postgres, zstd, no stack traces", cli: "newest", backend: "postgres", awaited: true, zstd: true },
];

/** The checkpoint as the backend holds it: `pulumi stack export` (works on every backend). */
async function exportedDeployment(project: PulumiProject): Promise<any> {
  return JSON.parse((await project.mustRun(["stack", "export"])).stdout).deployment;
}

/** CPU seconds a process and the children it reaped used, from /proc (Linux). */
function treeCpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime, stime, cutime, cstime: fields 14-17 of proc(5), in 1/100 s.
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100;
}

/** The database server's CPU: the postmaster reaps each connection's backend process when the CLI disconnects. */
function serverCpuSeconds(db: StateDb): number {
  return treeCpuSeconds(Number(fs.readFileSync(path.join(db.dir, "data", "postmaster.pid"), "utf8").split("\n")[0]));
}

/**
 * The environment of a `pulumi` run whose CPU is counted: a `pulumi` wrapper first on PATH runs the real CLI and then
 * bash's `times`, which reports the CPU of every process the CLI started and waited for (the engine, the language
 * host, the program, the provider host). Wall time on a shared machine says how busy the machine was; CPU seconds
 * say what the run cost.
 */
function cpuCounted(
  project: PulumiProject,
  variant: FloorVariant,
): { env: Record<string, string>; seconds: () => number } {
  const dir = path.join(project.dir, ".cpu-counted");
  fs.mkdirSync(dir, { recursive: true });
  const real = path.join(pulumiBinDir(variant.cli), "pulumi");
  const out = path.join(dir, "times.txt");
  fs.writeFileSync(
    path.join(dir, "pulumi"),
    `#!/usr/bin/env bash\n"${real}" "$@"\nrc=$?\ntimes > "${out}"\nexit $rc\n`,
    { mode: 0o755 },
  );
  const seconds = () => {
    // `times` prints the shell's user and system time, then its children's: "1m2.345s 0m4.500s".
    const children = fs.readFileSync(out, "utf8").trim().split("\n")[1] ?? "";
    return children
      .split(/\s+/)
      .map((t) => /^(\d+)m([\d.]+)s$/.exec(t))
      .reduce((sum, m) => sum + (m ? Number(m[1]) * 60 + Number(m[2]) : NaN), 0);
  };
  return { env: { PATH: `${dir}:${pulumiBinDir(variant.cli)}:${process.env.PATH}` }, seconds };
}

/** Runs one variant: a fresh emulator, state database (for postgres) and project; one timed `up`. */
async function runVariant(size: BenchSize, variant: FloorVariant) {
  const { em, queueIds } = await startBenchEmulator({ requestsPerMinute: BUDGET_PER_MINUTE }, size.queues);
  const db = variant.backend === "postgres" ? await startStateDb() : undefined;
  const env: Record<string, string> = { PATH: `${pulumiBinDir(variant.cli)}:${process.env.PATH}` };
  if (db) env.PULUMI_BACKEND_URL = db.url;
  if (variant.zstd) env.PULUMI_DIY_BACKEND_ZSTD = "true";
  const specs: CodeSpec[] = codeSpecs(size.n, queueIds);
  let project: PulumiProject | undefined;
  try {
    const program = variant.shapedNoop ? SHAPED_NOOP_PROJECT.program : SPEC_PROGRAM;
    const declared = variant.awaited ? awaited(program) : program;
    project = variant.shapedNoop
      ? await PulumiProject.create({ ...SHAPED_NOOP_PROJECT, program: declared, env })
      : await codeProject(em, {}, { env, program: declared });
    project.writeSpec(specs);
    await em.resetStats();
    const dbBefore = db ? serverCpuSeconds(db) : 0;
    const counted = cpuCounted(project, variant);
    const up = await timed(() => project!.run(["up", "--yes", "--skip-preview"], counted.env));
    const dbCpu = db ? serverCpuSeconds(db) - dbBefore : 0;
    const runCpu = counted.seconds();
    const deployment = await exportedDeployment(project);
    const resources: any[] = deployment.resources ?? [];
    const entries = resources.filter((r) => /genesys:WrapUpCode|bench:Noop/.test(r.type));
    const history = await historyRecords(project, db);
    const bound = size.n / (BUDGET_PER_MINUTE / 60);
    const meanBytes = entries.reduce((s, r) => s + Buffer.byteLength(JSON.stringify(r)), 0) / entries.length;
    const traceBytes =
      entries.reduce((s, r) => s + Buffer.byteLength(JSON.stringify(r.stackTrace ?? null)), 0) / entries.length;
    const exact = variant.shapedNoop ? undefined : await census(em, specs);
    return {
      seconds: up.ms / 1000,
      ratio: up.ms / 1000 / bound,
      meanBytes,
      traceBytes,
      dbCpu,
      runCpu,
      ok:
        up.value.code === 0 &&
        entries.length === size.n &&
        (deployment.pending_operations ?? []).length === 0 &&
        history === 1 &&
        (exact === undefined || (exact.exactlyOnce === size.n && exact.extra.length === 0)),
      detail:
        `exit ${up.value.code}, ${entries.length}/${size.n} in state, ${history} history record(s)` +
        (exact ? `, ${exact.exactlyOnce}/${size.n} exactly once, ${exact.extra.length} extra` : ""),
    };
  } finally {
    await em.stop();
    project?.cleanup();
    await db?.stop();
  }
}

/** An update's history record, plain or compressed (`.history.json.zst` with PULUMI_DIY_BACKEND_ZSTD). */
const HISTORY = /\.history\.json(\.gz|\.zst)?$/;

/** The update's history records (`<stack>/<time>.history.json`): the audit trail the CLI keeps beside the state. */
async function historyRecords(project: PulumiProject, db?: StateDb): Promise<number> {
  if (db) {
    const keys = [...(await db.objects()).keys()];
    return keys.filter((k) => k.includes(`/.pulumi/history/${project.name}/`) && HISTORY.test(k)).length;
  }
  const dir = path.join(project.backendDir, ".pulumi", "history", project.name, project.stack);
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => HISTORY.test(f)).length : 0;
}

/** The `floor` scenario: every variant once per run, in an order that reverses between runs. */
export async function engineFloor(size: BenchSize, run: number, variants = FLOOR_VARIANTS): Promise<ScenarioRun> {
  const figures: Record<string, number> = {};
  const checks: ScenarioRun["checks"] = {};
  const order = run % 2 === 0 ? variants : [...variants].reverse();
  for (const variant of order) {
    const r = await runVariant(size, variant);
    process.stderr.write(
      `[floor] ${variant.id}: ${r.seconds.toFixed(1)} s, CPU ${r.runCpu.toFixed(1)} s` +
        (variant.backend === "postgres" ? ` + database ${r.dbCpu.toFixed(1)} s` : "") +
        `, ${r.detail}\n`,
    );
    figures[`${variant.id}: up seconds`] = r.seconds;
    figures[`${variant.id}: seconds / bound`] = r.ratio;
    figures[`${variant.id}: mean state bytes per code`] = r.meanBytes;
    figures[`${variant.id}: stack trace bytes per code`] = r.traceBytes;
    figures[`${variant.id}: CPU s of the run (CLI and every process it started)`] = r.runCpu;
    if (variant.backend === "postgres") figures[`${variant.id}: PostgreSQL server CPU s`] = r.dbCpu;
    checks[`${variant.id}: every code, one history record, no pending operation`] = { ok: r.ok, detail: r.detail };
  }
  return { figures, checks };
}

/** `pulumi version` of a CLI choice, for the report. */
export function cliVersion(choice: CliChoice): string {
  return execFileSync(path.join(pulumiBinDir(choice), "pulumi"), ["version"], {
    cwd: REPO_ROOT,
    encoding: "utf8",
  }).trim();
}

/**
 * Where the engine's own CPU goes during the `up`: `pulumi up --profiling` (a Go CPU profile of the CLI process),
 * read with `go tool pprof -top -cum`. Each figure is the CPU seconds spent in a function and everything it called.
 */
const PROFILED: Record<string, string> = {
  "checkpoint writes (SnapshotManager.saveSnapshot)": "backend.(*SnapshotManager).saveSnapshot",
  "… serialising the whole snapshot (stack.SerializeDeploymentWithMetadata)": "stack.SerializeDeploymentWithMetadata",
  "… integrity checks (snapshot.VerifyIntegrity)": "snapshot.VerifyIntegrity",
  "… the DIY backend's write (diyBackend.saveCheckpoint)": "diy.(*diyBackend).saveCheckpoint",
  "… … marshalling the checkpoint to JSON (encoding/json.Marshal)": "encoding/json.Marshal",
  "… … copying the previous checkpoint to .bak (diy.backupTarget)": "diy.backupTarget",
  "… … listing the stack's files (diyBackend.stackPath)": "diy.(*diyBackend).stackPath",
};

function pprofSeconds(value: string): number {
  const m = /^([\d.]+)(ms|s|us|µs|min|h)$/.exec(value);
  if (!m) return NaN;
  const scale: Record<string, number> = { us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, min: 60, h: 3600 };
  return Number(m[1]) * scale[m[2]];
}

/** The `floor-profile` scenario: one profiled `up` per backend on the newest CLI, with the codes as declared today. */
export async function floorProfile(size: BenchSize): Promise<ScenarioRun> {
  const figures: Record<string, number> = {};
  const checks: ScenarioRun["checks"] = {};
  for (const backend of ["file", "postgres"] as const) {
    const { em, queueIds } = await startBenchEmulator({ requestsPerMinute: BUDGET_PER_MINUTE }, size.queues);
    const db = backend === "postgres" ? await startStateDb() : undefined;
    const env: Record<string, string> = { PATH: `${pulumiBinDir("newest")}:${process.env.PATH}` };
    if (db) env.PULUMI_BACKEND_URL = db.url;
    let project: PulumiProject | undefined;
    try {
      project = await codeProject(em, {}, { env });
      project.writeSpec(codeSpecs(size.n, queueIds));
      const prefix = path.join(project.dir, "profile");
      const up = await timed(() => project!.run(["up", "--yes", "--skip-preview", "--profiling", prefix]));
      const cpu = fs.readdirSync(project.dir).find((f) => f.startsWith("profile.") && f.endsWith(".cpu"));
      const top = cpu
        ? execFileSync("go", ["tool", "pprof", "-top", "-cum", "-nodecount=2000", path.join(project.dir, cpu)], {
            encoding: "utf8",
            maxBuffer: 64 * 1024 * 1024,
          })
        : "";
      const total = /Total samples = (\S+)/.exec(top)?.[1];
      figures[`${backend}: up seconds (profiled)`] = up.ms / 1000;
      figures[`${backend}: CPU seconds of the pulumi process`] = total ? pprofSeconds(total) : NaN;
      const rows = top.split("\n").map((line) => line.trim().split(/\s+/));
      for (const [label, fn] of Object.entries(PROFILED)) {
        const row = rows.find((r) => r.length >= 6 && r.slice(5).join(" ").includes(fn));
        figures[`${backend}: ${label}, CPU s`] = row ? pprofSeconds(row[3]) : 0;
      }
      checks[`${backend}: profiled up succeeded`] = {
        ok: up.value.code === 0 && total !== undefined,
        detail: `exit ${up.value.code}, profile ${cpu ?? "missing"}`,
      };
    } finally {
      await em.stop();
      project?.cleanup();
      await db?.stop();
    }
  }
  return { figures, checks };
}
