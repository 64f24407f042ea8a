/**
 * The benchmark scenarios. Each starts its own emulator and project(s), drives the real Pulumi CLI, and returns
 * figures (numbers, one per run, summarised by bench/run.ts) and checks (what must hold, with the evidence).
 */
import type { EmulatorProcess } from "../test/support/emulator";
import { PulumiProject } from "../test/support/pulumi";
import {
  CodeSpec,
  NOOP_SPEC_PROGRAM,
  SHAPED_NOOP_PROJECT,
  census,
  codeProject,
  codeSpecs,
  cpuByRole,
  cpuProbe,
  emulatorCodes,
  pendingOperations,
  processCpuSeconds,
  removeEmptyBackendAttrs,
  requestCounts,
  spawnPulumi,
  startBenchEmulator,
  stateCodes,
  timed,
  waitFor,
} from "./lib";

/** Sizes and knobs shared by every scenario. */
export interface BenchSize {
  /** Codes declared. */
  readonly n: number;
  /** Queues they are spread over. */
  readonly queues: number;
}

/** One run of a scenario: figures by name, and checks that must hold. */
export interface ScenarioRun {
  readonly figures: Record<string, number>;
  readonly checks: Record<string, { ok: boolean; detail: string }>;
}

/** The emulator budget of the throughput and fault runs (requests per minute per token). */
export const BUDGET_PER_MINUTE = 3000;

const POSTS = "POST /api/v2/routing/wrapupcodes 200";
const SKIP_CHECKPOINTS = { PULUMI_SKIP_CHECKPOINTS: "true" };

function check(ok: boolean, detail: string): { ok: boolean; detail: string } {
  return { ok, detail };
}

async function exactly(em: Parameters<typeof census>[0], specs: CodeSpec[]) {
  const c = await census(em, specs);
  const ok = c.exactlyOnce === specs.length && c.missing.length + c.duplicated.length + c.extra.length === 0;
  return check(
    ok,
    `${c.exactlyOnce}/${specs.length} exactly once, ${c.missing.length} missing, ` +
      `${c.duplicated.length} duplicated, ${c.extra.length} extra`,
  );
}

/** Bytes of state per code: the largest resource entry of the checkpoint, and the mean. */
function stateBytes(project: PulumiProject): { max: number; mean: number } {
  const sizes = stateCodes(project).map((r) => Buffer.byteLength(JSON.stringify(r)));
  return { max: Math.max(...sizes), mean: sizes.reduce((a, b) => a + b, 0) / sizes.length };
}

/** Seconds between the first and the last code's `dateCreated`: how long the creates themselves took. */
function createSpanSeconds(project: PulumiProject): number {
  const times = stateCodes(project).map((r) => Date.parse(String(r.outputs?.dateCreated)));
  return (Math.max(...times) - Math.min(...times)) / 1000;
}

const oneLine = (text: string) => text.replace(/\s+/g, " ").slice(-400);

/** `pulumi up --skip-preview` with CPU probes in its node processes, and the emulator's CPU read around it. */
async function probedUp(project: PulumiProject, em: EmulatorProcess, env: Record<string, string>, args: string[] = []) {
  const probe = cpuProbe();
  const apiBefore = processCpuSeconds(em.pid);
  const result = await timed(() => project.run(["up", "--yes", "--skip-preview", ...args], { ...env, ...probe.env }));
  return { ...result, cpu: { ...cpuByRole(probe.dir), api: processCpuSeconds(em.pid) - apiBefore } };
}

/**
 * Requests and throughput: `up` of N new codes in Q queues with the emulator budget at 3000/min; then a preview and
 * an `up` of the unchanged stack, and a `pulumi refresh` (with its preview, as typed). State bytes per code.
 */
