#!/usr/bin/env python3
"""Writes the charts embedded in a report.html (or a compare page) as PNG files (stdlib only).

Usage: python3 jobs/bench/report_figures.py REPORT.html OUTPUT_PREFIX
writes OUTPUT_PREFIX-1.png, OUTPUT_PREFIX-2.png, ... in the order the charts appear on the page.
"""
import base64
import re
import sys
from pathlib import Path

if len(sys.argv) != 3:
    sys.exit(__doc__)
page = Path(sys.argv[1]).read_text(encoding="utf-8")
charts = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
if not charts:
    sys.exit(f"no embedded PNG charts in {sys.argv[1]}")
for number, data in enumerate(charts, start=1):
    target = Path(f"{sys.argv[2]}-{number}.png")
    target.write_bytes(base64.b64decode(data))
    print(target)
