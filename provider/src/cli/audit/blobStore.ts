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
  if (scheme === "s3") return new S3Store(url, cwd);
  throw new CommandError(
    `the Pulumi CLI cannot export past versions of a stack on a ${scheme}:// backend (\`pulumi stack export --version\` ` +
      "works on Pulumi Cloud only), and this command reads the history objects of file://, s3:// and postgres:// " +
      "backends only. Copy the backend to a directory (e.g. `gsutil -m rsync -r " +
      `${url.split("?")[0]} ./state\`) and run again with PULUMI_BACKEND_URL=file://$PWD/state.`,
  );
}

/** On every DIY backend but `file://`, the URL's path is a prefix of every key (Pulumi's `blob.PrefixedBucket`). */
function keyPrefix(url: URL): string {
  const subDir = decodeURIComponent(url.pathname).replace(/^\/+/, "");
  return subDir === "" || subDir.endsWith("/") ? subDir : `${subDir}/`;
}

/** Loads an optional package from the project's node_modules, else from beside this package. */
function loadOptional<T>(name: string, cwd: string, why: string): T {
  for (const from of [path.join(cwd, "package.json"), __filename]) {
    try {
      return createRequire(from)(name) as T;
    } catch {
      // next place
    }
  }
  throw new CommandError(`${why} needs the \`${name}\` package: run \`npm install ${name}\` in the project.`);
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
    this.prefix = keyPrefix(parsed);
    parsed.searchParams.delete("table");
    this.connectionString = parsed.toString();
  }

  private connect(): Promise<PgClient> {
    this.client ??= (async () => {
      const pg = loadOptional<PgModule>("pg", this.cwd, "reading the history of a postgres:// backend");
      const client = new pg.Client({ connectionString: this.connectionString });
      // Set after construction: `pg` lets a connection string's empty password override one given beside it.
      const password = this.passwordFromPgpass();
      if (password) client.password = password;
      try {
        await client.connect();
      } catch (e) {
        throw new CommandError(`could not connect to the PostgreSQL backend: ${(e as Error).message}`);
      }
      return client;
    })();
    return this.client;
  }

  /**
   * A password the URL and PGPASSWORD do not give is looked up in the pgpass file (PGPASSFILE or ~/.pgpass), as
   * Pulumi's own backend (lib/pq) does. `pg` 8 still does this by itself but warns on stderr that it will stop in
   * `pg` 9; asking the `pgpass` module `pg` ships with ourselves keeps the lookup and the output clean.
   */
  private passwordFromPgpass(): PgPassword | undefined {
    if (new URL(this.connectionString).password || process.env.PGPASSWORD !== undefined) return undefined;
    let lookup: ((params: Record<string, unknown>, cb: (password?: string) => void) => void) | undefined;
    try {
      const pgPath = createRequire(path.join(this.cwd, "package.json")).resolve("pg");
      lookup = createRequire(pgPath)("pgpass");
    } catch {
      try {
        lookup = createRequire(createRequire(__filename).resolve("pg"))("pgpass");
      } catch {
        return undefined;
      }
    }
    const found = lookup;
    return (params) => new Promise((resolve) => found!(params, resolve));
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

type PgPassword = (params: Record<string, unknown>) => Promise<string | undefined>;
type PgModule = { Client: new (options: { connectionString: string }) => PgClient & { password?: unknown } };

/** The part of `@aws-sdk/client-s3` this store uses. */
interface S3Module {
  S3Client: new (config: Record<string, unknown>) => { send(command: unknown): Promise<S3Answer>; destroy(): void };
  ListObjectsV2Command: new (input: Record<string, unknown>) => unknown;
  GetObjectCommand: new (input: Record<string, unknown>) => unknown;
}
interface S3Answer {
  Contents?: { Key?: string }[];
  NextContinuationToken?: string;
  IsTruncated?: boolean;
  Body?: { transformToByteArray(): Promise<Uint8Array> };
}

/** URL parameters of Pulumi's s3:// backends that this store understands (gocloud's s3blob names, and the legacy ones). */
const S3_PARAMS = new Set([
  "region",
  "endpoint",
  "profile",
  "use_path_style",
  "s3ForcePathStyle",
  "disable_https",
  "disableSSL",
  "awssdk",
]);

/**
 * An S3 or S3-compatible bucket (`s3://bucket/dir?region=…&endpoint=…&use_path_style=true`), read with
 * `@aws-sdk/client-s3`, from the project's node_modules or beside this package (optional, like `pg`). Credentials come
 * from the AWS SDK's usual chain (environment, shared config and `profile`, SSO, instance roles), as for the Pulumi CLI.
 */
class S3Store implements BlobStore {
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly config: Record<string, unknown> = {};
  private client: ReturnType<S3Store["connect"]> | undefined;

  constructor(
    url: string,
    private readonly cwd: string,
  ) {
    const parsed = new URL(url);
    this.bucket = decodeURIComponent(parsed.host);
    this.prefix = keyPrefix(parsed);
    const q = parsed.searchParams;
    for (const key of q.keys()) {
      if (!S3_PARAMS.has(key)) {
        throw new CommandError(
          `the backend URL's parameter "${key}" is not supported by this command: copy the bucket to a directory ` +
            `(\`aws s3 sync s3://${this.bucket}/${this.prefix} ./state\`) and run again with PULUMI_BACKEND_URL=file://$PWD/state.`,
        );
      }
    }
    const insecure = ["disable_https", "disableSSL"].some((k) => q.get(k) === "true");
    if (q.get("region")) this.config.region = q.get("region");
    const endpoint = q.get("endpoint");
    if (endpoint)
      this.config.endpoint = endpoint.includes("://") ? endpoint : `${insecure ? "http" : "https"}://${endpoint}`;
    if (q.get("use_path_style") === "true" || q.get("s3ForcePathStyle") === "true") this.config.forcePathStyle = true;
    if (q.get("profile")) this.config.profile = q.get("profile");
  }

  private connect() {
    const s3 = loadOptional<S3Module>("@aws-sdk/client-s3", this.cwd, "reading the history of an s3:// backend");
    return { s3, client: new s3.S3Client(this.config) };
  }

  private async send(command: (s3: S3Module) => unknown): Promise<S3Answer> {
    this.client ??= this.connect();
    const { s3, client } = this.client;
    try {
      return await client.send(command(s3));
    } catch (e) {
      const name = (e as { name?: string }).name;
      if (name === "NoSuchKey" || name === "NotFound") return {};
      throw new CommandError(`could not read the s3://${this.bucket} backend: ${(e as Error).message}`);
    }
  }

  async list(dir: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.send(
        (s3) =>
          new s3.ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.prefix + dir,
            Delimiter: "/",
            ...(token ? { ContinuationToken: token } : {}),
          }),
      );
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key.slice(this.prefix.length));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  async read(key: string): Promise<Buffer | null> {
    const answer = await this.send((s3) => new s3.GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
    return answer.Body ? Buffer.from(await answer.Body.transformToByteArray()) : null;
  }

  async close(): Promise<void> {
    this.client?.client.destroy();
  }
}
