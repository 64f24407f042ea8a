#!/usr/bin/env bash
# Makes the real Pulumi CLI, the nodejs language host and the dynamic-provider plugin available in .tools/bin.
#
# - A `pulumi` already on PATH (a user's machine) is used as it is: nothing is built.
# - Otherwise the CLI and the language host are built with Go from the pinned tools modules under tools/
#   (fetched through the Go module proxy; see docs/pulumi-cli.md for why), once, and reused afterwards.
# Prints the directory to put on PATH. Safe to run concurrently with itself (flock).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/.tools/bin"
pulumi_version="v3.248.0"
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
if [ -n "$existing" ] && [ "$existing" != "$bin/pulumi" ] && [ "${GENESYS_BUILD_PULUMI:-}" != "1" ]; then
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
  build pulumi-cli github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "$bin/pulumi" \
    "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$pulumi_version"
fi
if ! [ -x "$bin/pulumi-language-nodejs" ]; then
  build pulumi-language-nodejs github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs "$bin/pulumi-language-nodejs"
fi
[ -x "$plugin" ] || write_plugin
echo "$bin"
