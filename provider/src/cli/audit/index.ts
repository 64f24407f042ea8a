import { parseArgs } from "node:util";
import { Command, CommandIO, EXIT, UsageError } from "../command";
import { CheckpointSource, openCheckpoints } from "./checkpoints";
import { FORMATS, Format, recordWriter } from "./format";
import { Update, parseHistory } from "./history";
import { PulumiCli } from "./pulumiCli";
import { ResourceFilter, updateRecords } from "./records";
import { AuditedResource, auditedResources } from "./resources";
import { writeSnapshot } from "./snapshot";
import { parseInstant } from "./time";

const HELP = `Usage:
  genesys-wrapup audit --stack <stack> [--since <date>] [--until <date>] [--resource <name>]… [--format jsonl|csv|table]
  genesys-wrapup audit --stack <stack> --at <date-time> [--resource <name>]… [--format jsonl|csv|table]

The audit log of a stack's wrap-up codes and webhooks, from its update history: one record per change of one
WrapUpCode or SyncWebhook in one update (version, time, kind, result, resource, type, action, every changed field with
its value before and after, platform id, correlation id of the write, commit, author, message, CI run). Secrets are
shown as "[secret]". With --at: every code and webhook as the stack recorded it at that moment.

Run it in the Pulumi project's directory, with the environment the Pulumi CLI uses there (backend URL or
\`pulumi login\`). It reads through \`pulumi stack history\` and \`pulumi stack export\`; on a file:// or postgres://
backend it reads the history's checkpoints from the backend (postgres:// needs \`npm install pg\`).

Flags:
  -s, --stack <stack>      the stack (required)
      --since <date>       only updates that started at or after this: 2026-11-01 (UTC) or 2026-11-01T09:00:00Z
      --until <date>       only updates that started before this; a date alone includes that day
      --at <date-time>     the state at this moment (a date alone: the end of that day, UTC)
  -r, --resource <name>    only this resource (its name in the program); may be repeated
  -f, --format <format>    jsonl (default: one JSON object per line), csv (RFC 4180), table (aligned, for people)
  -h, --help               this help

Exit codes: 0 done (an empty log too), 1 failed (the reason is on stderr), 2 wrong command line.
`;

interface AuditOptions {
  readonly stack: string;
  readonly since: number | null;
  readonly until: number | null;
  readonly at: number | null;
  readonly atText: string;
  readonly resources: readonly string[];
  readonly format: Format;
}

function parseOptions(args: string[]): AuditOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        stack: { type: "string", short: "s" },
        since: { type: "string" },
        until: { type: "string" },
        at: { type: "string" },
        resource: { type: "string", short: "r", multiple: true },
        format: { type: "string", short: "f" },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (!values.stack) throw new UsageError("--stack is required (the stack to audit, as in `pulumi stack ls`)");
  const format = (values.format ?? "jsonl") as Format;
  if (!FORMATS.includes(format)) {
    throw new UsageError(`--format ${JSON.stringify(values.format)} is not one of ${FORMATS.join(", ")}`);
  }
  if (values.at !== undefined && (values.since !== undefined || values.until !== undefined)) {
    throw new UsageError("--at shows one moment: it does not go with --since or --until");
  }
  const since = values.since === undefined ? null : parseInstant("since", values.since, false);
  const until = values.until === undefined ? null : parseInstant("until", values.until, true);
  if (since !== null && until !== null && since >= until) throw new UsageError("--since must be earlier than --until");
  const at = values.at === undefined ? null : parseInstant("at", values.at, true);
  return {
    stack: values.stack,
    since,
    until,
    at,
    atText: at === null ? "" : new Date(at).toISOString(),
    resources: values.resource ?? [],
    format,
  };
}

