import { CommandError, CommandIO } from "../command";
import { CheckpointSource, openCheckpoints } from "./checkpoints";
import { recordWriter } from "./format";
import { History, Update } from "./history";
import { AuditOptions } from "./options";
import { PulumiCli } from "./pulumiCli";
import { ResourceFilter, updateRecords } from "./records";
import { AuditedResource, auditedResources } from "./resources";
import { writeSnapshot } from "./snapshot";

/** One `audit` run: what was asked, the stack's history, and where it writes. */
export interface AuditRun {
  readonly options: AuditOptions;
  readonly history: History;
  readonly cli: PulumiCli;
  readonly io: CommandIO;
  /** Names of the resources the output showed, to say which of `--resource` matched nothing. */
  readonly seen: Set<string>;
}

function resourceFilter(options: AuditOptions): ResourceFilter | null {
  return options.resources.length ? (name) => options.resources.includes(name) : null;
}

/** Opens the states of the history for `use`, which reads from `updates[firstIndex]` on. */
async function withCheckpoints<T>(
  run: AuditRun,
  firstIndex: number,
  use: (source: CheckpointSource) => Promise<T>,
): Promise<T> {
  const { options, history, cli, io } = run;
  const { updates, numberedByBackend } = history;
  const source = await openCheckpoints(cli, options.stack, updates, numberedByBackend, io.cwd, firstIndex);
  try {
    return await use(source);
  } finally {
    await source.close();
  }
}

/** The audited resources of the state recorded at the end of `updates[index]`. */
async function stateAt(source: CheckpointSource, updates: readonly Update[], index: number) {
  const text = await source.read(index);
  try {
    return auditedResources(JSON.parse(text));
  } catch (e) {
    throw new CommandError(`the state of update ${updates[index].version} is not JSON (${source.description}): ${e}`);
  }
}

/**
 * The change log: each selected update diffed against the state the update before it recorded. One state is read at
 * a time (the next one while the current one is diffed), and only the previous one is kept.
 */
export async function writeLog(run: AuditRun): Promise<void> {
  const { options, io, seen } = run;
  const updates = run.history.updates;
  const selected = (u: Update): boolean => {
    const t = Date.parse(u.startTime);
    return (options.since === null || t >= options.since) && (options.until === null || t < options.until);
  };
  const first = updates.findIndex(selected);
  const last = updates.findLastIndex(selected);
  const keep = resourceFilter(options);
  const writer = recordWriter(options.format, io.stdout);
  if (first >= 0) {
    await withCheckpoints(run, first === 0 ? 0 : first - 1, async (source) => {
      let before: Map<string, AuditedResource> = first === 0 ? new Map() : await stateAt(source, updates, first - 1);
      let next = stateAt(source, updates, first);
      for (let i = first; i <= last; i++) {
        const after = await next;
        if (i < last) next = stateAt(source, updates, i + 1);
        for (const record of updateRecords(updates[i], before, after, keep)) {
          if (record.resource !== null) seen.add(record.resource);
          await writer.write(record);
        }
        before = after;
      }
    });
  }
  await writer.end();
}

/** The state at `--at`: the checkpoint of the last update that had ended by then. */
export async function writeStateAt(run: AuditRun): Promise<void> {
  const { options, io, seen } = run;
  const updates = run.history.updates;
  const at = options.at!;
  const index = updates.findLastIndex((u) => u.endTime !== null && Date.parse(u.endTime) <= at);
  const atText = new Date(at).toISOString();
  let resources: AuditedResource[] = [];
  if (index >= 0) {
    const keep = resourceFilter(options);
    const state = await withCheckpoints(run, index, (source) => stateAt(source, updates, index));
    resources = [...state.values()]
      .filter((r) => !keep || keep(r.name))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.type < b.type ? -1 : 1));
    for (const r of resources) seen.add(r.name);
  } else {
    io.stderr.write(`genesys-wrapup audit: the stack had recorded no update by ${atText}\n`);
  }
  await writeSnapshot(options.format, io.stdout, { at: atText, update: updates[index] ?? null, resources });
}