export async function requests(size: BenchSize): Promise<ScenarioRun> {
  const { em, queueIds } = await startBenchEmulator({ requestsPerMinute: BUDGET_PER_MINUTE }, size.queues);
  const project = await codeProject(em);
  try {
    const specs = codeSpecs(size.n, queueIds);
    project.writeSpec(specs);
    await em.resetStats();
    const up = await timed(() => project.run(["up", "--yes", "--skip-preview"]));
    const upCounts = await requestCounts(em);
    const created = await exactly(em, specs);
    const inState = stateCodes(project).length;
    const span = createSpanSeconds(project);
    const bytes = stateBytes(project);

    await em.resetStats();
    const preview = await timed(() => project.run(["preview"]));
    const previewCounts = await requestCounts(em);
    await em.resetStats();
    const again = await timed(() => project.run(["up", "--yes"]));
    const againCounts = await requestCounts(em);
    await em.resetStats();
    const refresh = await timed(() => project.run(["refresh", "--yes"]));
    const refreshCounts = await requestCounts(em);

    const bound = size.n / (BUDGET_PER_MINUTE / 60);
    return {
      figures: {
        "up: seconds": up.ms / 1000,
        "up: API requests (token included)": upCounts.total,
        "up: 429 answers (retried)": upCounts.rateLimited,
        "up: seconds from first to last create": span,
        "up: seconds / budget bound": up.ms / 1000 / bound,
        "preview unchanged: seconds": preview.ms / 1000,
        "preview unchanged: API requests": previewCounts.total,
        "up unchanged: seconds": again.ms / 1000,
        "up unchanged: API requests": againCounts.total,
        "refresh: seconds": refresh.ms / 1000,
        "refresh: API requests": refreshCounts.total,
        "state: max bytes per code": bytes.max,
        "state: mean bytes per code": bytes.mean,
      },
      checks: {
        "up succeeded, every resource": check(
          up.value.code === 0 && inState === size.n,
          `exit ${up.value.code}, ${inState}/${size.n} codes in state ${up.value.code ? oneLine(up.value.stdout) : ""}`,
        ),
        "every declared code exactly once": created,
        "up requests <= N + Q + 1": check(
          upCounts.total <= size.n + size.queues + 1,
          `${upCounts.total} <= ${size.n + size.queues + 1}`,
        ),
        "preview and up of the unchanged stack: 0 requests": check(
          preview.value.code === 0 && again.value.code === 0 && previewCounts.total + againCounts.total === 0,
          `${previewCounts.total} + ${againCounts.total}`,
        ),
        "refresh requests <= N": check(
          refresh.value.code === 0 && refreshCounts.total <= size.n,
          `${refreshCounts.total} <= ${size.n}`,
        ),
        "state <= 4 KB per code": check(bytes.max <= 4096, `max ${bytes.max} B`),
      },
    };
  } finally {
    await em.stop();
    project.cleanup();
  }
}

/** The 3000/min `up` again with another engine parallelism (`pulumi up --parallel <p>`). */
export async function parallelism(size: BenchSize, parallel: number): Promise<ScenarioRun> {
  const { em, queueIds } = await startBenchEmulator({ requestsPerMinute: BUDGET_PER_MINUTE }, size.queues);
  const project = await codeProject(em);
  try {
    const specs = codeSpecs(size.n, queueIds);
    project.writeSpec(specs);
    await em.resetStats();
    const up = await timed(() => project.run(["up", "--yes", "--skip-preview", "--parallel", String(parallel)]));
    const counts = await requestCounts(em);
    return {
      figures: {
        "up: seconds": up.ms / 1000,
        "up: API requests (token included)": counts.total,
        "up: 429 answers (retried)": counts.rateLimited,
      },
      checks: {
        "up succeeded, every resource": check(
          up.value.code === 0 && stateCodes(project).length === size.n,
          `exit ${up.value.code}, ${stateCodes(project).length}/${size.n} in state`,
        ),
        "every declared code exactly once": await exactly(em, specs),
      },
    };
  } finally {
    await em.stop();
    project.cleanup();
  }
}

/**
 * Overhead: the same `up` with no latency and no limit, against `up` of the same declarations as no-op dynamic
 * resources (the engine's floor) and as no-op resources shaped like WrapUpCodes, in the same run; the order reverses
 * between runs. `env` selects the engine mode.
 */
