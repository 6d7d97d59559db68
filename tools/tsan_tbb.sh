#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds oneTBB from Debian's own source package with -fsanitize=thread and installs it into
# PREFIX, for the tsan preset. Debian's libtbb.so is not instrumented, so ThreadSanitizer
# cannot see how TBB hands tasks between threads and reports races that are not there; an
# instrumented build of the same version lets it check Commons' parallel code for real.
# Uses a private apt source list (deb-src of the system's mirror); the system's apt
# configuration is not changed. Usage: tools/tsan_tbb.sh PREFIX (made if missing)
set -euo pipefail

mkdir -p "$(dirname "$1")"
prefix=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
if [ -f "$prefix/lib/cmake/TBB/TBBConfig.cmake" ]; then
  echo "tsan_tbb: instrumented oneTBB already in $prefix"
  exit 0
fi

version=$(dpkg-query -W -f='${source:Version}' libtbb-dev)
mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
[ -n "$mirror" ] || mirror=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/parts" "$work/lists/partial"
: >"$work/empty.list"
cat >"$work/parts/source.sources" <<SOURCES
Types: deb-src
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
apt_private=(-o "Dir::Etc::sourcelist=$work/empty.list" -o "Dir::Etc::sourceparts=$work/parts" -o APT::Sandbox::User=root
             -o "Dir::State::lists=$work/lists")
echo "tsan_tbb: fetching Debian's onetbb $version source"
apt-get -qq "${apt_private[@]}" update
(cd "$work" && apt-get -qq "${apt_private[@]}" source --download-only "onetbb=$version" 2>/dev/null)
tar -xf "$work"/onetbb_*.orig.tar.* -C "$work"

launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache); fi
echo "tsan_tbb: building it with -fsanitize=thread"
cmake -S "$work"/oneTBB-* -B "$work/build" -G Ninja "${launcher[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTBB_SANITIZE=thread -DTBB_TEST=OFF -DTBB_EXAMPLES=OFF -DTBBMALLOC_BUILD=OFF -DTBB_STRICT=OFF \
  -DCMAKE_INSTALL_PREFIX="$prefix" >"$work/configure.log"
cmake --build "$work/build" -j "$(nproc)" >"$work/build.log"
# Installed beside PREFIX and renamed into place: an interrupted build never leaves a PREFIX
# that looks complete.
rm -rf "$prefix.partial" "$prefix"
cmake --install "$work/build" --prefix "$prefix.partial" >/dev/null
mv "$prefix.partial" "$prefix"
echo "tsan_tbb: installed in $prefix"
