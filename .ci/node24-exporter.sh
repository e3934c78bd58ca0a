#!/usr/bin/env bash
# Runs @duckside/otel-exporter's tests under Node 24 LTS against the OpenTelemetry SDK 3.x line.
#
# Node 24 and the 3.x packages are installed from the npm registry into a cache folder outside the repository
# (npm --prefix), never into the workspace: the lockfile and node_modules stay as they are. The package's
# vitest config aliases @opentelemetry/{api,core,resources,sdk-metrics} to that folder when
# DUCKSIDE_OTEL_MODULES is set; the test `sdk-line.test.ts` checks that the 3.x line was really loaded.
#
# Needs: npm, and the workspace installed (`pnpm install`). Env: DUCKSIDE_NODE24_CACHE to move the cache.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${DUCKSIDE_NODE24_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/duckside/node24-exporter}"
PACKAGES=(
  node@24
  @opentelemetry/api@1.10.0
  @opentelemetry/core@3.1.1
  @opentelemetry/resources@3.1.1
  @opentelemetry/sdk-metrics@3.1.1
)
STAMP="$CACHE/.installed"
NODE24="$CACHE/node_modules/.bin/node"

if [[ ! -x "$NODE24" || ! -f "$STAMP" || "$(cat "$STAMP")" != "${PACKAGES[*]}" ]]; then
  echo "node24-exporter: installing ${PACKAGES[*]} into $CACHE"
  rm -rf "$CACHE"
  mkdir -p "$CACHE"
  npm install --prefix "$CACHE" --no-audit --no-fund --loglevel=error "${PACKAGES[@]}"
  echo "${PACKAGES[*]}" > "$STAMP"
fi

NODE_VERSION="$("$NODE24" --version)"
SDK_VERSION="$("$NODE24" -p "require('$CACHE/node_modules/@opentelemetry/sdk-metrics/package.json').version")"
if [[ "$NODE_VERSION" != v24.* || "$SDK_VERSION" != 3.* ]]; then
  echo "node24-exporter: expected Node 24 and sdk-metrics 3.x, got $NODE_VERSION and $SDK_VERSION" >&2
  exit 1
fi
echo "node24-exporter: Node $NODE_VERSION, @opentelemetry/sdk-metrics $SDK_VERSION"

cd "$ROOT/packages/otel-exporter"
DUCKSIDE_OTEL_MODULES="$CACHE/node_modules" DUCKSIDE_OTEL_SDK_MAJOR=3 \
  "$NODE24" "$ROOT/node_modules/vitest/vitest.mjs" run
