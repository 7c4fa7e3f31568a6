#!/bin/sh
# Demo (persistence): appends to $HOME/.bashrc.  Run it with a throw-away
# HOME:  HOME=$(mktemp -d) capsule run -- scripts/demo/persist_bashrc.sh
# Expected: file.write of .bashrc (class persistence), alert
# persistence.write (high).
echo 'alias ls="ls --color=auto" # demo' >>"$HOME/.bashrc"
