import { Command, CommandIO, EXIT } from "../command";
import { parseHistory } from "./history";
import { parseOptions } from "./options";
import { PulumiCli } from "./pulumiCli";
import { AuditRun, writeLog, writeStateAt } from "./run";

const HELP = `Usage:
  genesys-wrapup audit --stack <stack> [--since <date>] [--until <date>] [--resource <name>]… [--format table|jsonl|csv]
  genesys-wrapup audit --stack <stack> --at <date-time> [--resource <name>]… [--format table|jsonl|csv]

The audit log of a stack's wrap-up codes and webhooks, from its update history: one record per change of one
WrapUpCode or SyncWebhook in one update (version, time, kind, result, resource, type, action, every changed field with
its value before and after, platform id, correlation id of the write, commit, author, message, CI run). Secrets are
shown as "[secret]". With --at: every code and webhook as the stack recorded it at that moment.

Run it in the Pulumi project's directory, with the environment the Pulumi CLI uses there (backend URL or
\`pulumi login\`). It reads through \`pulumi stack history\` and \`pulumi stack export --version\` (Pulumi Cloud);
on file://, s3:// and postgres:// backends, whose CLI exports no past version, it reads the checkpoints the backend
keeps beside its history (s3:// needs \`npm install @aws-sdk/client-s3\`, postgres:// \`npm install pg\`).

Flags:
  -s, --stack <stack>      the stack (required)
      --since <date>       only updates that started at or after this: 2026-11-01 (UTC) or 2026-11-01T09:00:00Z
      --until <date>       only updates that started before this; a date alone includes that day
      --at <date-time>     the state at this moment (a date alone: the end of that day, UTC)
  -r, --resource <name>    only this resource (its name in the program); may be repeated
  -f, --format <format>    table (the default: aligned, for people), jsonl (one JSON object per line, for
                           machines), csv (RFC 4180, for spreadsheets)
  -h, --help               this help

Exit codes: 0 done (an empty log too), 1 failed (the reason is on stderr), 2 wrong command line.
`;

export const auditCommand: Command = {
  name: "audit",
  summary: "the audit log of the stack's wrap-up codes and webhooks, from its history",
  help: HELP,
  async run(args: string[], io: CommandIO): Promise<number> {
    const options = parseOptions(args);
    const cli = new PulumiCli(io.cwd, io.env);
    const history = parseHistory(await cli.history(options.stack));
    // An update still running has no recorded state yet (Pulumi Cloud lists it; the DIY backends do not).
    for (const u of history.updates) {
      if (u.result === "in-progress") {
        io.stderr.write(`genesys-wrapup audit: update ${u.version} is still in progress: left out\n`);
      }
    }
    const updates = history.updates.filter((u) => u.result !== "in-progress");
    const run: AuditRun = { options, history: { ...history, updates }, cli, io, seen: new Set() };
    if (options.at !== null) await writeStateAt(run);
    else await writeLog(run);
    for (const name of options.resources) {
      if (!run.seen.has(name)) {
        const where = options.at !== null ? "in the state then" : "changed in the selected updates";
        io.stderr.write(`genesys-wrapup audit: no WrapUpCode or SyncWebhook named "${name}" ${where}\n`);
      }
    }
    return EXIT.ok;
  },
};
