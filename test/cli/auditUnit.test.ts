import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Update } from "../../provider/src/cli/audit/history";
import { csvCell } from "../../provider/src/cli/audit/output";
import { updateRecords } from "../../provider/src/cli/audit/records";
import { auditedResources } from "../../provider/src/cli/audit/resources";
import { parseInstant } from "../../provider/src/cli/audit/time";
import { REPO_ROOT, runCommand } from "../support/pulumi";
import { parseCsv } from "./csv";

// The parts of `genesys-wrapup audit` that need no engine: how two recorded states become records, the flags'
// dates, CSV cells; and, with a stand-in `pulumi` on PATH, the Pulumi Cloud route (`stack export --version`), a
// backend whose history it cannot read, and the exit codes of the dispatcher.

const CODE = "pulumi-nodejs:dynamic/genesys:WrapUpCode";
const HOOK = "pulumi-nodejs:dynamic/genesys:SyncWebhook";
const SECRET = (ciphertext: string) => ({
  "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
  ciphertext,
});

function resource(type: string, name: string, id: string, outputs: Record<string, unknown>, inputs = outputs) {
  return {
    urn: `urn:pulumi:prod::codes::${type}::${name}`,
    type,
    id,
    inputs: { __provider: "exports.handler = …", ...inputs },
    outputs: { __provider: "exports.handler = …", ...outputs },
  };
}
const deployment = (...resources: unknown[]) => ({ version: 3, deployment: { resources } });
const state = (...resources: unknown[]) => auditedResources(deployment(...resources));

function update(kind: string, result = "succeeded", version = 7): Update {
  return {
    version,
    kind,
    result,
    startTime: "2026-11-30T10:00:00.000Z",
    endTime: "2026-11-30T10:00:09.000Z",
    message: "msg",
    environment: { "git.head": "abc", "git.author": "Bo", "git.author.email": "bo@example.com" },
  };
}

const audit = (contextId: string, action = "update") => ({ action, contextId, time: "t", clientId: "c" });

