import { Format } from "./format";
import { Update, commitOf } from "./history";
import { alignedLines, csvRow, shortValue, writeOut } from "./output";
import { AuditedResource } from "./resources";

/** The resources as the stack recorded them at a moment: the state at the end of the last update before it. */
export interface Snapshot {
  /** The moment asked for (ISO 8601). */
  readonly at: string;
  /** The last update that had ended by then; null when none had. */
  readonly update: Update | null;
  /** The audited resources of that update's checkpoint, by resource name. */
  readonly resources: readonly AuditedResource[];
}

/** One jsonl line of `--at`: a resource with every field (secrets as "[secret]") and the provider's last write. */
export interface SnapshotLine {
  readonly at: string;
  readonly version: number;
  readonly resource: string;
  readonly type: string;
  readonly platformId: string | null;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly audit: Readonly<Record<string, unknown>> | null;
}

export function snapshotLine(s: Snapshot, r: AuditedResource): SnapshotLine {
  return {
    at: s.at,
    version: s.update!.version,
    resource: r.name,
    type: r.type,
    platformId: r.platformId,
    fields: r.fields,
    audit: r.audit,
  };
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Writes a snapshot. jsonl: one {@link SnapshotLine} per resource. csv: one row per resource, a column per field
 * (the union over the resources, by name; lists and objects as JSON) and per `audit` entry (`audit.contextId`, …).
 * table: what the state was (version, time, commit), then per type the declared fields of each resource, aligned.
 */
export async function writeSnapshot(format: Format, out: NodeJS.WritableStream, s: Snapshot): Promise<void> {
  if (format === "jsonl") {
    for (const r of s.resources) await writeOut(out, JSON.stringify(snapshotLine(s, r)) + "\n");
    return;
  }
  if (format === "csv") {
    const fields = [...new Set(s.resources.flatMap((r) => Object.keys(r.fields)))].sort();
    const audits = [...new Set(s.resources.flatMap((r) => Object.keys(r.audit ?? {})))].sort();
    await writeOut(
      out,
      csvRow(["at", "version", "resource", "type", "platformId", ...fields, ...audits.map((a) => `audit.${a}`)]),
    );
    for (const r of s.resources) {
      await writeOut(
        out,
        csvRow([
          s.at,
          String(s.update!.version),
          r.name,
          r.type,
          r.platformId ?? "",
          ...fields.map((f) => cellText(r.fields[f])),
          ...audits.map((a) => cellText(r.audit?.[a])),
        ]),
      );
    }
    return;
  }
  if (!s.update) {
    await writeOut(out, `The stack had recorded no update by ${s.at}.\n`);
    return;
  }
  const u = s.update;
  const commit = commitOf(u);
  await writeOut(
    out,
    `As recorded at ${s.at}: version ${u.version} (${u.kind}, ${u.result}, ended ${u.endTime ?? "-"}` +
      `${commit ? `, commit ${commit.slice(0, 7)}` : ""}), ${s.resources.length} resources.\n`,
  );
  for (const type of [...new Set(s.resources.map((r) => r.type))].sort()) {
    const ofType = s.resources.filter((r) => r.type === type);
    const columns = [...new Set(ofType.flatMap((r) => r.inputNames))];
    const rows = [["RESOURCE", "PLATFORM ID", ...columns, "LAST WRITE"]];
    for (const r of ofType) {
      const write = r.audit ? `${shortValue(r.audit.action)} ${shortValue(r.audit.time)}` : "-";
      rows.push([r.name, r.platformId ?? "-", ...columns.map((c) => shortValue(r.fields[c])), write]);
    }
    await writeOut(out, `\n${type} (${ofType.length})\n`);
    for (const line of alignedLines(rows)) await writeOut(out, line + "\n");
  }
}
