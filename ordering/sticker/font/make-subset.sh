#!/usr/bin/env bash
# Makes the sticker font: WenQuanYi Micro Hei (Debian fonts-wqy-microhei),
# cut to ASCII and the GB2312 character set (6763 hanzi, punctuation,
# full-width forms), which covers the store and table names of mainland
# stores. Run by hand when the character set should change; the build only
# embeds the result, it never needs these tools.
#
#   apt-get install fonts-wqy-microhei fonttools
#   ordering/sticker/font/make-subset.sh
set -euo pipefail
cd "$(dirname "$0")"
src=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc
chars=$(mktemp)
trap 'rm -f "$chars"' EXIT
python3 - "$chars" <<'PY'
import sys
out = [chr(c) for c in range(0x20, 0x7f)]
for hi in range(0xA1, 0xF8):          # every GB2312 row: symbols and hanzi
    for lo in range(0xA1, 0xFF):
        try:
            out.append(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
open(sys.argv[1], "w", encoding="utf-8").write("".join(out))
PY
pyftsubset "$src" --font-number=0 --text-file="$chars" \
    --layout-features='' --no-hinting --drop-tables+=FFTM \
    --name-IDs='*' --output-file=wqy-microhei-gb2312.ttf
gzip -9 -n -f wqy-microhei-gb2312.ttf
ls -l wqy-microhei-gb2312.ttf.gz
