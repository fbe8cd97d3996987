#!/bin/sh
# Install the Debian packages ctip needs to build, test and run, if any are
# missing. As root it runs apt-get; otherwise it prints the line to run.
set -eu
pkgs="build-essential pkg-config meson ninja-build clang-format
libsqlite3-dev sqlite3 libmicrohttpd-dev libjansson-dev libsodium-dev
libutf8proc-dev libxlsxwriter-dev libcmocka-dev curl nodejs npm chromium
fonts-noto-core"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
# node and npm may come from elsewhere than Debian (e.g. a preinstalled
# toolchain): accept any node >= 18 on the PATH.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 &&
	[ "$(node -p 'process.versions.node.split(".")[0]')" -ge 18 ]; then
	missing=$(echo "$missing" | tr ' ' '\n' | grep -v -x -e nodejs -e npm | tr '\n' ' ')
fi
missing=$(echo "$missing" | xargs)
if [ -n "$missing" ]; then
	if [ "$(id -u)" -eq 0 ]; then
		echo "ctip: installing $missing"
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
	else
		echo "ctip: missing packages; run as root:" >&2
		echo "  apt-get update && apt-get install -y $missing" >&2
		exit 1
	fi
fi
# playwright-core drives Debian's chromium in the browser tests.
if [ ! -d node_modules/playwright-core ]; then
	npm ci --no-audit --no-fund --silent
fi
