/** The root stack's files as the export finds them: the project, the stack's settings file, the catalogue. */
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { isRecord } from "../../util";
import { CommandError } from "../command";

/** The root stack's default catalogue (index.ts says the same). */
export const DEFAULT_CATALOGUE = "catalogue/wrapup-codes.yaml";

/** Where the root stack is. */
export interface RootProject {
  readonly dir: string;
  /** The project's name: the namespace of the root stack's own keys (`wrapup-codes:queues`). */
  readonly name: string;
  /** The stack's settings file, `Pulumi.<stack>.yaml` (in the project's `stackConfigDir`, if it sets one). */
  readonly stackFile: string;
  /**
   * Keys the project's `config:` declares without a default, each with a value of its type: Pulumi refuses to read a
   * stack's configuration while one is missing, which is the case of `wrapup-codes:queues` before the first export.
   */
  readonly required: Readonly<Record<string, unknown>>;
}

const PLACEHOLDERS: Record<string, unknown> = { object: {}, array: [], string: "", boolean: false, integer: 0 };

/** Finds the project in `cwd` (the directory the command runs in, as `pulumi` does). */
export function findProject(cwd: string, stack: string): RootProject {
  const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(cwd, f)).find((f) => fs.existsSync(f));
  if (!file) {
    throw new CommandError(
      `no Pulumi.yaml in ${cwd}: run the export in the root stack's directory (where Pulumi.yaml, index.ts and catalogue/ are)`,
    );
  }
  const project = YAML.parse(fs.readFileSync(file, "utf8")) as unknown;
  const name = isRecord(project) && typeof project.name === "string" ? project.name : undefined;
  if (!name) throw new CommandError(`${path.basename(file)} has no project name (name:)`);
  const configDir = isRecord(project) && typeof project.stackConfigDir === "string" ? project.stackConfigDir : ".";
  // `org/project/prod` (Pulumi Cloud) keeps its settings in Pulumi.prod.yaml.
  const short = stack.split("/").pop()!;
  const required: Record<string, unknown> = {};
  const declared = isRecord(project) && isRecord(project.config) ? project.config : {};
  for (const [key, spec] of Object.entries(declared)) {
    if (!isRecord(spec) || "default" in spec || typeof spec.type !== "string") continue;
    required[key.includes(":") ? key : `${name}:${key}`] = PLACEHOLDERS[spec.type] ?? "";
  }
  return { dir: cwd, name, stackFile: path.join(cwd, configDir, `Pulumi.${short}.yaml`), required };
}

/** A file's text, or undefined when there is none. */
export function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new CommandError(`cannot read ${file}: ${(e as Error).message}`);
  }
}

/**
 * Writes `text` to `file` whole or not at all (a temporary file beside it, then a rename), keeping the old file's
 * mode. Returns whether the content changed.
 */
export function writeWhole(file: string, text: string): boolean {
  const before = readIfExists(file);
  if (before === text) return false;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const mode = before === undefined ? 0o644 : fs.statSync(file).mode & 0o777;
  fs.writeFileSync(tmp, text, { mode });
  fs.renameSync(tmp, file);
  return true;
}

/** `file` relative to `dir` for messages (as the user would type it there). */
export function shown(dir: string, file: string): string {
  const rel = path.relative(dir, file);
  return rel.startsWith("..") ? file : rel;
}
