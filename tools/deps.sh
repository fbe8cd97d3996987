#!/bin/sh
# Install the Debian packages ctip needs, if any are missing: `deps.sh run`
# for building and running, `deps.sh test` for the tests too (chromium,
# clang-format, node packages). As root it runs apt-get; otherwise it prints
# the line to run and fails.
set -eu
pkgs="build-essential pkg-config meson ninja-build libsqlite3-dev sqlite3
libmicrohttpd-dev libjansson-dev libsodium-dev libutf8proc-dev
libxlsxwriter-dev"
if [ "${1:-run}" = test ]; then
	pkgs="$pkgs libcmocka-dev zlib1g-dev clang-format curl chromium fonts-noto-core"
	# node >= 18 and npm may come from the machine image; else Debian's.
	if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1 ||
		[ "$(node -p 'process.versions.node.split(".")[0]')" -lt 18 ]; then
		pkgs="$pkgs nodejs npm"
	fi
fi
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "ctip: missing packages; as root, run:" >&2
		echo "  apt-get update && apt-get install -y$missing" >&2
		exit 1
	fi
	echo "ctip: installing$missing"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi
# playwright-core (pinned in package-lock.json) drives Debian's chromium.
if [ "${1:-run}" = test ] && [ ! -d node_modules/playwright-core ]; then
	npm ci --no-audit --no-fund --silent
fi
exit 0
