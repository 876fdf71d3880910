#!/bin/sh
# Fails when a translation does not pass msgfmt --check, when a translation leaves a string
# untranslated or fuzzy, or when a source file with translatable strings is missing from
# po/POTFILES.in.
set -u
top=${1:?usage: check-po.sh SOURCE_ROOT}
cd "$top" || exit 1
status=0

for lang in $(grep -v '^#' po/LINGUAS); do
  po="po/$lang.po"
  if ! msgfmt --check --check-format -o /dev/null "$po"; then
    echo "FAIL: $po does not pass msgfmt --check"
    status=1
    continue
  fi
  stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$po" 2>&1)
  case "$stats" in
    *fuzzy*|*untranslated*)
      echo "FAIL: $po is incomplete: $stats"
      status=1 ;;
  esac
done

# Every file that marks strings for translation must be listed.
listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d' | sort)
found=$( (grep -rlE '(^|[^A-Za-z0-9_])(_|N_|C_|NC_|g_dngettext) ?\(' src --include='*.c' --include='*.cc';
          grep -rl 'translatable="yes"' resources --include='*.ui';
          ls data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml) 2>/dev/null | sort -u)
missing=$(printf '%s\n' "$found" | grep -vxF "$listed")
if [ -n "$missing" ]; then
  echo "FAIL: files with translatable strings missing from po/POTFILES.in:"
  printf '  %s\n' $missing
  status=1
fi
for f in $listed; do
  if [ ! -f "$f" ]; then
    echo "FAIL: po/POTFILES.in lists $f, which does not exist"
    status=1
  fi
done

# The template must be current: every msgid of the sources is in each .po.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
xgettext --from-code=UTF-8 --add-comments=Translators --keyword=_ --keyword=N_ \
  --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 \
  --files-from=po/POTFILES.in -o "$tmp/regulars.pot" 2>"$tmp/xgettext.log" ||
  { cat "$tmp/xgettext.log"; exit 1; }
# A format macro such as G_GINT64_FORMAT inside _() cuts the msgid short at xgettext time, so
# the string is never translated: such msgids end in a lone "%".
cut=$(grep -B1 '^msgstr' "$tmp/regulars.pot" | grep -E '[^%]%"$' | head -n 5)
if [ -n "$cut" ]; then
  echo "FAIL: msgids cut short by a format macro inside _() (use %lld with a (long long) cast):"
  printf '  %s\n' "$cut"
  status=1
fi
for lang in $(grep -v '^#' po/LINGUAS); do
  msgmerge --quiet -o "$tmp/$lang.po" "po/$lang.po" "$tmp/regulars.pot"
  stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$tmp/$lang.po" 2>&1)
  case "$stats" in
    *fuzzy*|*untranslated*)
      echo "FAIL: po/$lang.po lacks strings that are in the sources ($stats); run ninja -C build regulars-update-po"
      status=1 ;;
  esac
done

[ "$status" -eq 0 ] && echo "po: all translations complete and POTFILES.in up to date"
exit $status