export async function overhead(size: BenchSize, run: number, env: Record<string, string> = {}): Promise<ScenarioRun> {
  const { em, queueIds } = await startBenchEmulator({ requestsPerMinute: 1_000_000 }, size.queues);
  const specs = codeSpecs(size.n, queueIds);
  const floor = await PulumiProject.create({ program: NOOP_SPEC_PROGRAM });
  const shaped = await PulumiProject.create(SHAPED_NOOP_PROJECT);
  const codes = await codeProject(em);
  try {
    for (const p of [floor, shaped, codes]) p.writeSpec(specs);
    const upOf = (p: PulumiProject) => probedUp(p, em, env);
    const order = run % 2 === 0 ? [floor, shaped, codes] : [codes, shaped, floor];
    const ups = new Map<PulumiProject, Awaited<ReturnType<typeof upOf>>>();
    for (const p of order) ups.set(p, await upOf(p));
    const [floorUp, shapedUp, codesUp] = [ups.get(floor)!, ups.get(shaped)!, ups.get(codes)!];
    const meanBytes = (p: PulumiProject) =>
      p
        .stateResources()
        .filter((r) => r.type.endsWith("bench:Noop") || r.type.endsWith("genesys:WrapUpCode"))
        .reduce((sum, r) => sum + Buffer.byteLength(JSON.stringify(r)), 0) / size.n;
    return {
      figures: {
        "floor up: seconds": floorUp.ms / 1000,
        "shaped floor up: seconds": shapedUp.ms / 1000,
        "codes up: seconds": codesUp.ms / 1000,
        "ratio codes / floor": codesUp.ms / floorUp.ms,
        "ratio shaped floor / floor (the resource's shape)": shapedUp.ms / floorUp.ms,
        "ratio codes / shaped floor (provider and API)": codesUp.ms / shapedUp.ms,
        "floor up: CPU s of the program": floorUp.cpu.program,
        "codes up: CPU s of the program": codesUp.cpu.program,
        "floor up: CPU s of the provider host": floorUp.cpu.provider,
        "codes up: CPU s of the provider host": codesUp.cpu.provider,
        "shaped floor up: CPU s of the program": shapedUp.cpu.program,
        "shaped floor up: CPU s of the provider host": shapedUp.cpu.provider,
        "codes up: CPU s of the emulator (the API)": codesUp.cpu.api,
        "floor: mean state bytes per resource": meanBytes(floor),
        "shaped floor: mean state bytes per resource": meanBytes(shaped),
        "codes: mean state bytes per resource": meanBytes(codes),
      },
      checks: {
        "all three runs succeeded": check(
          floorUp.value.code === 0 &&
            shapedUp.value.code === 0 &&
            codesUp.value.code === 0 &&
            stateCodes(codes).length === size.n,
          `floor exit ${floorUp.value.code}, shaped exit ${shapedUp.value.code}, codes exit ${codesUp.value.code}`,
        ),
        "every declared code exactly once": await exactly(em, specs),
      },
    };
  } finally {
    await em.stop();
    floor.cleanup();
    shaped.cleanup();
    codes.cleanup();
  }
}

/**
 * Throughput with the engine's checkpoints off (`PULUMI_SKIP_CHECKPOINTS=true`): the same `up` at the 3000/min budget,
 * and the floor in the same mode, to show what the provider and the API take once the file backend's per-step
 * checkpoint writes are out of the way. Options: provider settings (e.g. the former 10 requests/s pace), no floor, and
 * another budget (one that binds: the run must hold on the rate-limit headers instead of meeting 429s).
 */
export async function throughputWithoutCheckpoints(
  size: BenchSize,
  options: { config?: Record<string, string>; withFloor?: boolean; budgetPerMinute?: number } = {},
): Promise<ScenarioRun> {
  const { config = {}, withFloor = true, budgetPerMinute = BUDGET_PER_MINUTE } = options;
  const { em, queueIds } = await startBenchEmulator({ requestsPerMinute: budgetPerMinute }, size.queues);
  const specs = codeSpecs(size.n, queueIds);
  const codes = await codeProject(em, config);
  const floor = withFloor ? await PulumiProject.create({ program: NOOP_SPEC_PROGRAM }) : undefined;
  try {
    codes.writeSpec(specs);
    floor?.writeSpec(specs);
    await em.resetStats();
    const up = await probedUp(codes, em, SKIP_CHECKPOINTS);
    const counts = await requestCounts(em);
    const floorUp = floor && (await probedUp(floor, em, SKIP_CHECKPOINTS));
    const bound = size.n / (budgetPerMinute / 60);
    return {
      figures: {
        "up: seconds": up.ms / 1000,
        "up: seconds / budget bound": up.ms / 1000 / bound,
        "up: seconds from first to last create": createSpanSeconds(codes),
        "up: 429 answers (retried)": counts.rateLimited,
        "up: API requests (token included)": counts.total,
        ...(floorUp
          ? {
              "floor up: seconds": floorUp.ms / 1000,
              "ratio codes / floor": up.ms / floorUp.ms,
              "floor up: CPU s of the program": floorUp.cpu.program,
              "codes up: CPU s of the program": up.cpu.program,
              "floor up: CPU s of the provider host": floorUp.cpu.provider,
              "codes up: CPU s of the provider host": up.cpu.provider,
              "codes up: CPU s of the emulator (the API)": up.cpu.api,
            }
          : {}),
      },
      checks: {
        "up succeeded, every resource": check(
          up.value.code === 0 && stateCodes(codes).length === size.n,
          `exit ${up.value.code}, ${stateCodes(codes).length}/${size.n} in state`,
        ),
        "every declared code exactly once": await exactly(em, specs),
        "no 429 from the rate limit (the client held on the headers instead)": check(
          counts.rateLimited === 0,
          `${counts.rateLimited}`,
        ),
      },
    };
  } finally {
    await em.stop();
    codes.cleanup();
    floor?.cleanup();
  }
}