describe("records from two recorded states", () => {
  const before = state(
    resource(CODE, "a", "id-a", { name: "A", code: "A", codeId: "id-a", tags: [], audit: audit("ctx-1", "create") }),
  );

  it("a new id under the same URN is a replacement; fields compare by value, absent as null", () => {
    const after = state(
      resource(CODE, "a", "id-b", { name: "A", code: "A2", codeId: "id-b", tags: [], audit: audit("ctx-2", "create") }),
    );
    expect(updateRecords(update("update"), before, after, null)).toEqual([
      expect.objectContaining({
        resource: "a",
        action: "replace",
        changes: [
          { field: "code", before: "A", after: "A2" },
          { field: "codeId", before: "id-a", after: "id-b" },
        ],
        platformId: "id-b",
        contextId: "ctx-2",
        author: "Bo <bo@example.com>",
        commit: "abc",
        ci: null,
      }),
    ]);
  });

  it("a take-over is `adopt`; a removal in a refresh is `drift`, in a destroy `delete`", () => {
    const adopted = state(resource(CODE, "b", "id-b", { name: "B", codeId: "id-b", audit: audit("ctx-9", "adopt") }));
    expect(updateRecords(update("update"), new Map(), adopted, null).map((r) => [r.action, r.contextId])).toEqual([
      ["adopt", "ctx-9"],
    ]);
    expect(updateRecords(update("refresh"), before, new Map(), null)[0]).toMatchObject({
      action: "drift",
      contextId: null,
      changes: [
        { field: "code", before: "A", after: null },
        { field: "codeId", before: "id-a", after: null },
        { field: "name", before: "A", after: null },
        { field: "tags", before: [], after: null },
      ],
    });
    expect(updateRecords(update("destroy"), before, new Map(), null)[0].action).toBe("delete");
  });

  it("an unchanged state gives no record; a field whose value only moved keys is unchanged", () => {
    const a = state(resource(HOOK, "w", "w1", { filters: { matchType: "exact", conditions: [] }, webhookId: "w1" }));
    const b = state(resource(HOOK, "w", "w1", { filters: { conditions: [], matchType: "exact" }, webhookId: "w1" }));
    expect(updateRecords(update("update"), a, b, null)).toEqual([]);
  });

  it("secrets are [secret] at any depth; a re-encryption is no change, a secret set or removed is", () => {
    const a = state(resource(HOOK, "w", "w1", { webhookId: "w1" }, { secret: SECRET("v1:aaa"), deep: [SECRET("x")] }));
    const b = state(resource(HOOK, "w", "w1", { webhookId: "w1" }, { secret: SECRET("v1:bbb"), deep: [SECRET("y")] }));
    expect(a.get("urn:pulumi:prod::codes::" + HOOK + "::w")!.fields).toEqual({
      deep: ["[secret]"],
      secret: "[secret]",
      webhookId: "w1",
    });
    expect(updateRecords(update("update"), a, b, null)).toEqual([]);
    const none = state(resource(HOOK, "w", "w1", { webhookId: "w1" }, {}));
    expect(updateRecords(update("update"), none, b, null)[0].changes).toEqual([
      { field: "deep", before: null, after: ["[secret]"] },
      { field: "secret", before: null, after: "[secret]" },
    ]);
  });

  it("a failed update that recorded nothing is one record; its changes, when some landed, carry its result", () => {
    expect(updateRecords(update("update", "failed"), before, before, null)).toEqual([
      expect.objectContaining({ result: "failed", resource: null, type: null, action: null, changes: [] }),
    ]);
    // With --resource, the failed update is not attributed to any resource: nothing.
    expect(updateRecords(update("update", "failed"), before, before, (n) => n === "a")).toEqual([]);
    const after = state(
      resource(CODE, "a", "id-a", { name: "A!", code: "A", codeId: "id-a", tags: [], audit: audit("c2") }),
    );
    expect(updateRecords(update("update", "failed"), before, after, null).map((r) => [r.result, r.action])).toEqual([
      ["failed", "update"],
    ]);
  });

  it("leaves out other resource types and the old half of a replacement", () => {
    const doc = deployment(
      { urn: "urn:pulumi:prod::codes::pulumi:pulumi:Stack::codes-prod", type: "pulumi:pulumi:Stack" },
      { ...resource(CODE, "a", "old", { codeId: "old" }), delete: true },
      resource(CODE, "a", "new", { codeId: "new" }),
    );
    expect([...auditedResources(doc).values()].map((r) => r.platformId)).toEqual(["new"]);
  });
});

describe("flag dates", () => {
  it("takes dates (UTC) and date-times with an offset; --until of a date includes the day", () => {
    expect(parseInstant("since", "2026-11-30", false)).toBe(Date.parse("2026-11-30T00:00:00Z"));
    expect(parseInstant("until", "2026-11-30", true)).toBe(Date.parse("2026-12-01T00:00:00Z"));
    expect(parseInstant("at", "2026-11-30T10:00:00+01:00", true)).toBe(Date.parse("2026-11-30T09:00:00Z"));
    for (const bad of ["2026-11-30T10:00:00", "yesterday", "30/11/2026", "2026-13-45"]) {
      expect(() => parseInstant("since", bad, false)).toThrow(/is not an ISO 8601 date/);
    }
  });
});

