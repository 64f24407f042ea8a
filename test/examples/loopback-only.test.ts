import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { LOOPBACK_ONLY } from "./project";

// The network guard the example tests rely on to prove "no API request": it must see and refuse a request to a
// real Genesys region (made the way the provider's client makes it, through got) and let loopback through.
const SCRIPT = `
const got = require("got").default;
(async () => {
  const local = await got(process.env.LOCAL_URL).text();
  let remote;
  try {
    await got.post("https://login.mypurecloud.de/oauth/token", { retry: { limit: 0 } });
    remote = "reached";
  } catch (err) {
    remote = err.code;
  }
  console.log(JSON.stringify({ local, remote }));
})();
`;

describe("loopback-only.js", () => {
  it("refuses and records a request to a real region, and lets loopback through", async () => {
    const server = http.createServer((_req, res) => res.end("local ok"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "genesys-guard-"));
    const log = path.join(dir, "network.jsonl");
    try {
      const stdout = await new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          ["--input-type=commonjs", "-e", SCRIPT],
          {
            cwd: path.resolve(__dirname, "../.."),
            env: {
              ...process.env,
              NODE_OPTIONS: `--require ${LOOPBACK_ONLY}`,
              GENESYS_NETWORK_LOG: log,
              LOCAL_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
            },
          },
          (err, out, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(out)),
        ),
      );
      expect(JSON.parse(stdout)).toEqual({ local: "local ok", remote: "ENETUNREACH" });
      const events = fs
        .readFileSync(log, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(events.map((e) => [e.event, e.host, e.port])).toEqual([
        ["loaded", undefined, undefined],
        ["refused", "login.mypurecloud.de", 443],
      ]);
    } finally {
      server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
