#!/bin/sh
# Makes src/carepress/brochure/layouts/print-shop/cmyk-coated-fogra39l.icc, the output
# intent of the print-shop edition, from free data only: FOGRA39L.ti3 (FOGRA's published
# characterisation of coated offset, ISO 12647-2, as packaged by Kai-Uwe Behrmann under
# the zlib licence in Debian's icc-profiles-free) profiled with ArgyllCMS's colprof
# (Debian's argyll). Needs root for apt-get; takes about 4 minutes on 2 cores.
set -eu
apt-get install -y icc-profiles-free argyll
work=$(mktemp -d)
cp /usr/share/color/icc/FOGRA39L.ti3 "$work/"
(cd "$work" && colprof -qm -kr -S /usr/share/color/argyll/ref/sRGB.icm -cmt -dpp \
  -D "carepress CMYK, coated offset (FOGRA39L data)" \
  -C "Made with ArgyllCMS colprof from FOGRA39L.ti3 of Debian icc-profiles-free (Kai-Uwe Behrmann, zlib licence); not the original FOGRA39 or ISO Coated v2 profile" \
  FOGRA39L)
cp "$work/FOGRA39L.icc" "$(dirname "$0")/../src/carepress/brochure/layouts/print-shop/cmyk-coated-fogra39l.icc"
rm -rf "$work"
