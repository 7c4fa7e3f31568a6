#!/bin/sh
# Demo (execution from /tmp): copies /bin/true into a new directory under
# /tmp and runs it from there.  Expected: process.spawn of the copy,
# alert exec.tmp (high).
set -e
d=$(mktemp -d /tmp/capsule-demo-XXXXXX)
cp /bin/true "$d/true"
"$d/true"
rm -r "$d"
