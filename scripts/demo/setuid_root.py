#!/usr/bin/env python3
"""Demo (privilege escalation), run as root: drops to nobody keeping root
as the saved uid, then takes euid 0 back, as an exploit regaining root
would.  Expected: priv.change actions, alert priv.uid0 (critical)."""
import os

os.setresuid(65534, 65534, 0)
os.seteuid(0)
print("euid", os.geteuid())
