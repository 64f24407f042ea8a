#!/usr/bin/env bash
# Makes the real Pulumi CLI, the nodejs language host and the dynamic-provider plugin available in .tools/bin.
#
# - A `pulumi` already on PATH (a user's machine) is used as it is: nothing is built.
# - Otherwise the CLI and the language host are built with Go from the pinned tools modules under tools/
#   (fetched through the Go module proxy; see docs/pulumi-cli.md for why), once, and reused afterwards.
# - With --newest: the newest CLI the Go module proxy serves (tools/pulumi-cli-newest), built into .tools/newest/bin
#   whatever is on PATH, for the test suite's second pass (docs/pulumi-cli.md, "Supported CLI versions").
# Prints the directory to put on PATH. Safe to run concurrently with itself (flock).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/.tools/bin"
pulumi_version="v3.248.0"
cli_module="pulumi-cli"
newest=""
if [ "${1:-}" = "--newest" ]; then
  newest=1
  bin="$root/.tools/newest/bin"
  cli_module="pulumi-cli-newest"
  # The version the tools module requires, so the stamp can never disagree with what is built.
  pulumi_version="$(awk '$1 == "require" && $2 == "github.com/pulumi/pulumi/pkg/v3" { print $3 }' \
    "$root/tools/$cli_module/go.mod")"
fi
mkdir -p "$bin"

plugin="$bin/pulumi-resource-pulumi-nodejs"
write_plugin() {
  # Pulumi's release ships this plugin as a tiny shell script; this is our own equivalent. It runs the
  # dynamic-provider host of the @pulumi/pulumi package that the program itself resolves.
  cat >"$plugin.tmp" <<'SH'
#!/bin/sh
host="$(node -e 'process.stdout.write(require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [process.cwd()] }))')" || exit 1
exec node "$host" "$@"
SH
  chmod +x "$plugin.tmp"
  mv "$plugin.tmp" "$plugin"
}

exec 9>"$root/.tools/.lock"
flock 9

# A user's own Pulumi installation ships the language host and the plugin beside the CLI.
existing="$(command -v pulumi || true)"
if [ -z "$newest" ] && [ -n "$existing" ] && [ "$existing" != "$bin/pulumi" ] && [ "${GENESYS_BUILD_PULUMI:-}" != "1" ]; then
  dirname "$existing"
  exit 0
fi

build() { # build <module dir> <package> <output> [ldflags]
  local dir="$1" pkg="$2" out="$3" ldflags="${4:-}"
  echo "ensure-pulumi: building $(basename "$out") (first run only; a cold Go build takes several minutes)" >&2
  (cd "$root/tools/$dir" && go build -trimpath -ldflags "-s -w $ldflags" -o "$out.tmp" "$pkg")
  mv "$out.tmp" "$out"
}

if ! [ -x "$bin/pulumi" ] || [ "$("$bin/pulumi" version 2>/dev/null)" != "$pulumi_version" ]; then
  build "$cli_module" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "$bin/pulumi" \
    "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$pulumi_version"
fi
if ! [ -x "$bin/pulumi-language-nodejs" ]; then
  build pulumi-language-nodejs github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs "$bin/pulumi-language-nodejs"
fi
[ -x "$plugin" ] || write_plugin
echo "$bin"