/**
 * Faults: 10 % 503, 5 % 429, 1 % connection resets on every API call (at the 3000/min budget). The `up` must
 * complete, every declared code exist exactly once, and a following `pulumi refresh` report no drift.
 */
export async function faults(size: BenchSize): Promise<ScenarioRun> {
  const { em, queueIds } = await startBenchEmulator(
    { requestsPerMinute: BUDGET_PER_MINUTE, faults: { status503: 0.1, status429: 0.05, connectionReset: 0.01 } },
    size.queues,
  );
  const project = await codeProject(em);
  try {
    const specs = codeSpecs(size.n, queueIds);
    project.writeSpec(specs);
    await em.resetStats();
    const up = await timed(() => project.run(["up", "--yes", "--skip-preview"]));
    const counts = await requestCounts(em);
    const exact = await exactly(em, specs);
    const refresh = await project.refresh();
    const changed = Object.entries(refresh.json.changeSummary ?? {}).filter(([op, n]) => op !== "same" && n > 0);
    const preview = await project.run(["preview", "--expect-no-changes"]);
    return {
      figures: {
        "up: seconds": up.ms / 1000,
        "up: API requests": counts.api,
        "up: injected faults": counts.faults,
      },
      checks: {
        "up succeeded, every resource": check(
          up.value.code === 0 && stateCodes(project).length === size.n,
          `exit ${up.value.code}, ${stateCodes(project).length}/${size.n} in state ${up.value.code ? oneLine(up.value.stdout) : ""}`,
        ),
        "every declared code exactly once": exact,
        "refresh reports no drift": check(
          refresh.result.code === 0 && changed.length === 0 && preview.code === 0,
          `refresh exit ${refresh.result.code}, changes ${JSON.stringify(Object.fromEntries(changed))}, ` +
            `preview --expect-no-changes exit ${preview.code}`,
        ),
      },
    };
  } finally {
    await em.stop();
    project.cleanup();
  }
}

/** Token lifetime 5 s during an `up` of 30 s or more: no failure, no 401, tokens refreshed ahead of expiry. */
export async function shortTokens(size: BenchSize): Promise<ScenarioRun> {
  const lifetime = 5;
  const { em, queueIds } = await startBenchEmulator(
    { requestsPerMinute: BUDGET_PER_MINUTE, tokenLifetimeSeconds: lifetime },
    size.queues,
  );
  const project = await codeProject(em);
  try {
    const specs = codeSpecs(size.n, queueIds);
    project.writeSpec(specs);
    await em.resetStats();
    const up = await timed(() => project.run(["up", "--yes", "--skip-preview"]));
    const counts = await requestCounts(em);
    const seconds = up.ms / 1000;
    return {
      figures: {
        "up: seconds": seconds,
        "token requests": counts.token,
        "token requests per second of run": counts.token / seconds,
        "API answers 401": counts.unauthorized,
      },
      checks: {
        "run of 30 s or more": check(seconds >= 30, `${seconds.toFixed(1)} s`),
        "up succeeded, every resource": check(
          up.value.code === 0 && stateCodes(project).length === size.n,
          `exit ${up.value.code} ${up.value.code ? oneLine(up.value.stdout) : ""}`,
        ),
        "every declared code exactly once": await exactly(em, specs),
        "no 401 (tokens replaced before they expire)": check(counts.unauthorized === 0, `${counts.unauthorized}`),
        "about one token per half-life, not one per call": check(
          counts.token <= Math.ceil(seconds / (lifetime / 2)) + 2 && counts.token < counts.api / 10,
          `${counts.token} tokens for ${counts.api} API requests in ${seconds.toFixed(1)} s`,
        ),
      },
    };
  } finally {
    await em.stop();
    project.cleanup();
  }
}

/**
 * `pulumi up` killed with SIGKILL (the whole process group) once half the creates were sent; then the procedure of
 * docs/operations.md: cancel, refresh --clear-pending-creates, up. It must converge with no duplicate and no orphan.
 */
