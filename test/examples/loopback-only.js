/**
 * Preloaded with `NODE_OPTIONS=--require <this file>` into every node process the Pulumi CLI starts for a test
 * (the program and the dynamic-provider host). It lets loopback connections through, refuses every other one
 * before a packet leaves the machine (as an unreachable network would), and records in $GENESYS_NETWORK_LOG:
 *   {"event":"loaded"}                          once per process, so a test can tell the guard really ran there;
 *   {"event":"refused","host":…,"port":…}       for every connection attempt to a non-loopback host.
 * Tests use it to prove that a command (e.g. `pulumi preview` of a stack in a real region) made no API request.
 */
"use strict";
const fs = require("node:fs");
const net = require("node:net");

const logFile = process.env.GENESYS_NETWORK_LOG;

function record(entry) {
  if (!logFile) return;
  const script = process.argv[1] ?? "";
  fs.appendFileSync(logFile, JSON.stringify({ pid: process.pid, script, ...entry }) + "\n");
}

function isLoopback(host) {
  if (host === undefined || host === null || host === "") return true; // net's default host is localhost
  const h = String(host)
    .toLowerCase()
    .replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === "::ffff:127.0.0.1";
}

/** The host and port of a `socket.connect(...)` call in any of its forms (options, port+host, normalized array). */
function target(args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first && typeof first === "object") return { path: first.path, host: first.host, port: first.port };
  if (typeof first === "string" && !/^\d+$/.test(first)) return { path: first };
  return { host: typeof args[1] === "string" ? args[1] : undefined, port: first };
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const { path, host, port } = target(args);
  // A unix socket (a path and no host) never leaves the machine either.
  const unixSocket = typeof path === "string" && (host === undefined || host === null);
  if (unixSocket || isLoopback(host)) return connect.apply(this, args);
  record({ event: "refused", host: String(host), port: Number(port) });
  const err = new Error(`loopback-only.js: refused a connection to ${host}:${port} (tests never leave the machine)`);
  err.code = "ENETUNREACH";
  process.nextTick(() => this.destroy(err));
  return this;
};

record({ event: "loaded" });
