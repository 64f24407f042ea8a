#!/usr/bin/env node
// The package's `genesys-wrapup` command (src/cli/main.ts). This file is checked in, not built, so that npm links the
// command even where it installs before the package is compiled (npm ci in this repository runs before tsc).
require("../dist/cli/main.js").cli();
