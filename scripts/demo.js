#!/usr/bin/env node
/**
 * `npm start`: the root stack (index.ts + catalogue/wrapup-codes.yaml) against the bundled emulator, end to end.
 *
 *  1. starts the emulator on a free loopback port, data in .demo/emulator (kept between runs);
 *  2. starts a loopback stand-in for the BI platform: on the port of the dev stack's wrapup-codes:callbackUrl, or,
 *     when another program holds it, on a free one (kept in .demo/receiver.json), passed as WRAPUP_CALLBACK_URL;
 *  3. `pulumi up` of the dev stack with a local file backend in .demo/state; the emulator's URL and OAuth client
 *     reach the provider through GENESYSCLOUD_* environment variables only, so the client secret is written nowhere;
 *  4. prints the codes as the organisation now holds them (with their queues, and what only the stack holds: short code
 *     and category), and the events the BI stand-in received;
 *  5. `pulumi preview --diff` of an edited copy of the catalogue (.demo/catalogue-edited.yaml, via WRAPUP_CATALOGUE):
 *     what a reviewer sees in a pull request; nothing is applied;
 *  6. stops both servers and exits 0.
 *
 * Re-runnable: the emulator data and the stack state are kept together in .demo/, so a second run finds every
 * code in place and `pulumi up` reports no change. `rm -rf .demo` starts from scratch.
 */
"use strict";
const { spawn, execFileSync } = require("node:child_process");
const fs = require("node:fs");
const http = require("node:http");
const path = require("node:path");
const { URLSearchParams } = require("node:url");
const yaml = require("js-yaml");

const ROOT = path.resolve(__dirname, "..");
/** GENESYS_DEMO_DIR moves the demo's data elsewhere (the test of this script uses a temp dir). */
const DEMO = path.resolve(process.env.GENESYS_DEMO_DIR || path.join(ROOT, ".demo"));
const EMULATOR_DATA = path.join(DEMO, "emulator");
const STATE = path.join(DEMO, "state");
const STACK = "dev";
/** The API the demo's organisation speaks: the public platform's, as a real organisation does. */
const PROFILE = "platform";
/** The dev stack holds no secret; its committed encryption salt belongs to this passphrase (see Pulumi.dev.yaml). */
const DEV_PASSPHRASE = "dev-emulator";
const { fetch } = globalThis; // Node's built-in fetch (Node >= 18)

/** Things to stop on the way out, newest first. */
const cleanups = [];

/** A path as the user would type it: relative to the repository when inside it. */
function shown(p) {
  const relative = path.relative(ROOT, p);
  return relative.startsWith("..") ? p : relative;
}

function step(title) {
  process.stdout.write(`\n==> ${title}\n`);
}

