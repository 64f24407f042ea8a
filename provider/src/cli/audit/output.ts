import { once } from "node:events";

/** Writes `text`, waiting while the stream's buffer is full: output is streamed, never held whole. */
export async function writeOut(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, "drain");
}

/** A cell of RFC 4180 CSV: quoted when it holds a comma, quote, CR or LF, quotes doubled. */
export function csvCell(value: string): string {
  // A spreadsheet runs a cell that starts with = + @ (or - before a non-digit) as a formula: a commit message
  // must not. The leading apostrophe is what spreadsheets themselves use to mark text.
  const safe = /^([=+@\t\r]|-[^0-9])/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV row with its CRLF line end (RFC 4180). */
export function csvRow(cells: readonly string[]): string {
  return cells.map(csvCell).join(",") + "\r\n";
}

/** A value as a person reads it in a table: strings bare, lists comma-separated, absent as "-", long ones cut. */
export function shortValue(value: unknown, max = 40): string {
  let text: string;
  if (value === null || value === undefined) text = "-";
  else if (Array.isArray(value) && value.length === 0) text = "[]";
  else if (typeof value === "string") text = value;
  else if (Array.isArray(value) && value.every((v) => typeof v !== "object" || v === null)) text = value.join(",");
  else text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A value as JSON text, for change lists (so that `"1"` and `1` differ visibly). */
export function jsonValue(value: unknown, max = Infinity): string {
  const text = JSON.stringify(value ?? null);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Lines of aligned columns (two spaces apart); the last column is not padded. */
export function alignedLines(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + " ".repeat(widths[i] - [...cell].length)))
      .join("  ")
      .trimEnd(),
  );
}