export async function killedRun(size: BenchSize): Promise<ScenarioRun> {
  const { em, queueIds } = await startBenchEmulator({ requestsPerMinute: BUDGET_PER_MINUTE }, size.queues);
  const project = await codeProject(em);
  try {
    const specs = codeSpecs(size.n, queueIds);
    project.writeSpec(specs);
    const run = spawnPulumi(project, ["up", "--yes", "--skip-preview"]);
    await waitFor(async () => ((await em.stats()).byRoute[POSTS] ?? 0) >= size.n / 2, 600_000);
    run.kill();
    await run.done;
    const attrs = removeEmptyBackendAttrs(project).length;
    const pending = pendingOperations(project).length;
    const cancel = await project.run(["cancel", "--yes"]);
    const refresh = await timed(() => project.run(["refresh", "--yes", "--clear-pending-creates"]));
    const recorded = stateCodes(project).length;
    const made = (await emulatorCodes(em)).length;
    const up = await timed(() => project.run(["up", "--yes", "--skip-preview"]));
    const adopted = stateCodes(project).filter(
      (r) => (r.outputs?.audit as { action?: string } | undefined)?.action === "adopt",
    ).length;
    const preview = await project.run(["preview", "--expect-no-changes"]);
    return {
      figures: {
        "codes in state after the kill": recorded,
        "codes in the org after the kill": made,
        "pending creates left by the kill": pending,
        "codes taken over by the next up": adopted,
        "recovery refresh: seconds": refresh.ms / 1000,
        "recovery up: seconds": up.ms / 1000,
      },
      checks: {
        "the kill left orphans to recover": check(made > recorded, `${made - recorded} codes made but not recorded`),
        "procedure ran": check(
          cancel.code === 0 && refresh.value.code === 0,
          `cancel ${cancel.code}, refresh ${refresh.value.code}, empty .attrs removed: ${attrs}`,
        ),
        "next up converged": check(
          up.value.code === 0 && stateCodes(project).length === size.n && pendingOperations(project).length === 0,
          `exit ${up.value.code}, ${stateCodes(project).length}/${size.n} in state ${up.value.code ? oneLine(up.value.stdout) : ""}`,
        ),
        "every declared code exactly once": await exactly(em, specs),
        "orphans were taken over, not duplicated": check(
          adopted === made - recorded,
          `${adopted} = ${made} - ${recorded}`,
        ),
        "no change left": check(preview.code === 0, `preview --expect-no-changes exit ${preview.code}`),
      },
    };
  } finally {
    await em.stop();
    project.cleanup();
  }
}

/** The emulator restarted once a third of the creates were sent: the run completes or fails cleanly; the next converges. */
export async function restartedApi(size: BenchSize): Promise<ScenarioRun> {
  const { em, queueIds } = await startBenchEmulator({ requestsPerMinute: BUDGET_PER_MINUTE }, size.queues);
  const project = await codeProject(em);
  try {
    const specs = codeSpecs(size.n, queueIds);
    project.writeSpec(specs);
    const started = Date.now();
    const run = spawnPulumi(project, ["up", "--yes", "--skip-preview"]);
    await waitFor(async () => ((await em.stats()).byRoute[POSTS] ?? 0) >= size.n / 3, 600_000);
    const restart = await timed(() => em.restart());
    const first = await run.done;
    const firstSeconds = (Date.now() - started) / 1000;
    const clean = first.code === 0 || (/error: /.test(first.stdout) && !/panic|Unhandled/i.test(first.stdout));
    const next = await timed(() => project.run(["up", "--yes", "--skip-preview"]));
    const preview = await project.run(["preview", "--expect-no-changes"]);
    return {
      figures: {
        "emulator down: seconds": restart.ms / 1000,
        "interrupted up: seconds": firstSeconds,
        "interrupted up: exit code": first.code ?? -1,
        "next up: seconds": next.ms / 1000,
      },
      checks: {
        "the run completed or failed cleanly": check(
          clean,
          `exit ${first.code}${first.code === 0 ? "" : ` ${oneLine(first.stdout)}`}`,
        ),
        "next up converged": check(
          next.value.code === 0 && stateCodes(project).length === size.n,
          `exit ${next.value.code}, ${stateCodes(project).length}/${size.n} in state`,
        ),
        "every declared code exactly once": await exactly(em, specs),
        "no change left": check(preview.code === 0, `preview --expect-no-changes exit ${preview.code}`),
      },
    };
  } finally {
    await em.stop();
    project.cleanup();
  }
}
