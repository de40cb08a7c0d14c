#!/usr/bin/env bash
# One idempotent set-up: installs the Debian packages cyberdrill needs (only when one is missing,
# so a warm machine starts in seconds), then configures and builds with Ninja in Release mode.
#
#   scripts/setup.sh                 install what is missing, configure, build everything
#   BUILD_DIR=out scripts/setup.sh   build elsewhere (default: ./build)
#   NO_INSTALL=1 scripts/setup.sh    never call apt-get (fail with the list of missing packages)
#   WITH_MPI=0 scripts/setup.sh      build without MPI (default: with it when Open MPI is installed)
#
# With CI=true, warnings are errors. Progress goes to stderr.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"

# The package line of ../shared/TOOLCHAIN.md, plus python3-jsonschema for the schema tests.
PACKAGES=(build-essential cmake ninja-build pkg-config
  libboost-graph-dev libboost-mpi-dev openmpi-bin libopenmpi-dev
  libsfml-dev libpng-dev nlohmann-json3-dev libspdlog-dev doctest-dev libcli11-dev libhowardhinnant-date-dev tzdata
  xvfb xauth libgl1-mesa-dri fonts-dejavu-core ffmpeg libimgui-dev
  clang libclang-rt-14-dev python3 python3-jsonschema time
  help2man)  # help2man: the man page, generated from --help at build time

say() { printf '[setup] %s\n' "$*" >&2; }

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ "${NO_INSTALL:-0}" == 1 ]]; then
    say "missing Debian packages: ${missing[*]}"
    exit 1
  fi
  SUDO=()
  if [[ $EUID -ne 0 ]]; then
    command -v sudo >/dev/null || { say "need root (or sudo) to install: ${missing[*]}"; exit 1; }
    SUDO=(sudo)
  fi
  say "installing ${#missing[@]} missing package(s): ${missing[*]}"
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends \
    -o DPkg::Lock::Timeout=600 "${missing[@]}" >&2
else
  say "all ${#PACKAGES[@]} packages present"
fi

# CI turns warnings into errors; otherwise the build keeps whatever its cache says (so running the
# tests and then the flagship in one clone does not rebuild everything for a flag change).
CONFIG=(-DCMAKE_BUILD_TYPE=Release)
[[ "${CI:-}" == true ]] && CONFIG+=(-DCYBERDRILL_WERROR=ON)
# MPI: with Open MPI (openmpi-bin, libopenmpi-dev; in the package list above) batch --mpi is built
# in, and the tests run the 2-rank study with mpirun. WITH_MPI=0 builds without it.
if [[ "${WITH_MPI:-1}" == 1 ]] && command -v mpirun >/dev/null &&
   dpkg-query -W -f='${Status}' libopenmpi-dev 2>/dev/null | grep -q "install ok installed"; then
  CONFIG+=(-DCYBERDRILL_WITH_MPI=ON)
else
  CONFIG+=(-DCYBERDRILL_WITH_MPI=OFF)
fi
if [[ ! -f "$BUILD_DIR/build.ninja" ]]; then
  say "configuring $BUILD_DIR (Ninja, Release)"
fi
cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja "${CONFIG[@]}" >/dev/null
say "building (this takes a few minutes on a fresh clone)"
cmake --build "$BUILD_DIR" -- -j"$(nproc)" >&2
say "built $BUILD_DIR/cyberdrill"
