#!/bin/sh
# For developers: merges translations written in po/parts/*.po (msgid and
# msgstr pairs, no header) into po/zh_CN.po, then brings it in line with
# the template. Parts win over what zh_CN.po had. Run after
# `cmake --build build --target update-po`; remove the parts afterwards.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
po="$top/po/zh_CN.po"
pot="$top/po/guanjia.pot"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for part in "$top"/po/parts/*.po; do
  [ -f "$part" ] || continue
  # The part gets zh_CN.po's own header, so that the header survives.
  { sed -n '1,/^$/p' "$po"; cat "$part"; } > "$tmp/part.po"
  msgcat --use-first "$tmp/part.po" "$po" -o "$tmp/all.po"
  cp "$tmp/all.po" "$po"
done
msgmerge --quiet --no-fuzzy-matching --no-location --sort-output -o "$tmp/merged.po" "$po" "$pot"
msgattrib --no-obsolete -o "$po" "$tmp/merged.po"
echo "untranslated or fuzzy left:"
msgattrib --untranslated --no-obsolete "$po" | grep '^msgid ' | grep -v '^msgid ""$' || true
msgattrib --only-fuzzy --no-obsolete "$po" | grep '^msgid ' || true
