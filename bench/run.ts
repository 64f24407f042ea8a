/**
 * npm run bench [-- --runs 3 --n 1000 --queues 10 --only requests,overhead]
 *
 * Runs the scenarios of bench/scenarios.ts through the real Pulumi CLI against the emulator, one after the other,
 * and prints every figure as the median of its runs with min and max, every check with its evidence, and the
 * machine it ran on. The raw samples and the report are also written to .bench/ (git-ignored).
 * docs/benchmarks.md records a full run and explains each figure.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "../test/support/pulumi";
import { FLOOR_DEFAULT_VARIANTS, FLOOR_ZSTD_VARIANTS, cliVersion, engineFloor, floorProfile } from "./floor";
import { machineInfo, summarize } from "./lib";
import {
  BenchSize,
  ScenarioRun,
  faults,
  killedRun,
  overhead,
  parallelism,
  requests,
  restartedApi,
  shortTokens,
  throughputWithoutCheckpoints,
} from "./scenarios";

interface Scenario {
  readonly id: string;
  readonly title: string;
  /** Runs of this scenario; the fault scenarios are pass/fail checks of one large run each. */
  readonly runs: (defaultRuns: number) => number;
  readonly run: (size: BenchSize, index: number) => Promise<ScenarioRun>;
  /** Runs only when named in --only (the engine-floor comparisons take an hour or more on two cores). */
  readonly optIn?: boolean;
}

const SCENARIOS: Scenario[] = [
  {
    id: "requests",
    title: "Requests and throughput: up of N new codes at a 3000/min budget; unchanged preview/up; refresh; state",
    runs: (r) => r,
    run: (size) => requests(size),
  },
  {
    id: "parallel-32",
    title: "The same up with engine parallelism 32 (pulumi up --parallel 32; the default is 4 per core)",
    runs: () => 1,
    run: (size) => parallelism(size, 32),
  },
  {
    id: "overhead",
    title: "Overhead: the same up with no latency and no limit, against the engine's floor (no-op dynamic resources)",
    runs: (r) => r,
    run: (size, i) => overhead(size, i),
  },
  {
    id: "no-checkpoints",
    title: "Throughput with the engine's per-step checkpoints off (PULUMI_SKIP_CHECKPOINTS=true), and its floor",
    runs: (r) => r,
    run: (size) => throughputWithoutCheckpoints(size),
  },
  {
    id: "former-pace",
    title: "The former default pace (genesys:requestsPerSecond 10), checkpoints off: what the old default cost",
    runs: () => 1,
    run: (size) =>
      throughputWithoutCheckpoints(size, { config: { "genesys:requestsPerSecond": "10" }, withFloor: false }),
  },
  {
    id: "binding-budget",
    title: "A budget that binds (600/min: N + Q + 1 requests need two windows), checkpoints off: holds, not 429s",
    runs: () => 1,
    run: (size) => throughputWithoutCheckpoints(size, { withFloor: false, budgetPerMinute: 600 }),
  },
  {
    id: "floor",
    optIn: true,
    title:
      "The engine's floor with checkpoints on: the 3000/min up on CLI 3.248 and the newest, file and PostgreSQL " +
      "backends, with and without stack traces in state; and no-op resources shaped like codes",
    runs: (r) => r,
    run: (size, i) => engineFloor(size, i),
  },
  {
    id: "floor-zstd",
    optIn: true,
    title: "The same up with zstd-compressed checkpoints (PULUMI_DIY_BACKEND_ZSTD=true), file and PostgreSQL backends",
    runs: (r) => r,
    run: (size, i) => engineFloor(size, i, FLOOR_ZSTD_VARIANTS),
  },
  {
    id: "floor-default",
    optIn: true,
    title: "The team default as is: CLI 3.248, PostgreSQL, zstd-compressed checkpoints, the program unchanged",
    runs: (r) => r,
    run: (size, i) => engineFloor(size, i, FLOOR_DEFAULT_VARIANTS),
  },
  {
    id: "floor-profile",
    optIn: true,
    title:
      "Where the engine's CPU goes in that up (newest CLI, file and PostgreSQL): pulumi up --profiling, go tool pprof",
    runs: () => 1,
    run: (size) => floorProfile(size),
  },
  {
    id: "faults",
    title: "Faults: 10% 503, 5% 429, 1% connection resets on every API call; then refresh",
    runs: () => 1,
    run: (size) => faults(size),
  },
  {
    id: "short-tokens",
    title: "Tokens that live 5 s during the up",
    runs: () => 1,
    run: (size) => shortTokens(size),
  },
  {
    id: "killed-run",
    title: "up killed (SIGKILL) halfway; cancel, refresh --clear-pending-creates, up",
    runs: () => 1,
    run: (size) => killedRun(size),
  },
  {
    id: "restarted-api",
    title: "The emulator restarted mid-run; then up again",
    runs: () => 1,
    run: (size) => restartedApi(size),
  },
];

