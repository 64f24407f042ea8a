import { UsageError, oneOf, parseFlags } from "../command";
import { FORMATS, Format } from "./format";
import { parseInstant } from "./time";

/** What `genesys-wrapup audit` was asked for. */
export interface AuditOptions {
  readonly stack: string;
  /** Updates that started at or after this (ms), or all. */
  readonly since: number | null;
  /** Updates that started before this (ms), or all. */
  readonly until: number | null;
  /** The moment of `--at` (ms): the state then instead of the change log. */
  readonly at: number | null;
  /** Only these resources (names in the program); all when empty. */
  readonly resources: readonly string[];
  readonly format: Format;
}

/** Parses the flags after `audit`; a wrong command line is a {@link UsageError}. */
export function parseOptions(args: string[]): AuditOptions {
  const values = parseFlags(args, {
    stack: { type: "string", short: "s" },
    since: { type: "string" },
    until: { type: "string" },
    at: { type: "string" },
    resource: { type: "string", short: "r", multiple: true },
    format: { type: "string", short: "f" },
  });
  if (!values.stack) throw new UsageError("--stack is required (the stack to audit, as in `pulumi stack ls`)");
  const format = oneOf("format", values.format, FORMATS, "table");
  if (values.at !== undefined && (values.since !== undefined || values.until !== undefined)) {
    throw new UsageError("--at shows one moment: it does not go with --since or --until");
  }
  const since = values.since === undefined ? null : parseInstant("since", values.since, false);
  const until = values.until === undefined ? null : parseInstant("until", values.until, true);
  if (since !== null && until !== null && since >= until) throw new UsageError("--since must be earlier than --until");
  return {
    stack: values.stack,
    since,
    until,
    at: values.at === undefined ? null : parseInstant("at", values.at, true),
    resources: values.resource ?? [],
    format,
  };
}
