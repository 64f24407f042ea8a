/**
 * TS_NODE_PROJECT=bench/tsconfig.json node -r ts-node/register/transpile-only bench/audit.ts \
 *   [--codes 1000] [--updates 10,50,100] [--runs 3] [--heap-mib 24]
 *
 * `genesys-wrapup audit` of a large stack: time and peak memory of the command over a synthetic history of `--codes`
 * wrap-up codes and `--updates` updates, on a file backend, through the real Pulumi CLI (`pulumi stack history`) and
 * the installed `genesys-wrapup` command. The history is written in the file backend's own layout (the checkpoint
 * beside each history entry), with state entries shaped like the provider's (inputs, outputs, audit record,
 * `__provider`, the engine's stack trace): building 50 real updates of 1000 codes through the engine would take about
 * an hour (docs/benchmarks.md: ~70 s per `up` of 1000). Each history's records are counted against what the
 * generator changed. Peak memory is the audit process's own (`process.resourceUsage().maxRSS`, through a
 * `--require`d probe), not the `pulumi` it runs.
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT, cliEnv, pulumiBinDir } from "../test/support/pulumi";
import { RssProbe, Summary, machineInfo, summarize } from "./lib";

const PROJECT = "audit-bench";
const STACK = "bench";
const TYPE = "pulumi-nodejs:dynamic/genesys:WrapUpCode";
const PROVIDER_TEXT = 'exports.handler = () => require("pulumi-genesys-wrapup/dist/providers").providers.wrapUpCode;\n';
const CATEGORIES: Record<string, string[]> = {
  support: ["cat:support", "sub:resolved", "sub:escalation", "sub:callback"],
  sales: ["cat:sales", "sub:conversion", "sub:lead", "sub:follow_up"],
};

interface Code {
  n: number;
  id: string;
  name: string;
  category: string;
  tags: string[];
  description?: string;
  dateModified: string;
  audit: Record<string, unknown>;
}

function uuid(n: number, salt: number): string {
  const hex = (n * 7919 + salt * 104729).toString(16).padStart(12, "0").slice(-12);
  return `5b7c${salt.toString(16).padStart(4, "0")}-1b3c-4d5e-8f70-${hex}`;
}

/** One code's entry in a checkpoint, shaped like the provider's (about 2.2 KB, as measured on real stacks). */
function entry(c: Code): unknown {
  const inputs = {
    __provider: PROVIDER_TEXT,
    category: c.category,
    code: `C${c.n}`,
    mandatory: c.n % 5 === 0,
    name: c.name,
    onConflict: "fail",
    queueId: uuid(c.n % 10, 1),
    reportingTags: [...CATEGORIES[c.category], ...c.tags],
    tags: c.tags,
    ...(c.description ? { description: c.description } : {}),
  };
  return {
    urn: `urn:pulumi:${STACK}::${PROJECT}::${TYPE}::code-${c.n}`,
    custom: true,
    id: c.id,
    type: TYPE,
    inputs,
    outputs: {
      ...inputs,
      audit: c.audit,
      codeId: c.id,
      createdBy: "7f3b0000-ci-client",
      dateCreated: "2026-11-01T00:00:00.000Z",
      dateModified: c.dateModified,
      modifiedBy: "7f3b0000-ci-client",
    },
    parent: `urn:pulumi:${STACK}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${STACK}`,
    provider: `urn:pulumi:${STACK}::${PROJECT}::pulumi:providers:pulumi-nodejs::default::0d9e1c1e-0000-4000-8000-000000000000`,
    propertyDependencies: { __provider: [], category: [], code: [], name: [], queueId: [] },
    created: "2026-11-01T00:00:00.000000000Z",
    modified: c.dateModified,
    sourcePosition: "project:///index.js#9,15",
    stackTrace: [
      { sourcePosition: "project:///index.js#9,15" },
      {},
      { sourcePosition: "project:///node_modules/@pulumi/cmd/run/run.ts#541,33" },
      { sourcePosition: "project:///node_modules/@pulumi/runtime/stack.ts#78,28" },
      { sourcePosition: "project:///node_modules/@pulumi/resource.ts#1598,22" },
    ],
  };
}

interface History {
  readonly dir: string;
  readonly backendDir: string;
  /** Records the audit must print: one per code changed, created or removed in each update. */
  readonly expectedRecords: number;
  /** Bytes of all checkpoints together. */
  readonly checkpointBytes: number;
}