function machine(only: string[] | undefined): Record<string, string> {
  const { commit, ...info } = machineInfo();
  return {
    ...info,
    ...(only?.some((id) => id.startsWith("floor")) ? { "newest pulumi": cliVersion("newest") } : {}),
    commit,
  };
}

const fmt = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 2 : 1));

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: "string", default: "3" },
      n: { type: "string", default: "1000" },
      queues: { type: "string", default: "10" },
      only: { type: "string" },
    },
  });
  const runs = Number(values.runs);
  const size: BenchSize = { n: Number(values.n), queues: Number(values.queues) };
  const only = values.only?.split(",");
  const unknown = only?.filter((id) => !SCENARIOS.some((s) => s.id === id)) ?? [];
  if (unknown.length > 0)
    throw new Error(`unknown scenario ${unknown.join(", ")}; known: ${SCENARIOS.map((s) => s.id)}`);
  const chosen = SCENARIOS.filter((s) => (only ? only.includes(s.id) : !s.optIn));

  const started = new Date();
  const info = { ...machine(only), "load average at start": os.loadavg().map(fmt).join(" ") };
  const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  const report: string[] = [
    `# Benchmark run ${started.toISOString()}`,
    "",
    `N = ${size.n} codes, Q = ${size.queues} queues, ${runs} runs of the measured scenarios.`,
    "",
  ];
  const raw: Record<string, ScenarioRun[]> = {};
  let failed = 0;

  for (const scenario of chosen) {
    const results: ScenarioRun[] = [];
    const count = scenario.runs(runs);
    for (let i = 0; i < count; i++) {
      log(`${scenario.id} run ${i + 1}/${count} ...`);
      const t0 = Date.now();
      const result = await scenario.run(size, i);
      results.push(result);
      const bad = Object.entries(result.checks).filter(([, c]) => !c.ok);
      log(
        `${scenario.id} run ${i + 1} done in ${((Date.now() - t0) / 1000).toFixed(0)} s, ${bad.length} failed checks`,
      );
      for (const [name, c] of bad) log(`  FAILED ${name}: ${c.detail}`);
    }
    raw[scenario.id] = results;
    report.push(
      `## ${scenario.id}: ${scenario.title}`,
      "",
      "| figure | median | min | max | runs |",
      "|---|---|---|---|---|",
    );
    for (const name of Object.keys(results[0].figures)) {
      const s = summarize(results.map((r) => r.figures[name]));
      report.push(`| ${name} | ${fmt(s.median)} | ${fmt(s.min)} | ${fmt(s.max)} | ${s.samples.length} |`);
    }
    report.push("", "| check | result | evidence (last run) |", "|---|---|---|");
    for (const name of Object.keys(results[0].checks)) {
      const ok = results.every((r) => r.checks[name].ok);
      if (!ok) failed++;
      report.push(`| ${name} | ${ok ? "pass" : "FAIL"} | ${results[results.length - 1].checks[name].detail} |`);
    }
    report.push("");
  }

  const minutes = (Date.now() - started.getTime()) / 60_000;
  const finished = {
    ...info,
    "load average at end": os.loadavg().map(fmt).join(" "),
    "wall time": `${fmt(minutes)} min`,
  };
  report.push("## Machine", "", ...Object.entries(finished).map(([k, v]) => `- ${k}: ${v}`), "");
  const text = report.join("\n");
  const dir = path.join(REPO_ROOT, ".bench");
  fs.mkdirSync(dir, { recursive: true });
  const stamp = started.toISOString().replace(/[:.]/g, "-");
  fs.writeFileSync(path.join(dir, `results-${stamp}.md`), text);
  fs.writeFileSync(
    path.join(dir, `results-${stamp}.json`),
    JSON.stringify({ size, runs, machine: finished, raw }, null, 2),
  );
  process.stdout.write(text + "\n");
  log(`report: .bench/results-${stamp}.md (${failed} failed checks)`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(2);
});
