import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { CommandError } from "../command";

/**
 * Read access to the objects of a DIY backend (the `file://`, `s3://`, `postgres://`… family): the same keys on every
 * one of them (`.pulumi/meta.yaml`, `.pulumi/stacks/…`, `.pulumi/history/…`), only the storage differs.
 */
export interface BlobStore {
  /** The keys directly under `dir` (a key prefix ending in `/`), sorted. */
  list(dir: string): Promise<string[]>;
  /** The object's bytes; null when there is none. */
  read(key: string): Promise<Buffer | null>;
  close(): Promise<void>;
}

/** The store behind a DIY backend URL, as `pulumi whoami --json` prints it. */
export function openBlobStore(url: string, cwd: string): BlobStore {
  const scheme = url.slice(0, url.indexOf(":"));
  if (scheme === "file") return new FileStore(filePath(url, cwd));
  if (scheme === "postgres" || scheme === "postgresql") return new PostgresStore(url, cwd);
  throw new CommandError(
    `the Pulumi CLI cannot export past versions of a stack on a ${scheme}:// backend (\`pulumi stack export --version\` ` +
      "works on Pulumi Cloud only), and this command reads the history objects of file:// and postgres:// backends " +
      `only. Copy the backend to a directory (for S3: \`aws s3 sync ${url.split("?")[0]} ./state\`) and run again with ` +
      "PULUMI_BACKEND_URL=file://$PWD/state.",
  );
}

/** The directory of a `file://` backend URL, resolved as Pulumi resolves it (`~`, relative paths). */
export function filePath(url: string, cwd: string): string {
  let p = decodeURIComponent(url.slice("file://".length).split("?")[0]);
  if (p === "~" || p.startsWith("~/")) p = path.join(os.homedir(), p.slice(1));
  return path.resolve(cwd, p);
}

class FileStore implements BlobStore {
  constructor(private readonly root: string) {}

  async list(dir: string): Promise<string[]> {
    try {
      const names = await fs.promises.readdir(path.join(this.root, dir), { withFileTypes: true });
      // gocloud's file driver keeps each object's metadata beside it in `<key>.attrs`.
      return names
        .filter((e) => e.isFile() && !e.name.endsWith(".attrs"))
        .map((e) => dir + e.name)
        .sort();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw e;
    }
  }

  async read(key: string): Promise<Buffer | null> {
    try {
      return await fs.promises.readFile(path.join(this.root, key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw e;
    }
  }

  async close(): Promise<void> {}
}

/** The part of the `pg` package's client this store uses. */
interface PgClient {
  connect(): Promise<void>;
  query(text: string, values: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  end(): Promise<void>;
}

/**
 * Pulumi's PostgreSQL backend: one table (`pulumi_state`, or the URL's `table` parameter) of
 * `(key text, data json {"data": <base64 of the object>})`. As on every DIY backend but `file://`, the URL's path is a
 * prefix of every key: `postgres://host/db` keeps `.pulumi/meta.yaml` under `db/.pulumi/meta.yaml`. Read with the `pg`
 * package, from the project's node_modules or beside this package: it is not a dependency of the library, since only
 * this backend needs it.
 */
class PostgresStore implements BlobStore {
  private readonly table: string;
  private readonly connectionString: string;
  private readonly prefix: string;
  private client: Promise<PgClient> | undefined;

  constructor(
    url: string,
    private readonly cwd: string,
  ) {
    const parsed = new URL(url);
    this.table = parsed.searchParams.get("table") || "pulumi_state";
    if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(this.table)) {
      throw new CommandError(`the backend URL's table name ${JSON.stringify(this.table)} is not a plain SQL name`);
    }
    const subDir = decodeURIComponent(parsed.pathname).replace(/^\/+/, "");
    this.prefix = subDir === "" || subDir.endsWith("/") ? subDir : `${subDir}/`;
    parsed.searchParams.delete("table");
    this.connectionString = parsed.toString();
  }

  private connect(): Promise<PgClient> {
    this.client ??= (async () => {
      const pg = loadPg(this.cwd);
      const client = new pg.Client({ connectionString: this.connectionString });
      try {
        await client.connect();
      } catch (e) {
        throw new CommandError(`could not connect to the PostgreSQL backend: ${(e as Error).message}`);
      }
      return client;
    })();
    return this.client;
  }

  async list(dir: string): Promise<string[]> {
    const client = await this.connect();
    const full = this.prefix + dir;
    const like = full.replace(/[\\%_]/g, (c) => `\\${c}`) + "%";
    const { rows } = await client.query(`SELECT key FROM ${this.table} WHERE key LIKE $1 ORDER BY key`, [like]);
    return rows
      .map((r) => String(r.key).slice(this.prefix.length))
      .filter((k) => k.startsWith(dir) && !k.slice(dir.length).includes("/"));
  }

  async read(key: string): Promise<Buffer | null> {
    const client = await this.connect();
    const { rows } = await client.query(`SELECT data FROM ${this.table} WHERE key = $1`, [this.prefix + key]);
    if (rows.length === 0) return null;
    const data = typeof rows[0].data === "string" ? JSON.parse(rows[0].data) : rows[0].data;
    return Buffer.from(String((data as { data?: unknown }).data ?? ""), "base64");
  }

  async close(): Promise<void> {
    if (this.client) await (await this.client.catch(() => undefined))?.end();
  }
}

function loadPg(cwd: string): { Client: new (options: { connectionString: string }) => PgClient } {
  for (const from of [path.join(cwd, "package.json"), __filename]) {
    try {
      return createRequire(from)("pg");
    } catch {
      // next place
    }
  }
  throw new CommandError(
    "reading the history of a postgres:// backend needs the `pg` package: run `npm install pg` in the project.",
  );
}
