/**
 * TS_NODE_PROJECT=bench/tsconfig.json node -r ts-node/register/transpile-only bench/export.ts \
 *   [--codes 5000] [--queues 200] [--runs 3] [--rpm 300,3000] [--adopt]
 *
 * `genesys-wrapup export` of a large hand-made organisation: `--codes` codes on `--queues` queues (the seed of
 * test/cli/exportSeed.ts: one in ten on no queue, half on one, three in ten on two, one in ten on four), in the
 * platform emulator at each per-token budget of `--rpm` (requests per minute; 300 is the platform's default). Through
 * the installed command and the real Pulumi CLI (it reads the stack's config and state with it), in a copy of the
 * root stack with a passphrase stack whose client secret is encrypted.
 *
 * Per budget, `--runs` times each: the first export (no catalogue, an empty stack: every code to adopt) and the
 * export again over its own files (which must be byte-identical). Figures: wall time of the command, peak resident
 * memory of its process (`process.resourceUsage().maxRSS` through a `--require`d probe; the `pulumi` it runs is not
 * counted), requests as the emulator counted them (token included), 429 answers. With `--adopt`: one
 * `pulumi up --skip-preview` of the exported catalogue afterwards (the engine's per-step checkpoints off: they are
 * quadratic in the stack's size), its time and what it sent, then the export again with every code in the state.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ProjectCopy } from "../test/examples/project";
import { startEmulator } from "../test/support/emulator";
import { cliEnv, pulumiBinDir } from "../test/support/pulumi";
import { handMadeCodes } from "../test/cli/exportSeed";
import { RssProbe, Summary, machineInfo, summarize } from "./lib";

const STACK = "bench";
const RULES = ["--code-from", "name", "--category-default", "support"];
interface Sample {
  readonly seconds: number;
  readonly peakMiB: number;
  readonly requests: number;
  readonly tooMany: number;
}

function fmt(s: Summary, digits = 2): string {
  return `${s.median.toFixed(digits)} [${s.min.toFixed(digits)}–${s.max.toFixed(digits)}]`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      codes: { type: "string", default: "5000" },
      queues: { type: "string", default: "200" },
      runs: { type: "string", default: "3" },
      rpm: { type: "string", default: "300,3000" },
      adopt: { type: "boolean", default: false },
    },
  });
  const codes = Number(values.codes);
  const queueCount = Number(values.queues);
  const runs = Number(values.runs);
  process.env.PATH = `${pulumiBinDir()}:${process.env.PATH}`;
  const probe = new RssProbe();
  const machine = machineInfo();
  console.log(`machine: ${machine.cpus}, ${machine.memory}, node ${machine.node}, ${machine.pulumi}`);
  console.log(`commit: ${machine.commit}, runs: ${runs}\n`);

  const queueNames = Array.from({ length: queueCount }, (_, i) => `Queue ${String(i + 1).padStart(4, "0")}`);
  const seed = { queues: [], queueCount, wrapupCodes: handMadeCodes(codes, queueNames) };
  const memberships = seed.wrapupCodes.reduce((n, c) => n + c.queues.length, 0);
  console.log(`organisation: ${codes} codes, ${queueCount} queues, ${memberships} memberships\n`);
  console.log("| budget/min | export | seconds | peak RSS, MiB | requests | 429s | files |");
  console.log("| ---------- | ------ | ------- | ------------- | -------- | ---- | ----- |");

  for (const rpm of values.rpm.split(",").map(Number)) {
    const em = await startEmulator({
      profile: "platform",
      seed,
      config: { requestsPerMinute: rpm },
      readyTimeoutMs: 120_000,
    });
    const project = ProjectCopy.create(".", { only: ["Pulumi.yaml", "index.ts", "stack"] });
    try {
      await project.initStack(STACK, { "genesys:apiUrl": em.url, "genesys:clientId": em.clientId });
      await project.mustRun(STACK, ["config", "set", "--secret", "--", "genesys:clientSecret", em.clientSecret]);
      const stackFile = project.file(`Pulumi.${STACK}.yaml`);
      const catalogueFile = project.file("catalogue/wrapup-codes.yaml");
      const initial = fs.readFileSync(stackFile, "utf8");

      const exportOnce = async (): Promise<Sample> => {
        await em.api("POST", "/__emulator/ratelimit/reset");
        await em.resetStats();
        const bin = path.join(project.dir, "node_modules", ".bin", "genesys-wrapup");
        const started = process.hrtime.bigint();
        const code = await new Promise<number>((resolve) => {
          const child = spawn(bin, ["export", "--stack", STACK, ...RULES], {
            cwd: project.dir,
            env: {
              ...cliEnv(project.dir, project.backendDir),
              ...probe.env(),
            },
            stdio: ["ignore", "ignore", "inherit"],
          });
          child.once("close", (c) => resolve(c ?? 1));
        });
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        if (code !== 0) throw new Error(`export exited ${code}`);
        const stats = await em.stats();
        const tooMany = Object.entries(stats.byRoute)
          .filter(([route]) => / 429$/.test(route))
          .reduce((n, [, c]) => n + c, 0);
        const writes = Object.keys(stats.byRoute).filter((r) => !r.startsWith("GET ") && !r.startsWith("POST /oauth/"));
        if (writes.length > 0) throw new Error(`the export wrote: ${writes.join(", ")}`);
        return { seconds, peakMiB: probe.peakMiB(), requests: stats.total, tooMany };
      };

      const first: Sample[] = [];
      let written = "";
      for (let r = 0; r < runs; r++) {
        fs.rmSync(catalogueFile, { force: true });
        fs.writeFileSync(stackFile, initial);
        first.push(await exportOnce());
        const text = fs.readFileSync(catalogueFile, "utf8") + fs.readFileSync(stackFile, "utf8");
        if (written !== "" && text !== written) throw new Error("two first exports of one organisation differ");
        written = text;
      }
      const again: Sample[] = [];
      for (let r = 0; r < runs; r++) {
        again.push(await exportOnce());
        if (fs.readFileSync(catalogueFile, "utf8") + fs.readFileSync(stackFile, "utf8") !== written) {
          throw new Error("the export over its own files changed them");
        }
      }
      const size = `${(fs.statSync(catalogueFile).size / 1024).toFixed(0)} KiB catalogue, ${fs.readFileSync(catalogueFile, "utf8").split("\n").length} lines`;
      for (const [label, samples, files] of [
        ["first (empty stack, no catalogue)", first, size],
        ["again over its own files", again, "byte-identical"],
      ] as const) {
        console.log(
          `| ${rpm} | ${label} | ${fmt(summarize(samples.map((s) => s.seconds)))} | ` +
            `${fmt(summarize(samples.map((s) => s.peakMiB)), 0)} | ${fmt(summarize(samples.map((s) => s.requests)), 0)} | ` +
            `${fmt(summarize(samples.map((s) => s.tooMany)), 0)} | ${files} |`,
        );
      }

      if (values.adopt) {
        await em.api("POST", "/__emulator/ratelimit/reset");
        await em.resetStats();
        const started = process.hrtime.bigint();
        // Without the engine's per-step checkpoints: with them, each of the 5000 steps rewrites the whole state
        // (quadratic; the engine's floor, see "Throughput at the rate limit" above), which says nothing of adoption.
        const up = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
          const child = spawn("pulumi", ["up", "--yes", "--skip-preview", "--non-interactive", "--stack", STACK], {
            cwd: project.dir,
            env: { ...cliEnv(project.dir, project.backendDir), PULUMI_SKIP_CHECKPOINTS: "true" },
            stdio: ["ignore", "pipe", "pipe"],
          });
          let stdout = "";
          let stderr = "";
          child.stdout.on("data", (d: Buffer) => (stdout = (stdout + d.toString()).slice(-20_000)));
          child.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
          child.once("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
        });
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        if (up.code !== 0) throw new Error(`pulumi up failed:\n${up.stdout.slice(-2000)}\n${up.stderr}`);
        const stats = await em.stats();
        console.log(
          `\npulumi up --skip-preview of the exported catalogue (PULUMI_SKIP_CHECKPOINTS=true, budget ${rpm}/min): ${seconds.toFixed(1)} s, ` +
            `${stats.total} requests: ${JSON.stringify(stats.byRoute)}; ${(up.stdout.match(/\+ (\d+) created/) ?? [])[1] ?? "?"} adopted\n`,
        );
        // The export a team runs later: every code in the stack's state now (its resource names keep the keys).
        const managed: Sample[] = [];
        for (let r = 0; r < runs; r++) {
          managed.push(await exportOnce());
          const now = fs.readFileSync(catalogueFile, "utf8") + fs.readFileSync(stackFile, "utf8");
          if (now !== written) throw new Error("the export after the adoption changed the files");
        }
        console.log(
          `| ${rpm} | again, every code in the state | ${fmt(summarize(managed.map((s) => s.seconds)))} | ` +
            `${fmt(summarize(managed.map((s) => s.peakMiB)), 0)} | ${fmt(summarize(managed.map((s) => s.requests)), 0)} | ` +
            `${fmt(summarize(managed.map((s) => s.tooMany)), 0)} | byte-identical |`,
        );
      }
    } finally {
      await em.stop();
      project.cleanup();
    }
  }
  probe.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