async function main() {
  const cli = path.join(ROOT, "emulator", "dist", "cli.js");
  if (!fs.existsSync(cli) || !fs.existsSync(path.join(ROOT, "provider", "dist", "index.js"))) {
    throw new Error("the packages are not built: run `npm start` (it builds first) or `npm run build`");
  }
  const pulumiBin = execFileSync("bash", [path.join(ROOT, "scripts", "ensure-pulumi.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();

  // Codes in the emulator and resources in the state must describe the same world; one without the other
  // (e.g. after deleting only one of them), or a run of an older demo on the tutorial's API, cannot be reconciled,
  // so start from scratch.
  const profileFile = path.join(DEMO, "profile");
  const previousProfile = fs.existsSync(profileFile) ? fs.readFileSync(profileFile, "utf8").trim() : "tutorial";
  if (fs.existsSync(EMULATOR_DATA) !== fs.existsSync(STATE)) {
    step(`Starting from scratch: ${shown(DEMO)}/ held only half of a previous run`);
    fs.rmSync(DEMO, { recursive: true, force: true });
  } else if (fs.existsSync(STATE) && previousProfile !== PROFILE) {
    step(`Starting from scratch: ${shown(DEMO)}/ holds a run against the ${previousProfile} API`);
    fs.rmSync(DEMO, { recursive: true, force: true });
  }
  const firstRun = !fs.existsSync(STATE);
  fs.mkdirSync(STATE, { recursive: true });
  fs.writeFileSync(profileFile, `${PROFILE}\n`);

  step(`Starting the Genesys Cloud emulator (${PROFILE} API, data in ${shown(EMULATOR_DATA)}/)`);
  const emulator = await startEmulator(cli);
  console.log(`    listening on ${emulator.url}, OAuth client ${emulator.clientId}`);

  const devConfig = yaml.load(fs.readFileSync(path.join(ROOT, `Pulumi.${STACK}.yaml`), "utf8")).config ?? {};
  const configuredUrl = devConfig["wrapup-codes:callbackUrl"];
  const receiver = configuredUrl ? await startReceiver(configuredUrl) : undefined;
  const callbackUrl = receiver?.url ?? configuredUrl;

  const env = {
    ...process.env,
    PATH: `${pulumiBin}${path.delimiter}${process.env.PATH}`,
    PULUMI_BACKEND_URL: `file://${STATE}`,
    PULUMI_HOME: path.join(DEMO, "pulumi-home"),
    PULUMI_CONFIG_PASSPHRASE: DEV_PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    // Where and as whom: read by the provider at run time (docs/configuration.md), never stored.
    GENESYSCLOUD_API_URL: emulator.url,
    GENESYSCLOUD_OAUTHCLIENT_ID: emulator.clientId,
    GENESYSCLOUD_OAUTHCLIENT_SECRET: emulator.clientSecret,
    GENESYSCLOUD_API_PROFILE: PROFILE,
  };
  delete env.GENESYSCLOUD_REGION;
  delete env.GENESYSCLOUD_AUTH_URL;
  delete env.WRAPUP_CATALOGUE;
  if (receiver) env.WRAPUP_CALLBACK_URL = receiver.url;
  else delete env.WRAPUP_CALLBACK_URL;
  const pulumi = (args, extraEnv = {}) =>
    run("pulumi", [...args, "--non-interactive", "--stack", STACK], { ...env, ...extraEnv });

  step(`pulumi up (stack ${STACK}, state in ${shown(STATE)}/)`);
  await pulumi(["stack", "select", "--create"]);
  await pulumi(["up", "--yes", "--skip-preview", "--suppress-outputs", "--suppress-progress"]);

  step("Wrap-up codes now in the organisation (the emulator), with what only the stack holds");
  const token = await emulator.token();
  const codes = await emulator.get(token, "/api/v2/routing/wrapupcodes?pageSize=500");
  const queues = (await emulator.get(token, "/api/v2/routing/queues?pageSize=500")).entities;
  const queuesOf = new Map();
  for (const queue of queues) {
    const members = await emulator.get(token, `/api/v2/routing/queues/${queue.id}/wrapupcodes?pageSize=500`);
    for (const code of members.entities) queuesOf.set(code.id, [...(queuesOf.get(code.id) ?? []), queue.name]);
  }
  const outputs = JSON.parse(await capture("pulumi", ["stack", "output", "--json", "--stack", STACK], env));
  const declared = new Map(Object.values(outputs.wrapUpCodes ?? {}).map((c) => [c.codeId, c]));
  printCodes(codes.entities, queuesOf, declared);
  const webhook = outputs.biSyncWebhook;
  if (webhook) {
    const last = webhook.lastDelivery;
    console.log(
      `    BI-sync webhook ${webhook.webhookId} (${webhook.status}), delivered by the stack` +
        (last ? `: last run ${last.delivered} delivered, ${last.pending} pending` : ""),
    );
  }

  if (receiver) {
    step(`Events received by the BI platform stand-in at ${callbackUrl}`);
    const events = await receiver.settle();
    if (events.length === 0) {
      console.log(firstRun ? "    none (yet)" : "    none: nothing changed, so nothing was sent");
    } else {
      const byType = countBy(events.map((e) => e.eventType));
      console.log(
        `    ${events.length} events: ${Object.entries(byType)
          .map(([t, n]) => `${n} × ${t}`)
          .join(", ")}`,
      );
    }
  }

  step("What a pull request that edits the catalogue shows: pulumi preview --diff");
  const edited = editedCatalogue();
  console.log(`    edits in ${shown(edited.file)}:`);
  for (const line of edited.edits) console.log(`      - ${line}`);
  console.log();
  await pulumi(["preview", "--diff", "--suppress-outputs", "--suppress-progress"], { WRAPUP_CATALOGUE: edited.file });
  console.log("    (previewed only: nothing was applied; the catalogue in the repository is unchanged)");

  step("Done");
  console.log(
    firstRun
      ? "    Run `npm start` again: the stack is already in place, so `pulumi up` changes nothing."
      : `    The stack was already in place. \`rm -rf ${shown(DEMO)}\` starts from scratch.`,
  );
  console.log("    Against a real organisation: docs/getting-started.md.");
}

/** Starts the emulator CLI and resolves once it printed its ready line. */
function startEmulator(cli) {
  const log = fs.openSync(path.join(DEMO, "emulator.log"), "a");
  const child = spawn(process.execPath, [cli, "--port", "0", "--data", EMULATOR_DATA, "--profile", PROFILE], {
    stdio: ["ignore", "pipe", log],
  });
  cleanups.unshift(() => stopChild(child));
  return new Promise((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(
      () => reject(new Error(`the emulator did not start within 30 s; see ${shown(DEMO)}/emulator.log`)),
      30_000,
    );
    child.once("exit", (code) => reject(new Error(`the emulator exited (${code}); see ${shown(DEMO)}/emulator.log`)));
    child.stdout.setEncoding("utf8").on("data", (chunk) => {
      buffered += chunk;
      const nl = buffered.indexOf("\n");
      if (nl < 0) return;
      clearTimeout(timer);
      const ready = JSON.parse(buffered.slice(0, nl));
      resolve({
        url: ready.url,
        clientId: ready.clientId,
        clientSecret: ready.clientSecret,
        async token() {
          const res = await fetch(`${ready.url}/oauth/token`, {
            method: "POST",
            headers: {
              Authorization: `Basic ${Buffer.from(`${ready.clientId}:${ready.clientSecret}`).toString("base64")}`,
            },
            body: new URLSearchParams({ grant_type: "client_credentials" }),
          });
          if (!res.ok) throw new Error(`token request to the emulator failed: ${res.status}`);
          return (await res.json()).access_token;
        },
        async get(token, urlPath) {
          const res = await fetch(ready.url + urlPath, { headers: { Authorization: `Bearer ${token}` } });
          if (!res.ok) throw new Error(`GET ${urlPath} failed: ${res.status} ${await res.text()}`);
          return res.json();
        },
      });
    });
  });
}

/**
 * A loopback HTTP server standing in for the BI platform; collects the events the emulator delivers. It listens
 * on the port of the previous run (so that the webhook's URL, and the stack, stay unchanged), else on the
 * configured port, else on a free one: another demo or test run on this machine may hold the configured port.
 */
async function startReceiver(configuredUrl) {
  const configured = new URL(configuredUrl);
  const saved = path.join(DEMO, "receiver.json");
  const previous = fs.existsSync(saved) ? JSON.parse(fs.readFileSync(saved, "utf8")).port : undefined;
  const events = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8").on("data", (d) => (body += d));
    req.on("end", () => {
      try {
        events.push(JSON.parse(body));
      } catch {
        // not an event: ignore
      }
      res.writeHead(204).end();
    });
  });
  const listen = (port) =>
    new Promise((resolve) => {
      const failed = () => resolve(false);
      server.once("error", failed);
      server.listen(port, configured.hostname, () => {
        server.off("error", failed);
        resolve(true);
      });
    });
  const candidates = [...new Set([previous, Number(configured.port), 0].filter((p) => p !== undefined))];
  for (const port of candidates) {
    if (await listen(port)) break;
  }
  if (!server.listening) {
    console.log(`    (no BI stand-in: cannot listen on ${configured.hostname}; events will not be shown)`);
    return undefined;
  }
  cleanups.unshift(() => new Promise((done) => server.close(() => done())));
  const { port } = server.address();
  fs.writeFileSync(saved, JSON.stringify({ port }));
  const url = new URL(configuredUrl);
  url.port = String(port);
  if (port !== Number(configured.port)) {
    console.log(`    (port ${configured.port} of wrapup-codes:callbackUrl is taken: the BI stand-in uses ${port})`);
  }
  return {
    url: url.toString(),
    /** The events so far, once none arrived for 1.5 s (deliveries are asynchronous), or after 15 s. */
    async settle() {
      let seen = -1;
      for (let i = 0; i < 10 && seen !== events.length; i++) {
        seen = events.length;
        await new Promise((r) => setTimeout(r, 1500));
      }
      return [...events];
    },
  };
}

/** A copy of the catalogue with edits a reviewer would recognise: one field changed, one code added on two queues. */
function editedCatalogue() {
  const source = path.join(ROOT, "catalogue", "wrapup-codes.yaml");
  const doc = yaml.load(fs.readFileSync(source, "utf8"));
  const [key, first] = Object.entries(doc.codes)[0];
  first.mandatory = !first.mandatory;
  const added = "demo-added";
  const queues = [...new Set(Object.values(doc.codes).flatMap((c) => c.queues))].slice(0, 2);
  doc.codes[added] = { name: "Added In Review", queues, code: "DEMO_ADDED", category: first.category };
  const file = path.join(DEMO, "catalogue-edited.yaml");
  fs.writeFileSync(file, yaml.dump(doc));
  return {
    file,
    edits: [
      `codes.${key}.mandatory: ${!first.mandatory} -> ${first.mandatory} (kept by the stack: no request to send)`,
      `codes.${added}: a new code "${doc.codes[added].name}" (${doc.codes[added].code}) on ${queues.join(", ")}`,
    ],
  };
}

function printCodes(codes, queuesOf, declared) {
  const rows = codes
    .map((c) => ({
      name: c.name,
      queues: (queuesOf.get(c.id) ?? []).sort().join(", "),
      code: declared.get(c.id)?.code ?? "",
      category: declared.get(c.id)?.category ?? "",
      division: c.division?.name ?? "",
      createdBy: c.createdBy ?? "",
      id: c.id,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const header = {
    name: "NAME",
    queues: "QUEUES",
    code: "CODE",
    category: "CATEGORY",
    division: "DIVISION",
    createdBy: "CREATED BY",
    id: "ID",
  };
  const columns = Object.keys(header);
  const widths = columns.map((col) => Math.max(...[header, ...rows].map((r) => String(r[col]).length)));
  for (const row of [header, ...rows]) {
    console.log(
      `    ${columns
        .map((col, i) => String(row[col]).padEnd(widths[i]))
        .join("  ")
        .trimEnd()}`,
    );
  }
  console.log(`    ${rows.length} codes`);
}

function countBy(values) {
  const counts = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

/** Runs a command and resolves with its stdout; rejects when it fails. */
function capture(command, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (out += d));
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(" ")} failed`)),
    );
  });
}

/** Runs a command with inherited output; rejects when it fails. */
function run(command, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "inherit", "inherit"] });
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

async function cleanup() {
  for (const stop of cleanups.splice(0)) await stop();
}

process.once("SIGINT", () => cleanup().then(() => process.exit(130)));
process.once("SIGTERM", () => cleanup().then(() => process.exit(143)));
main().then(
  () => cleanup().then(() => process.exit(0)),
  (err) => {
    console.error(`\ndemo failed: ${err.message}`);
    cleanup().then(() => process.exit(1));
  },
);
