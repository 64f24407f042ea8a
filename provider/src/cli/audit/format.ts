import { CiRun } from "./history";
import { alignedLines, csvRow, jsonValue, writeOut } from "./output";
import { AuditRecord, Change } from "./records";

/** The output formats of `audit`. */
export const FORMATS = ["jsonl", "csv", "table"] as const;
export type Format = (typeof FORMATS)[number];

/** Writes records as they come. */
export interface RecordWriter {
  write(record: AuditRecord): Promise<void>;
  end(): Promise<void>;
}

const CSV_COLUMNS = [
  "version",
  "time",
  "kind",
  "result",
  "resource",
  "type",
  "action",
  "changes",
  "platformId",
  "contextId",
  "commit",
  "author",
  "message",
  "ci",
] as const;

/** `field: before → after`, values as JSON; for a create only the value, for a delete only the former one. */
export function changeText(change: Change, max = Infinity): string {
  if (change.before === null) return `${change.field}: ${jsonValue(change.after, max)}`;
  if (change.after === null) return `${change.field}: ${jsonValue(change.before, max)} → null`;
  return `${change.field}: ${jsonValue(change.before, max)} → ${jsonValue(change.after, max)}`;
}

/** The CI run in words: `GitHub Actions 4242 https://…`. */
export function ciText(ci: CiRun | null): string {
  if (!ci) return "";
  return [ci.system, ci.buildId ?? ci.buildNumber, ci.buildUrl].filter((v) => v).join(" ");
}

function csvCells(r: AuditRecord): string[] {
  return [
    String(r.version),
    r.time,
    r.kind,
    r.result,
    r.resource ?? "",
    r.type ?? "",
    r.action ?? "",
    r.changes.map((c) => changeText(c)).join("\n"),
    r.platformId ?? "",
    r.contextId ?? "",
    r.commit ?? "",
    r.author ?? "",
    r.message,
    ciText(r.ci),
  ];
}

const TABLE_HEADER = ["VERSION", "TIME", "KIND", "RESULT", "RESOURCE", "TYPE", "ACTION", "COMMIT", "AUTHOR", "CHANGES"];

function tableCells(r: AuditRecord): string[] {
  return [
    String(r.version),
    r.time.replace(/\.\d+Z$/, "Z"),
    r.kind,
    r.result,
    r.resource ?? "-",
    r.type ?? "-",
    r.action ?? "-",
    r.commit ? r.commit.slice(0, 7) : "-",
    r.author ? r.author.replace(/ <.*>$/, "") : "-",
    r.resource === null ? "(no change was recorded)" : r.changes.map((c) => changeText(c, 40)).join("; "),
  ];
}

/**
 * A writer of `format` to `out`. `jsonl` and `csv` stream: each record is written when it is known. `table` holds its
 * lines (not the records) until the end, to align its columns.
 */
export function recordWriter(format: Format, out: NodeJS.WritableStream): RecordWriter {
  if (format === "jsonl") {
    return { write: (r) => writeOut(out, JSON.stringify(r) + "\n"), end: async () => {} };
  }
  if (format === "csv") {
    let started = false;
    return {
      write: async (r) => {
        if (!started) await writeOut(out, csvRow(CSV_COLUMNS));
        started = true;
        await writeOut(out, csvRow(csvCells(r)));
      },
      end: async () => {
        if (!started) await writeOut(out, csvRow(CSV_COLUMNS));
      },
    };
  }
  const rows: string[][] = [TABLE_HEADER];
  return {
    write: async (r) => {
      rows.push(tableCells(r));
    },
    end: async () => {
      if (rows.length === 1)
        return writeOut(out, "No change of a WrapUpCode or SyncWebhook in the selected updates.\n");
      for (const line of alignedLines(rows)) await writeOut(out, line + "\n");
    },
  };
}
