#!/usr/bin/env bash
# Makes sure the system tools the test suite uses are present: PostgreSQL 15 server binaries (initdb, pg_ctl),
# Debian's chromium (dashboard browser tests), Debian's prometheus 2.42 with promtool (PromQL conformance) and openssl
# (the TLS test makes a self-signed certificate). Installs them with apt-get when missing and allowed (root);
# otherwise prints what to install and fails.
set -euo pipefail

pg_bin_dir() {
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return 0; fi
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
  done
  return 1
}

missing=()
pg_bin_dir >/dev/null || missing+=(postgresql)
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
{ command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; } || missing+=(prometheus)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing missing test dependencies: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # The package may start a system Prometheus; the tests run their own instances on free ports.
    if [[ " ${missing[*]} " == *" prometheus "* ]]; then
      if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
        systemctl disable --now prometheus >/dev/null 2>&1 || true
      elif command -v service >/dev/null 2>&1; then
        service prometheus stop >/dev/null 2>&1 || true
      fi
    fi
  else
    echo "missing test dependencies: ${missing[*]} (install them with: sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi
echo "test dependencies: postgresql at $(pg_bin_dir), chromium at $(command -v chromium || echo /usr/bin/chromium)," \
  "prometheus at $(command -v prometheus)"
