#!/bin/sh
# po/zh_CN.po must translate every string of the current template, with
# nothing fuzzy and nothing missing.
top=${1:?source dir}
pot=${2:?template}
[ -f "$pot" ] || { echo "no template at $pot (build first)"; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
msgmerge --quiet --no-fuzzy-matching -o "$tmp/merged.po" "$top/po/zh_CN.po" "$pot" || exit 1
stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$tmp/merged.po" 2>&1)
echo "zh_CN: $stats"
untranslated=$(msgattrib --untranslated --no-obsolete "$tmp/merged.po" | grep -c '^msgid ' || true)
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$tmp/merged.po" | grep -c '^msgid ' || true)
if [ "$untranslated" -gt 0 ] || [ "$fuzzy" -gt 0 ]; then
  echo "untranslated or fuzzy strings in po/zh_CN.po:"
  msgattrib --untranslated --no-obsolete "$tmp/merged.po" | grep '^msgid '
  msgattrib --only-fuzzy --no-obsolete "$tmp/merged.po" | grep '^msgid '
  exit 1
fi
echo "translations: complete"
