import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { CommandError } from "../command";
import { BlobStore, openBlobStore } from "./blobStore";
import { Update } from "./history";
import { PulumiCli, cliFailure } from "./pulumiCli";

/** The deployment a stack recorded at the end of each update of its history. */
export interface CheckpointSource {
  /** Where the checkpoints come from, for messages. */
  readonly description: string;
  /** The text of the deployment recorded when `updates[index]` ended (JSON). */
  read(index: number): Promise<string>;
  close(): Promise<void>;
}

const NO_VERSIONS = /does not provide the ability to export previous deployments/;

/**
 * Pulumi Cloud exports any past version (`pulumi stack export --version N`). The other backends (file, S3, Azure,
 * GCS, PostgreSQL: Pulumi's "DIY" family) number no update and export no past version through the CLI (3.248, and
 * still 3.276); they keep a copy of the checkpoint beside each history entry, under
 * `.pulumi/history/<project>/<stack>/<stack>-<unix ns>.checkpoint.json`, which this reads from the backend's storage.
 */
export async function openCheckpoints(
  cli: PulumiCli,
  stack: string,
  updates: readonly Update[],
  numberedByBackend: boolean,
  cwd: string,
  firstIndex: number,
): Promise<CheckpointSource> {
  if (numberedByBackend) {
    // The first state the caller needs tells whether the CLI exports past versions here; it is kept for that read.
    const args = ["stack", "export", "--stack", stack, "--version", String(updates[firstIndex].version)];
    const first = await cli.run(args);
    if (first.code === 0) return new CliExports(cli, stack, updates, firstIndex, first.stdout);
    if (!NO_VERSIONS.test(first.stderr)) throw cliFailure(args, first);
  }
  return DiyHistory.open(cli, stack, updates, cwd);
}

/** `pulumi stack export --version N`, one version at a time. */
class CliExports implements CheckpointSource {
  readonly description = "pulumi stack export --version";
  private first: string | undefined;

  constructor(
    private readonly cli: PulumiCli,
    private readonly stack: string,
    private readonly updates: readonly Update[],
    private readonly firstIndex: number,
    first: string,
  ) {
    this.first = first;
  }

  async read(index: number): Promise<string> {
    if (index === this.firstIndex && this.first !== undefined) {
      const text = this.first;
      this.first = undefined;
      return text;
    }
    const version = String(this.updates[index].version);
    return this.cli.mustRun(["stack", "export", "--stack", this.stack, "--version", version]);
  }

  async close(): Promise<void> {}
}

/** The history objects of a DIY backend: `<prefix>.history.json` and, beside it, `<prefix>.checkpoint.json`. */
class DiyHistory implements CheckpointSource {
  private constructor(
    readonly description: string,
    private readonly store: BlobStore,
    private readonly updates: readonly Update[],
    private readonly historyKeys: readonly string[],
  ) {}

  static async open(cli: PulumiCli, stack: string, updates: readonly Update[], cwd: string): Promise<DiyHistory> {
    const whoami = (await cli.json(["whoami", "--json"])) as { url?: unknown };
    const url = typeof whoami.url === "string" ? whoami.url : "";
    const store = openBlobStore(url, cwd);
    try {
      const dir = await historyDir(store, stack, cwd);
      const keys = (await store.list(dir)).filter((k) => /\.history\.json(\.gz|\.zst)?$/.test(k));
      // Keys sort by time. More than the CLI listed: updates that ended since, which come last. Fewer: something
      // removed history; each read also checks the entry's start time against the CLI's.
      if (keys.length < updates.length) {
        throw new CommandError(
          `\`pulumi stack history\` lists ${updates.length} updates but the backend holds ${keys.length} history ` +
            `entries under ${dir}: was the history edited while this ran? Run again.`,
        );
      }
      return new DiyHistory(`the history objects under ${dir}`, store, updates, keys.slice(0, updates.length));
    } catch (e) {
      await store.close();
      throw e;
    }
  }

  async read(index: number): Promise<string> {
    const historyKey = this.historyKeys[index];
    const entry = JSON.parse(await this.mustRead(historyKey)) as { startTime?: unknown };
    const recorded = typeof entry.startTime === "number" ? new Date(entry.startTime * 1000).toISOString() : null;
    if (recorded !== this.updates[index].startTime) {
      throw new CommandError(
        `the history entry ${historyKey} (started ${recorded}) is not update ${this.updates[index].version} of ` +
          `\`pulumi stack history\` (started ${this.updates[index].startTime}): was the history edited? Run again.`,
      );
    }
    return this.mustRead(historyKey.replace(/\.history\.json/, ".checkpoint.json"));
  }

  private async mustRead(key: string): Promise<string> {
    const bytes = await this.store.read(key);
    if (bytes === null) throw new CommandError(`the backend has no object ${key}: the stack's history is incomplete.`);
    return decompress(key, bytes).toString("utf8");
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

/** Where the stack's history is: project-scoped backends (meta.yaml `version: 1`) keep it per project. */
async function historyDir(store: BlobStore, stack: string, cwd: string): Promise<string> {
  const parts = stack.split("/");
  const name = parts[parts.length - 1];
  const meta = (await store.read(".pulumi/meta.yaml"))?.toString("utf8") ?? "";
  const projectScoped = /^version:\s*[1-9]/m.test(meta);
  if (!projectScoped) return `.pulumi/history/${name}/`;
  const project = parts.length >= 2 ? parts[parts.length - 2] : projectName(cwd);
  return `.pulumi/history/${project}/${name}/`;
}

/** The `name` of the Pulumi project in `cwd` (Pulumi.yaml), which a DIY backend files the stack's history under. */
function projectName(cwd: string): string {
  for (const file of ["Pulumi.yaml", "Pulumi.yml"]) {
    let text: string;
    try {
      text = fs.readFileSync(path.join(cwd, file), "utf8");
    } catch {
      continue;
    }
    const match = /^name:[ \t]*["']?([^"'#\s]+)/m.exec(text);
    if (match) return match[1];
  }
  throw new CommandError(
    "no Pulumi project here (Pulumi.yaml): run in the project's directory, or name the stack as organization/<project>/<stack>.",
  );
}

function decompress(key: string, bytes: Buffer): Buffer {
  if (key.endsWith(".gz")) return zlib.gunzipSync(bytes);
  if (key.endsWith(".zst")) {
    const zstd = (zlib as unknown as { zstdDecompressSync?: (b: Buffer) => Buffer }).zstdDecompressSync;
    if (!zstd) throw new CommandError(`${key} is zstd-compressed, which needs Node.js 22.15 or later to read.`);
    return zstd(bytes);
  }
  return bytes;
}
