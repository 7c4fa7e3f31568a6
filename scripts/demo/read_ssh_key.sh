#!/bin/sh
# Demo (credential access): reads $HOME/.ssh/id_rsa.  Run it with a
# throw-away HOME; the fake key is made first if missing:
#   HOME=$(mktemp -d) capsule run -- scripts/demo/read_ssh_key.sh
# Expected: file.read of the key (class credentials), alert cred.access.
set -e
key="$HOME/.ssh/id_rsa"
if [ ! -e "$key" ]; then
	mkdir -p "$HOME/.ssh"
	printf 'not a real key\n' >"$key"
fi
cat "$key" >/dev/null
