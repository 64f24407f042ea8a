import { CommandError } from "../command";

/** One entry of the stack's history (`pulumi stack history --json`), as the audit uses it. */
export interface Update {
  /** The update's number: Pulumi Cloud's version; on backends that number nothing (file, S3, PostgreSQL…), 1 for the oldest. */
  readonly version: number;
  /** `update`, `refresh`, `destroy`, `import`, … */
  readonly kind: string;
  /** `succeeded`, `failed`, or `in-progress`. */
  readonly result: string;
  /** When the update started (ISO 8601, whole seconds as Pulumi records them). */
  readonly startTime: string;
  /** When it ended; null while in progress. */
  readonly endTime: string | null;
  /** The update's message (by default the commit message of the project's HEAD). */
  readonly message: string;
  /** What Pulumi recorded of the environment: `git.head`, `git.author`, `ci.system`, … (never values of variables). */
  readonly environment: Readonly<Record<string, string>>;
}

/** The CI run an update was made by, as Pulumi recorded it; only the keys it recorded. */
export interface CiRun {
  readonly system: string;
  readonly buildId?: string;
  readonly buildNumber?: string;
  readonly buildType?: string;
  readonly buildUrl?: string;
  readonly prNumber?: string;
  readonly prHeadSha?: string;
}

function isoTime(value: unknown): string | null {
  if (typeof value !== "string" || value === "") return null;
  const t = new Date(value);
  return Number.isNaN(t.getTime()) ? null : t.toISOString();
}

/** The stack's updates, oldest first, and whether the backend numbered them. */
export interface History {
  readonly updates: readonly Update[];
  /** Pulumi Cloud numbers updates; the DIY backends (file, S3, PostgreSQL…) print version 0 for every one. */
  readonly numberedByBackend: boolean;
}

/**
 * The entries of `pulumi stack history --json` (newest first, possibly several pages concatenated), oldest first.
 * Backends that do not number updates print version 0; those are numbered by position, as Pulumi Cloud numbers them
 * (1 for the first update, refreshes and failed updates counted).
 */
export function parseHistory(entries: readonly unknown[]): History {
  const records = entries.map((e) => (typeof e === "object" && e !== null ? (e as Record<string, unknown>) : {}));
  records.reverse();
  const numberedByBackend = records.some((e) => typeof e.version === "number" && e.version > 0);
  const updates = records.map((e, i) => {
    const startTime = isoTime(e.startTime);
    if (startTime === null) {
      throw new CommandError(
        `\`pulumi stack history\` printed an entry without a start time: ${JSON.stringify(e).slice(0, 200)}`,
      );
    }
    const environment: Record<string, string> = {};
    if (typeof e.environment === "object" && e.environment !== null) {
      for (const [k, v] of Object.entries(e.environment)) if (typeof v === "string") environment[k] = v;
    }
    return {
      version: numberedByBackend ? Number(e.version) : i + 1,
      kind: String(e.kind ?? ""),
      result: String(e.result ?? ""),
      startTime,
      endTime: isoTime(e.endTime),
      message: typeof e.message === "string" ? e.message : "",
      environment,
    };
  });
  return { updates, numberedByBackend };
}

/** `Name <email>` of the commit's author, as git writes it; null when Pulumi recorded none. */
export function authorOf(update: Update): string | null {
  const name = update.environment["git.author"];
  const email = update.environment["git.author.email"];
  if (!name && !email) return null;
  return name && email ? `${name} <${email}>` : (name ?? `<${email}>`);
}

/** The commit the project's directory was at; null outside git. */
export function commitOf(update: Update): string | null {
  return update.environment["git.head"] || null;
}

/** The CI run, when Pulumi recognised one (it reads the CI system's own variables, e.g. GITHUB_RUN_ID). */
export function ciOf(update: Update): CiRun | null {
  const env = update.environment;
  const system = env["ci.system"];
  if (!system) return null;
  const ci: Record<string, string> = { system };
  const keys: [keyof CiRun, string][] = [
    ["buildId", "ci.build.id"],
    ["buildNumber", "ci.build.number"],
    ["buildType", "ci.build.type"],
    ["buildUrl", "ci.build.url"],
    ["prNumber", "ci.pr.number"],
    ["prHeadSha", "ci.pr.headSHA"],
  ];
  for (const [key, envKey] of keys) if (env[envKey]) ci[key] = env[envKey];
  return ci as unknown as CiRun;
}