describe("CSV cells", () => {
  it("quotes per RFC 4180 and keeps a spreadsheet from running a cell as a formula", () => {
    expect(csvCell('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvCell("-1")).toBe("-1");
    expect(csvCell("plain")).toBe("plain");
  });
});

describe("genesys-wrapup with a stand-in pulumi", () => {
  const bin = path.join(REPO_ROOT, "node_modules", ".bin", "genesys-wrapup");
  let dir: string;

  /**
   * A `pulumi` that answers from files in `dir` and logs its arguments, one call per line: `history-<page>.json` (pages
   * of 100 entries, newest first), `export-<version>.json`. Shell, not node: a run reads up to 160 versions.
   */
  const FAKE = `#!/bin/sh
echo "$*" | sed 's/ --non-interactive//' >> "$FAKE_DIR/calls.log"
flag() { prev=""; for a in "$@"; do [ "$prev" = "$FLAG" ] && { echo "$a"; return; }; prev="$a"; done; }
case "$1 $2" in
"whoami --json") echo "{\\"user\\": \\"u\\", \\"url\\": \\"$FAKE_URL\\"}" ;;
"stack history")
  FLAG=--page; page=$(flag "$@"); f="$FAKE_DIR/history-$page.json"
  if [ -f "$f" ]; then cat "$f"; else echo "[]"; fi ;;
"stack export")
  FLAG=--version; v=$(flag "$@"); f="$FAKE_DIR/export-$v.json"
  if [ -f "$f" ]; then cat "$f"; else
    echo "error: the current backend (vm) does not provide the ability to export previous deployments" >&2; exit 1; fi ;;
*) echo "unexpected: $*" >&2; exit 3 ;;
esac
`;

  /** Writes the history (newest first) as the stand-in's pages of 100. */
  function writeHistory(entries: unknown[]): void {
    for (let p = 0; p * 100 < entries.length; p++) {
      fs.writeFileSync(path.join(dir, `history-${p + 1}.json`), JSON.stringify(entries.slice(p * 100, p * 100 + 100)));
    }
  }

  function historyEntry(version: number, kind: string, startTime: string) {
    return {
      version,
      kind,
      startTime,
      message: `change ${version}`,
      environment: { "git.head": `sha${version}`, "ci.system": "GitHub Actions", "ci.build.id": `run${version}` },
      config: { "genesys:clientSecret": { secret: true } },
      result: "succeeded",
      endTime: startTime,
      resourceChanges: {},
    };
  }

  function run(args: string[], url = "https://api.pulumi.com") {
    const env = { PATH: `${dir}:${process.env.PATH}`, FAKE_DIR: dir, FAKE_URL: url, HOME: dir };
    return runCommand(bin, args, dir, env);
  }

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "genesys-audit-fake-"));
    fs.writeFileSync(path.join(dir, "pulumi"), FAKE, { mode: 0o755 });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("on Pulumi Cloud, reads each version with `pulumi stack export --version` and keeps its numbers", async () => {
    // 150 updates: more than one page of history; versions as Pulumi Cloud numbers them (here from 11).
    const history = [];
    for (let v = 11; v <= 160; v++) {
      history.unshift(historyEntry(v, "update", new Date(Date.UTC(2026, 10, 1, 0, v)).toISOString()));
      const name = v === 11 ? "First" : v === 160 ? "Last" : "Middle";
      fs.writeFileSync(
        path.join(dir, `export-${v}.json`),
        JSON.stringify(deployment(resource(CODE, "a", "id-a", { name, codeId: "id-a" }))),
      );
    }
    writeHistory(history);
    const result = await run(["audit", "--stack", "org/codes/prod", "--format", "csv"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const rows = parseCsv(result.stdout);
    expect(rows.slice(1).map((r) => [r[0], r[6], r[7], r[10], r[13]])).toEqual([
      ["11", "create", 'codeId: "id-a"\nname: "First"', "sha11", "GitHub Actions run11"],
      ["12", "update", 'name: "First" → "Middle"', "sha12", "GitHub Actions run12"],
      ["160", "update", 'name: "Middle" → "Last"', "sha160", "GitHub Actions run160"],
    ]);
    const calls = fs.readFileSync(path.join(dir, "calls.log"), "utf8").trim().split("\n");
    expect(calls.filter((c) => c.startsWith("stack history"))).toEqual([
      "stack history --json --stack org/codes/prod --page-size 100 --page 1",
      "stack history --json --stack org/codes/prod --page-size 100 --page 2",
    ]);
    const exports = calls.filter((c) => c.startsWith("stack export"));
    expect(exports).toHaveLength(150);
    expect(exports.every((c) => /^stack export --stack org\/codes\/prod --version \d+$/.test(c))).toBe(true);
    expect(calls.some((c) => c.includes("show-secrets"))).toBe(false);

    // --since reads from the state before the first selected update on, not the whole history.
    fs.rmSync(path.join(dir, "calls.log"));
    const since = await run(["audit", "--stack", "org/codes/prod", "-f", "jsonl", "--since", history[0].startTime]);
    expect(
      since.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).version),
    ).toEqual([160]);
    const sinceCalls = fs.readFileSync(path.join(dir, "calls.log"), "utf8").trim().split("\n");
    expect(sinceCalls.filter((c) => c.startsWith("stack export")).map((c) => c.split(" ").pop())).toEqual([
      "159",
      "160",
    ]);
  }, 60_000);

  it("reads one version only for --at", async () => {
    const history = [
      historyEntry(2, "update", "2026-11-02T00:00:00.000Z"),
      historyEntry(1, "update", "2026-11-01T00:00:00.000Z"),
    ];
    writeHistory(history);
    for (const v of [1, 2]) {
      fs.writeFileSync(
        path.join(dir, `export-${v}.json`),
        JSON.stringify(deployment(resource(CODE, "a", "id-a", { name: `v${v}`, codeId: "id-a" }))),
      );
    }
    const result = await run(["audit", "-s", "prod", "-f", "jsonl", "--at", "2026-11-01T12:00:00Z"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      at: "2026-11-01T12:00:00.000Z",
      version: 1,
      resource: "a",
      type: "WrapUpCode",
      platformId: "id-a",
      fields: { codeId: "id-a", name: "v1" },
      audit: null,
    });
    const calls = fs.readFileSync(path.join(dir, "calls.log"), "utf8").trim().split("\n");
    expect(calls.filter((c) => c.startsWith("stack export"))).toEqual(["stack export --stack prod --version 1"]);
  }, 60_000);

  it("on a postgres:// backend, reads the history's objects from Pulumi's table, under the URL's path", async () => {
    // A stand-in for the `pg` package in the project's node_modules, serving Pulumi's table (key, data {data: base64})
    // from rows.json and logging each query.
    const pg = path.join(dir, "node_modules", "pg");
    fs.mkdirSync(pg, { recursive: true });
    fs.writeFileSync(
      path.join(pg, "index.js"),
      `const fs = require("fs"), path = require("path");
const rows = JSON.parse(fs.readFileSync(path.join(__dirname, "rows.json"), "utf8"));
exports.Client = class {
  constructor(options) { fs.appendFileSync(path.join(__dirname, "log"), "connect " + options.connectionString + "\\n"); }
  async connect() {}
  async end() { fs.appendFileSync(path.join(__dirname, "log"), "end\\n"); }
  async query(text, values) {
    fs.appendFileSync(path.join(__dirname, "log"), text + " " + JSON.stringify(values) + "\\n");
    if (text.startsWith("SELECT key")) {
      const re = new RegExp("^" + values[0].replace(/\\\\(.)|([.*+?^$()|[\\]{}])|%/g, (m, esc, special) => esc ? esc.replace(/[.*+?^$()|[\\]{}\\\\]/g, "\\\\$&") : special ? "\\\\" + special : ".*") + "$");
      return { rows: Object.keys(rows).filter((k) => re.test(k)).sort().map((key) => ({ key })) };
    }
    return { rows: values[0] in rows ? [{ data: { data: rows[values[0]] } }] : [] };
  }
};
`,
    );
    const b64 = (v: unknown) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64");
    const hist = "states/.pulumi/history/codes/prod/prod-";
    const rows: Record<string, string> = {
      "states/.pulumi/meta.yaml": b64("version: 1\n"),
      [`${hist}1796000000000000001.history.json`]: b64({ kind: "update", startTime: 1796000000 }),
      [`${hist}1796000000000000001.checkpoint.json`]: b64({
        version: 3,
        checkpoint: { latest: { resources: [resource(CODE, "a", "id-a", { name: "One", codeId: "id-a" })] } },
      }),
      [`${hist}1796000600000000001.history.json`]: b64({ kind: "update", startTime: 1796000600 }),
      [`${hist}1796000600000000001.checkpoint.json`]: b64({
        version: 3,
        checkpoint: { latest: { resources: [resource(CODE, "a", "id-a", { name: "Two", codeId: "id-a" })] } },
      }),
      // Another stack whose name starts the same, and another project: not this stack's history.
      "states/.pulumi/history/codes/prod_eu/prod_eu-1796000000000000001.history.json": b64({ startTime: 1 }),
      "other/.pulumi/history/codes/prod/prod-1796000000000000001.history.json": b64({ startTime: 1 }),
    };
    fs.writeFileSync(path.join(pg, "rows.json"), JSON.stringify(rows));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: codes\nruntime: nodejs\n");
    writeHistory([
      historyEntry(0, "update", new Date(1796000600 * 1000).toISOString()),
      historyEntry(0, "update", new Date(1796000000 * 1000).toISOString()),
    ]);
    const url = "postgres://audit@127.0.0.1:5432/states?sslmode=disable&table=pulumi_state";
    const result = await run(["audit", "--stack", "prod", "--format", "jsonl"], url);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(
      result.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l))
        .map((r) => [r.version, r.action, r.changes]),
    ).toEqual([
      [
        1,
        "create",
        [
          { field: "codeId", before: null, after: "id-a" },
          { field: "name", before: null, after: "One" },
        ],
      ],
      [2, "update", [{ field: "name", before: "One", after: "Two" }]],
    ]);
    const log = fs.readFileSync(path.join(pg, "log"), "utf8").trim().split("\n");
    expect(log[0]).toBe("connect postgres://audit@127.0.0.1:5432/states?sslmode=disable");
    expect(log).toContain(
      'SELECT key FROM pulumi_state WHERE key LIKE $1 ORDER BY key ["states/.pulumi/history/codes/prod/%"]',
    );
    expect(log[log.length - 1]).toBe("end");
  }, 60_000);

  it("on an s3:// backend, reads the history's objects with @aws-sdk/client-s3, under the URL's path", async () => {
    // A stand-in for @aws-sdk/client-s3 in the project's node_modules: objects from objects.json, listed two per page.
    const sdk = path.join(dir, "node_modules", "@aws-sdk", "client-s3");
    fs.mkdirSync(sdk, { recursive: true });
    fs.writeFileSync(
      path.join(sdk, "index.js"),
      `const fs = require("fs"), path = require("path");
const objects = JSON.parse(fs.readFileSync(path.join(__dirname, "objects.json"), "utf8"));
const log = (line) => fs.appendFileSync(path.join(__dirname, "log"), line + "\\n");
exports.ListObjectsV2Command = class { constructor(input) { this.list = input; } };
exports.GetObjectCommand = class { constructor(input) { this.get = input; } };
exports.S3Client = class {
  constructor(config) { log("client " + JSON.stringify(config)); }
  destroy() { log("destroy"); }
  async send(c) {
    if (c.list) {
      log("list " + JSON.stringify(c.list));
      const keys = Object.keys(objects).filter((k) => k.startsWith(c.list.Bucket + "/" + c.list.Prefix))
        .map((k) => k.slice(c.list.Bucket.length + 1)).filter((k) => !k.slice(c.list.Prefix.length).includes("/")).sort();
      const from = Number(c.list.ContinuationToken || 0);
      return { Contents: keys.slice(from, from + 2).map((Key) => ({ Key })), IsTruncated: from + 2 < keys.length, NextContinuationToken: String(from + 2) };
    }
    const body = objects[c.get.Bucket + "/" + c.get.Key];
    if (body === undefined) throw Object.assign(new Error("no such key"), { name: "NoSuchKey" });
    return { Body: { transformToByteArray: async () => Buffer.from(body) } };
  }
};
`,
    );
    const hist = "team-state/pulumi/.pulumi/history/codes/prod/prod-";
    const checkpoint = (name: string) =>
      JSON.stringify({
        version: 3,
        checkpoint: { latest: { resources: [resource(CODE, "a", "id-a", { name, codeId: "id-a" })] } },
      });
    const objects: Record<string, string> = {
      "team-state/pulumi/.pulumi/meta.yaml": "version: 1\n",
      [`${hist}1796000000000000001.history.json`]: JSON.stringify({ startTime: 1796000000 }),
      [`${hist}1796000000000000001.checkpoint.json`]: checkpoint("One"),
      [`${hist}1796000600000000001.history.json`]: JSON.stringify({ startTime: 1796000600 }),
      [`${hist}1796000600000000001.checkpoint.json`]: checkpoint("Two"),
    };
    fs.writeFileSync(path.join(sdk, "objects.json"), JSON.stringify(objects));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: codes\nruntime: nodejs\n");
    writeHistory([
      historyEntry(0, "update", new Date(1796000600 * 1000).toISOString()),
      historyEntry(0, "update", new Date(1796000000 * 1000).toISOString()),
    ]);
    const url = "s3://team-state/pulumi?region=eu-west-1&endpoint=127.0.0.1:9000&disableSSL=true&s3ForcePathStyle=true";
    const result = await run(["audit", "--stack", "prod", "--format", "table"], url);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(
      result.stdout
        .split("\n")
        .map((l) => l.replace(/ +/g, " "))
        .filter((l) => / a WrapUpCode /.test(l)),
    ).toEqual([
      expect.stringMatching(/^1 .* create .* name: "One"$/),
      expect.stringMatching(/^2 .* update .* name: "One" → "Two"$/),
    ]);
    const log = fs.readFileSync(path.join(sdk, "log"), "utf8").trim().split("\n");
    expect(JSON.parse(log[0].slice("client ".length))).toEqual({
      region: "eu-west-1",
      endpoint: "http://127.0.0.1:9000",
      forcePathStyle: true,
    });
    expect(log.filter((l) => l.startsWith("list"))).toEqual([
      'list {"Bucket":"team-state","Prefix":"pulumi/.pulumi/history/codes/prod/","Delimiter":"/"}',
      'list {"Bucket":"team-state","Prefix":"pulumi/.pulumi/history/codes/prod/","Delimiter":"/","ContinuationToken":"2"}',
    ]);
    expect(log[log.length - 1]).toBe("destroy");
  }, 60_000);

  it("on a backend whose history it cannot read, says what to do and exits 1", async () => {
    writeHistory([historyEntry(0, "update", "2026-11-01T00:00:00.000Z")]);
    const result = await run(["audit", "--stack", "prod"], "gs://team-state/pulumi");
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("reads the history objects of file://, s3:// and postgres:// backends only");
    expect(result.stderr).toContain("gsutil -m rsync -r gs://team-state/pulumi ./state");
    expect(result.stderr).toContain("PULUMI_BACKEND_URL=file://$PWD/state");
  }, 60_000);

  it("without pulumi on PATH, says so (exit 1); wrong command lines exit 2; help exits 0", async () => {
    const env = { PATH: path.dirname(process.execPath), HOME: dir };
    const [noCli, unknown, badFormat, help, auditHelp] = await Promise.all([
      runCommand(bin, ["audit", "--stack", "prod"], dir, env),
      runCommand(bin, ["exprot"], dir, env),
      runCommand(bin, ["audit", "--stack", "prod", "--format", "xml"], dir, env),
      runCommand(bin, ["--help"], dir, env),
      runCommand(bin, ["audit", "--help"], dir, env),
    ]);
    expect(noCli).toMatchObject({ code: 1, stdout: "" });
    expect(noCli.stderr).toContain("the Pulumi CLI (`pulumi`) is not on PATH");
    expect(unknown).toMatchObject({ code: 2, stdout: "" });
    expect(unknown.stderr).toContain('unknown command "exprot"');
    expect(badFormat).toMatchObject({ code: 2, stdout: "" });
    expect(badFormat.stderr).toContain('--format "xml" is not one of jsonl, csv, table');
    expect(help).toMatchObject({ code: 0, stderr: "" });
    expect(help.stdout).toMatch(/^Usage: genesys-wrapup <command>/);
    expect(help.stdout).toContain("  audit  ");
    expect(auditHelp).toMatchObject({ code: 0, stderr: "" });
    expect(auditHelp.stdout).toContain("genesys-wrapup audit --stack <stack> --at <date-time>");
  }, 60_000);
});
