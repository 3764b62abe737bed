#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages carepress needs, when any is missing.
# As root it runs apt-get; otherwise it prints the exact command and fails.
set -euo pipefail

packages=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b  # WeasyPrint's text layout
  libharfbuzz-subset0   # font subsetting: without it writing a PDF is 4.5x slower
  poppler-utils         # pdftoppm, to look at brochures as a reader would
  chromium              # the site checked in a real browser (axe-core, screenshots)
  libenchant-2-2 hunspell-en-us hunspell-en-med  # `make check` spelling: Enchant + Hunspell
  hunspell-es           # Spanish spelling (es_US and the other Spanish dictionaries)
  # Fallback fonts (src/carepress/brochure/fallback.py); the same names on Debian 12 and Ubuntu 24.04
  fonts-noto-core       # Arabic, Hebrew and symbols (Noto Sans)
  fonts-noto-color-emoji  # emoji (Noto Color Emoji)
  fonts-noto-cjk        # Chinese, Japanese and Korean (Noto Sans CJK)
)
python3 -c 'import ensurepip, venv' 2>/dev/null || packages+=(python3-venv)
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)  # playwright-core and axe-core

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "carepress needs these system packages: ${missing[*]}" >&2
  echo "Run as root:  sudo sh -c '$cmd'" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
sh -c "$cmd"
