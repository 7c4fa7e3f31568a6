#!/bin/sh
# demo.sh: the README's first command: installs the dependencies, builds
# capsule and traces the demo program scripts/hello.py.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
make -s -j2
log=${CAPSULE_DEMO_LOG:-/tmp/capsule_syscalls.log}
./capsule run -o "$log" -- python3 scripts/hello.py
echo "--- first and last records of $log:"
head -n 2 "$log"
tail -n 1 "$log"
