/* global setInterval */
// Loaded into every node process of a benchmarked `pulumi` run through NODE_OPTIONS="--require <this file>": writes
// the process's CPU time (user + system, ms) to $BENCH_CPU_DIR/<pid>.json every half second and at exit, so the
// overhead scenario can tell the Pulumi program's CPU from the dynamic-provider host's. Never prints anything (the
// language host reads some node processes' stdout).
"use strict";
const fs = require("fs");
const path = require("path");

const dir = process.env.BENCH_CPU_DIR;
if (dir) {
  const file = path.join(dir, `${process.pid}.json`);
  const script = process.argv[1] || "";
  const role = script.includes("cmd/run") ? "program" : script.includes("cmd/dynamic-provider") ? "provider" : "other";
  const write = () => {
    const usage = process.cpuUsage();
    try {
      fs.writeFileSync(file, JSON.stringify({ role, cpuMs: (usage.user + usage.system) / 1000 }));
    } catch {
      // the directory is gone: the run is over
    }
  };
  setInterval(write, 500).unref();
  process.on("exit", write);
}