export const auditCommand: Command = {
  name: "audit",
  summary: "the audit log of the stack's wrap-up codes and webhooks, from its history",
  help: HELP,
  async run(args: string[], io: CommandIO): Promise<number> {
    const options = parseOptions(args);
    const cli = new PulumiCli(io.cwd, io.env);
    const raw = await cli.history(options.stack);
    const numbered = raw.some((e) => Number((e as { version?: unknown }).version) > 0);
    const all = parseHistory(raw);
    const updates = all.filter((u) => u.result !== "in-progress");
    for (const u of all) {
      if (u.result === "in-progress")
        io.stderr.write(`genesys-wrapup audit: update ${u.version} is still in progress: left out\n`);
    }
    const keep: ResourceFilter | null = options.resources.length ? (name) => options.resources.includes(name) : null;
    const seen = new Set<string>();
    if (options.at !== null) await snapshot(options, updates, numbered, cli, io, keep, seen);
    else await log(options, updates, numbered, cli, io, keep, seen);
    for (const name of options.resources) {
      if (!seen.has(name)) {
        io.stderr.write(
          `genesys-wrapup audit: no WrapUpCode or SyncWebhook named "${name}" ${options.at !== null ? "in the state then" : "changed in the selected updates"}\n`,
        );
      }
    }
    return EXIT.ok;
  },
};

async function withCheckpoints<T>(
  options: AuditOptions,
  updates: readonly Update[],
  numbered: boolean,
  cli: PulumiCli,
  io: CommandIO,
  use: (source: CheckpointSource) => Promise<T>,
): Promise<T> {
  const source = await openCheckpoints(cli, options.stack, updates, numbered, io.cwd);
  try {
    return await use(source);
  } finally {
    await source.close();
  }
}

/** The change log: each selected update diffed against the state the update before it recorded. */
async function log(
  options: AuditOptions,
  updates: readonly Update[],
  numbered: boolean,
  cli: PulumiCli,
  io: CommandIO,
  keep: ResourceFilter | null,
  seen: Set<string>,
): Promise<void> {
  const selected = (u: Update): boolean => {
    const t = Date.parse(u.startTime);
    return (options.since === null || t >= options.since) && (options.until === null || t < options.until);
  };
  const first = updates.findIndex(selected);
  const last = updates.length - 1 - [...updates].reverse().findIndex(selected);
  const writer = recordWriter(options.format, io.stdout);
  if (first >= 0) {
    await withCheckpoints(options, updates, numbered, cli, io, async (source) => {
      // One checkpoint at a time (and the next one read ahead): only the previous state is kept for the diff.
      const read = (i: number) => source.read(i).then((text) => auditedResources(JSON.parse(text)));
      let before: Map<string, AuditedResource> = first === 0 ? new Map() : await read(first - 1);
      let next = read(first);
      for (let i = first; i <= last; i++) {
        const after = await next;
        if (i < last) next = read(i + 1);
        if (selected(updates[i])) {
          for (const record of updateRecords(updates[i], before, after, keep)) {
            if (record.resource !== null) seen.add(record.resource);
            await writer.write(record);
          }
        }
        before = after;
      }
    });
  }
  await writer.end();
}

/** The state at a moment: the checkpoint of the last update that had ended by then. */
async function snapshot(
  options: AuditOptions,
  updates: readonly Update[],
  numbered: boolean,
  cli: PulumiCli,
  io: CommandIO,
  keep: ResourceFilter | null,
  seen: Set<string>,
): Promise<void> {
  let index = -1;
  updates.forEach((u, i) => {
    if (u.endTime !== null && Date.parse(u.endTime) <= options.at!) index = i;
  });
  let resources: AuditedResource[] = [];
  if (index >= 0) {
    const text = await withCheckpoints(options, updates, numbered, cli, io, (source) => source.read(index));
    resources = [...auditedResources(JSON.parse(text)).values()]
      .filter((r) => !keep || keep(r.name))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.type < b.type ? -1 : 1));
    for (const r of resources) seen.add(r.name);
  } else {
    io.stderr.write(`genesys-wrapup audit: the stack had recorded no update by ${options.atText}\n`);
  }
  await writeSnapshot(options.format, io.stdout, {
    at: options.atText,
    update: index >= 0 ? updates[index] : null,
    resources,
  });
}
