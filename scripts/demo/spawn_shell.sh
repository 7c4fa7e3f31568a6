#!/bin/sh
# Demo (process spawn): starts a shell that runs one command.
# Expected: process.spawn actions for sh and for echo's shell, with argv.
sh -c 'echo spawned'