/**
 * A project and a file backend with `updates` updates of `codes` codes: update 1 creates every code; then each update
 * renames 100 codes, every 7th also replaces 10 codes by 10 new ones, and every 10th is a refresh that finds 20 codes
 * edited outside the stack.
 */
function writeHistory(codes: number, updates: number): History {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "genesys-audit-bench-"));
  const backendDir = path.join(dir, "state");
  fs.mkdirSync(backendDir);
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${PROJECT}\nruntime: nodejs\n`);
  execFileSync("pulumi", ["stack", "init", STACK, "--non-interactive"], {
    cwd: dir,
    env: env(dir, backendDir),
    stdio: "ignore",
  });
  const historyDir = path.join(backendDir, ".pulumi", "history", PROJECT, STACK);
  fs.mkdirSync(historyDir, { recursive: true });

  const live = new Map<number, Code>();
  let next = 0;
  let expectedRecords = 0;
  let checkpointBytes = 0;
  const start = Date.UTC(2026, 10, 1);
  const create = (time: string) => {
    const n = next++;
    const audit = {
      action: "create",
      attempts: 1,
      clientId: "7f3b0000-ci-client",
      contextId: uuid(n, 7),
      latencyMs: 80,
      time,
    };
    live.set(n, {
      n,
      id: uuid(n, 2),
      name: `Code ${n}`,
      category: n % 2 ? "sales" : "support",
      tags: [],
      dateModified: time,
      audit,
    });
  };
  let checkpointText = "";
  for (let u = 1; u <= updates; u++) {
    const startSec = Math.floor((start + u * 600_000) / 1000);
    const time = new Date(startSec * 1000 + 5000).toISOString();
    const kind = u > 1 && u % 10 === 0 ? "refresh" : "update";
    if (u === 1) {
      for (let i = 0; i < codes; i++) create(time);
      expectedRecords += codes;
    } else if (kind === "refresh") {
      const drifted = [...live.values()].slice((u * 13) % (live.size - 20), ((u * 13) % (live.size - 20)) + 20);
      for (const c of drifted)
        Object.assign(c, { description: `edited in the admin UI before update ${u}`, dateModified: time });
      expectedRecords += drifted.length;
    } else {
      const renamed = [...live.values()].slice((u * 37) % (live.size - 100), ((u * 37) % (live.size - 100)) + 100);
      for (const c of renamed) {
        c.name = `Code ${c.n} v${u}`;
        c.dateModified = time;
        c.audit = { ...c.audit, action: "update", contextId: uuid(c.n, u + 10), time };
      }
      expectedRecords += renamed.length;
      if (u % 7 === 0) {
        const gone = [...live.keys()].slice(0, 10);
        for (const n of gone) live.delete(n);
        for (let i = 0; i < 10; i++) create(time);
        expectedRecords += 20;
      }
    }
    const prefix = path.join(historyDir, `${STACK}-${String(BigInt(startSec) * 1_000_000_000n + 123n)}`);
    const info = {
      kind,
      startTime: startSec,
      message: `Change ${u} of the catalogue`,
      environment: {
        "git.head": (u * 2654435761).toString(16).padStart(40, "0"),
        "git.author": "Ada Auditor",
        "git.author.email": "ada@example.com",
        "ci.system": "GitHub Actions",
        "ci.build.id": String(9000 + u),
      },
      config: { "genesys:clientSecret": { secure: "v1:abc" } },
      result: "succeeded",
      endTime: startSec + 60,
      resourceChanges: { update: 100 },
    };
    fs.writeFileSync(`${prefix}.history.json`, JSON.stringify(info));
    const resources = [
      {
        urn: `urn:pulumi:${STACK}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${STACK}`,
        custom: false,
        type: "pulumi:pulumi:Stack",
      },
      ...[...live.values()].map(entry),
    ];
    checkpointText = JSON.stringify(
      { version: 3, checkpoint: { stack: `organization/${PROJECT}/${STACK}`, latest: { manifest: {}, resources } } },
      null,
      4,
    );
    fs.writeFileSync(`${prefix}.checkpoint.json`, checkpointText);
    checkpointBytes += Buffer.byteLength(checkpointText);
  }
  fs.writeFileSync(path.join(backendDir, ".pulumi", "stacks", PROJECT, `${STACK}.json`), checkpointText);
  return { dir, backendDir, expectedRecords, checkpointBytes };
}

function env(dir: string, backendDir: string): Record<string, string> {
  return cliEnv(dir, backendDir);
}

interface Sample {
  readonly seconds: number;
  readonly peakMiB: number;
  readonly lines: number;
}

/** One `genesys-wrapup audit` run; its output is counted as it streams, never kept. */
function auditRun(h: History, args: string[], probe: RssProbe, nodeOptions = ""): Promise<Sample> {
  const bin = path.join(REPO_ROOT, "node_modules", ".bin", "genesys-wrapup");
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ["audit", "--stack", STACK, ...args], {
      cwd: h.dir,
      env: {
        ...env(h.dir, h.backendDir),
        ...probe.env(nodeOptions),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let lines = 0;
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      for (const byte of d) if (byte === 10) lines++;
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.once("close", (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) return reject(new Error(`audit exited ${code}: ${stderr}`));
      resolve({ seconds, peakMiB: probe.peakMiB(), lines });
    });
  });
}

function fmt(s: Summary, digits = 2): string {
  return `${s.median.toFixed(digits)} [${s.min.toFixed(digits)}–${s.max.toFixed(digits)}]`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      codes: { type: "string", default: "1000" },
      updates: { type: "string", default: "10,50,100" },
      "heap-mib": { type: "string", default: "24" },
      runs: { type: "string", default: "3" },
    },
  });
  const codes = Number(values.codes);
  const runs = Number(values.runs);
  process.env.PATH = `${pulumiBinDir()}:${process.env.PATH}`;
  const probe = new RssProbe();
  const machine = machineInfo();
  console.log(`machine: ${machine.cpus}, ${machine.memory}, node ${machine.node}, ${machine.pulumi}`);
  console.log(`commit: ${machine.commit}, runs: ${runs}\n`);
  console.log("| codes | updates | checkpoints, MB | command | records | seconds | peak RSS, MiB |");
  console.log("| ----- | ------- | --------------- | ------- | ------- | ------- | ------------- |");
  for (const updates of values.updates.split(",").map(Number)) {
    const h = writeHistory(codes, updates);
    const mid = new Date(Date.UTC(2026, 10, 1) + Math.floor(updates / 2) * 600_000 + 30_000).toISOString();
    const commands: [string, string[], number][] = [
      ["--format jsonl", ["--format", "jsonl"], h.expectedRecords],
      ["--format csv", ["--format", "csv"], -1],
      ["--format table", ["--format", "table"], h.expectedRecords + 1],
      [`--at <update ${Math.floor(updates / 2)}> --format jsonl`, ["--at", mid, "--format", "jsonl"], codes],
    ];
    for (const [label, args, expectLines] of commands) {
      const samples: Sample[] = [];
      for (let r = 0; r < runs; r++) samples.push(await auditRun(h, args, probe));
      if (expectLines >= 0 && samples.some((s) => s.lines !== expectLines)) {
        throw new Error(`${label}: ${samples.map((s) => s.lines)} lines, expected ${expectLines}`);
      }
      const records = label.startsWith("--at") ? `${samples[0].lines} codes` : String(h.expectedRecords);
      console.log(
        `| ${codes} | ${updates} | ${(h.checkpointBytes / 1e6).toFixed(0)} | \`${label}\` | ${records} | ` +
          `${fmt(summarize(samples.map((s) => s.seconds)))} | ${fmt(summarize(samples.map((s) => s.peakMiB)), 0)} |`,
      );
    }
    // The same jsonl run with V8's heap capped: it completes only if what it holds does not grow with the history.
    const cap = Number(values["heap-mib"]);
    const capped = await auditRun(h, ["--format", "jsonl"], probe, `--max-old-space-size=${cap}`).catch(
      (e: Error) => e,
    );
    const passed = !(capped instanceof Error) && capped.lines === h.expectedRecords;
    console.log(
      `| ${codes} | ${updates} | ${(h.checkpointBytes / 1e6).toFixed(0)} | \`--format jsonl\`, heap capped at ${cap} MiB | ` +
        `${passed ? h.expectedRecords : "FAILED"} | ${capped instanceof Error ? "-" : capped.seconds.toFixed(2)} | ` +
        `${capped instanceof Error ? "-" : capped.peakMiB.toFixed(0)} |`,
    );
    fs.rmSync(h.dir, { recursive: true, force: true });
  }
  probe.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
