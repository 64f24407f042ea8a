import { UsageError, oneOf, parseFlags } from "../command";

/** How the short `code` of a code the platform does not hold is made (`--code-from`). */
export type CodeRule = "name";
export const CODE_RULES: readonly CodeRule[] = ["name"];

/** How `genesys-wrapup export` prints its report. */
export type ExportFormat = "table" | "json";
export const EXPORT_FORMATS: readonly ExportFormat[] = ["table", "json"];

/** What `genesys-wrapup export` was asked for. */
export interface ExportOptions {
  readonly stack: string;
  /** Only codes on these queues (names, matched case-insensitively); every code when empty. */
  readonly queues: readonly string[];
  /** The category of a code whose category neither the platform nor the stack holds. */
  readonly categoryDefault?: string;
  /** How to make the short code of a code whose code neither the platform nor the stack holds. */
  readonly codeFrom?: CodeRule;
  readonly format: ExportFormat;
}

/** Parses the flags after `export`; a wrong command line is a {@link UsageError}. */
export function parseExportOptions(args: string[]): ExportOptions {
  const values = parseFlags(args, {
    stack: { type: "string", short: "s" },
    queues: { type: "string", short: "q", multiple: true },
    "category-default": { type: "string" },
    "code-from": { type: "string" },
    format: { type: "string", short: "f" },
  });
  if (!values.stack)
    throw new UsageError("--stack is required (the stack whose organisation to export, as in `pulumi stack ls`)");
  const queues = (values.queues ?? [])
    .flatMap((list) => list.split(","))
    .map((name) => name.trim())
    .filter((name) => name !== "");
  if (values.queues !== undefined && queues.length === 0) {
    throw new UsageError("--queues names no queue; give queue names separated by commas, e.g. --queues Support,Sales");
  }
  const codeFrom = values["code-from"];
  if (codeFrom !== undefined && !CODE_RULES.includes(codeFrom as CodeRule)) {
    throw new UsageError(
      `--code-from ${JSON.stringify(codeFrom)} is not a rule; known: ${CODE_RULES.join(", ")} (the code made from the name: ` +
        `"Callback Requested" gives CALLBACK_REQUESTED)`,
    );
  }
  const categoryDefault = values["category-default"];
  if (categoryDefault !== undefined && categoryDefault.trim() === "") {
    throw new UsageError("--category-default is empty; give a disposition category, e.g. --category-default support");
  }
  const format = oneOf("format", values.format, EXPORT_FORMATS, "table");
  return {
    stack: values.stack,
    queues: [...new Set(queues)],
    ...(categoryDefault === undefined ? {} : { categoryDefault }),
    ...(codeFrom === undefined ? {} : { codeFrom: codeFrom as CodeRule }),
    format,
  };
}
