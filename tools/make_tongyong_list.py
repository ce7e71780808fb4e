"""Rebuild tools/data/tongyong_8105.txt from Unicode's Unihan database (field kTGH).

kTGH gives each character's serial number in 通用规范汉字表 (2013); the three levels are
0001–3500, 3501–6500 and 6501–8105. The Unihan files come with Debian's ``unicode-data``
package (``apt-get install unicode-data``); this is a maintainer tool, not an install step.
"""

from __future__ import annotations

import bz2
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tools" / "data" / "tongyong_8105.txt"
UNIHAN = Path("/usr/share/unicode/Unihan_OtherMappings.txt.bz2")

HEADER = """\
# 通用规范汉字表 (Table of General Standard Chinese Characters, State Council of the PRC, 2013): 8105 characters.
# Columns: serial number (official order), level (1: 0001-3500, 2: 3501-6500, 3: 6501-8105), code point, character.
# Provenance: Unicode Unihan database, field kTGH ("2013:NNNN"), from Debian's unicode-data (Unicode {version})
#   (/usr/share/unicode/Unihan_OtherMappings.txt), built by tools/make_tongyong_list.py.
#   Unihan is distributed under the Unicode License (https://www.unicode.org/license.txt).
# Used by tools/build_fonts.py (subset character set) and tests/test_fonts.py (coverage).
"""


def level(serial: int) -> int:
    """Level of a serial number in the table."""
    return 1 if serial <= 3500 else 2 if serial <= 6500 else 3


def main(source: Path = UNIHAN, out: Path = OUT) -> None:
    """Write the list; fail loudly unless it holds exactly 8105 distinct characters."""
    rows: list[tuple[int, int]] = []
    version = "?"
    with bz2.open(source, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("# Unicode version:"):
                version = line.split(":", 1)[1].strip()
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3 and parts[1] == "kTGH":
                for value in parts[2].split():
                    year, _, serial = value.partition(":")
                    if year == "2013":
                        rows.append((int(serial), int(parts[0][2:], 16)))
    rows.sort()
    serials = [s for s, _ in rows]
    if serials != list(range(1, 8106)):
        sys.exit(f"expected serials 1–8105 in {source}, got {len(rows)} rows")
    body = "".join(f"{s:04d}\t{level(s)}\tU+{cp:04X}\t{chr(cp)}\n" for s, cp in rows)
    out.write_text(HEADER.format(version=version) + body, encoding="utf-8")
    print(f"{out.relative_to(ROOT)}: {len(rows)} characters")


if __name__ == "__main__":
    main()
