/**
 * npm run bench:platform [-- --runs 3 --n 1000 --queues 10]
 *
 * The platform profile (what a real organisation speaks) through the real Pulumi CLI against the emulator's platform
 * profile: `up` of N new codes on Q queues at the platform's default budget of 300
 * requests per minute, announced only by 429s (each code on one queue, round-robin, as the bound 2N + Q + 2
 * counts them); the requests it takes, by kind, with membership adds batched across
 * parallel creates (the default) and one by one, at the engine's default parallelism and with --parallel 32, and
 * batched with every code on a single queue (where parallel creates meet on one queue); then an
 * unchanged preview and up, and a refresh. Medians of the
 * runs, with min and max; the report is printed and written to .bench/platform.json. docs/benchmarks.md records a
 * run and explains it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { EmulatorProcess, startEmulator } from "../test/support/emulator";
import { PulumiProject, REPO_ROOT } from "../test/support/pulumi";
import { generatedQueueIds, machineInfo, requestCounts, summarize, timed } from "./lib";

interface Sample {
  readonly upSeconds: number;
  readonly requests: number;
  readonly byKind: Record<string, number>;
  readonly rateLimited: number;
  readonly noopRequests: number;
  readonly refreshRequests: number;
  readonly refreshSeconds: number;
}

function specs(n: number, queueIds: readonly string[]) {
  return Array.from({ length: n }, (_, i) => ({
    type: "WrapUpCode",
    name: `code-${i}`,
    args: {
      name: `Bench Code ${String(i).padStart(5, "0")}`,
      code: `BENCH_${i}`,
      category: ["sales", "support", "compliance"][i % 3],
      queueIds: [queueIds[i % queueIds.length]],
    },
  }));
}

/** Requests by kind: code creates, membership adds, tokens, and anything else. */
function kinds(byRoute: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [route, n] of Object.entries(byRoute)) {
    const kind = route.startsWith("POST /api/v2/routing/wrapupcodes ")
      ? "code POST"
      : route.startsWith("POST /api/v2/routing/queues/{queueId}/wrapupcodes ")
        ? "membership POST"
        : route.startsWith("POST /oauth/token")
          ? "token"
          : route.replace(/ \d+( .*)?$/, "");
    const key = / 429$/.test(route) ? `${kind} (429)` : kind;
    out[key] = (out[key] ?? 0) + n;
  }
  return out;
}

async function run(n: number, queues: number, config: Record<string, string>, parallel?: number): Promise<Sample> {
  fs.mkdirSync(path.join(REPO_ROOT, ".bench"), { recursive: true });
  const em: EmulatorProcess = await startEmulator({
    profile: "platform",
    seed: { queueCount: queues },
    config: { requestsPerMinute: 300 },
    readyTimeoutMs: 60_000,
  });
  const project = await PulumiProject.create({
    config: { "genesys:apiUrl": em.url, "genesys:clientId": em.clientId, ...config },
    secrets: { "genesys:clientSecret": em.clientSecret },
  });
  try {
    project.writeSpec(specs(n, generatedQueueIds(queues)));
    await em.resetStats();
    const up = await timed(() => project.up(parallel ? ["--parallel", String(parallel)] : []));
    if (up.value.result.code !== 0) throw new Error(`up failed:\n${up.value.result.stdout}\n${up.value.result.stderr}`);
    const counts = await requestCounts(em);
    const byRoute = (await em.stats()).byRoute;
    const byKind = kinds(byRoute);
    fs.writeFileSync(
      path.join(REPO_ROOT, ".bench", `platform-${Date.now()}-routes.json`),
      JSON.stringify({ config, parallel, byRoute }, null, 2),
    );
    // A new window, so that the no-op runs and the refresh are not slowed by the up's budget.
    await new Promise((r) => setTimeout(r, 61_000));
    await em.resetStats();
    await project.preview();
    await project.up();
    const noopRequests = (await em.stats()).total;
    await em.resetStats();
    const refresh = await timed(() => project.refresh());
    if (refresh.value.result.code !== 0) throw new Error("refresh failed");
    return {
      upSeconds: up.ms / 1000,
      requests: counts.total,
      byKind,
      rateLimited: counts.rateLimited,
      noopRequests,
      refreshRequests: (await em.stats()).total,
      refreshSeconds: refresh.ms / 1000,
    };
  } finally {
    await em.stop();
    project.cleanup();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: "string", default: "3" },
      n: { type: "string", default: "1000" },
      queues: { type: "string", default: "10" },
    },
  });
  const runs = Number(values.runs);
  const n = Number(values.n);
  const queues = Number(values.queues);
  const report: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: machineInfo(),
    n,
    queues,
    bound: 2 * n + queues + 2,
  };
  const unbatched = { "genesys:membershipBatchMs": "0" };
  for (const [label, config, times, parallel, queueCount] of [
    ["batched (default), default parallelism", {}, runs, undefined, queues],
    ["one membership POST per code and queue, default parallelism", unbatched, 1, undefined, queues],
    ["batched (default), --parallel 32", {}, 1, 32, queues],
    ["one membership POST per code and queue, --parallel 32", unbatched, 1, 32, queues],
    ["batched (default), default parallelism, every code on one queue", {}, 1, undefined, 1],
  ] as const) {
    const samples: Sample[] = [];
    for (let i = 0; i < times; i++) {
      const sample = await run(n, queueCount, config, parallel);
      samples.push(sample);
      process.stdout.write(`${label} #${i + 1}: ${JSON.stringify(sample)}\n`);
    }
    report[label] = {
      queues: queueCount,
      bound: 2 * n + queueCount + 2,
      upSeconds: summarize(samples.map((s) => s.upSeconds)),
      requests: summarize(samples.map((s) => s.requests)),
      rateLimited: summarize(samples.map((s) => s.rateLimited)),
      byKind: samples.map((s) => s.byKind),
      noopRequests: samples.map((s) => s.noopRequests),
      refresh: {
        requests: samples.map((s) => s.refreshRequests),
        seconds: summarize(samples.map((s) => s.refreshSeconds)),
      },
    };
  }
  const out = path.join(REPO_ROOT, ".bench", "platform.json");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(report, null, 2));
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
