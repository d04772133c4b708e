#!/usr/bin/env python3
"""Generate data/pinyin/initials.inc from Unicode's Unihan Mandarin readings.

Usage: scripts/gen-pinyin-table.py [Unihan_Readings.txt[.bz2] [output.inc]]

Defaults: /usr/share/unicode/Unihan_Readings.txt.bz2 (Debian package
unicode-data) and data/pinyin/initials.inc beside this script's parent.
Standard library only; the output depends only on the input file.

For every code point, the readings are gathered in this order, duplicates
dropped, and reduced to their distinct initial letters (first letter of
the reading, diacritics stripped, lowercased):

  1. kMandarin     the customary reading(s), most common first (PRC, then TW);
  2. kHanyuPinlu   readings found in a frequency corpus, most frequent first
                   (the erhua suffix reading "r" of 儿/兒 is ignored);
  3. kTGHZ2013     通用规范汉字字典 (2013): every modern reading;
  4. kXHC1983      现代汉语词典 (1983): every modern reading, also listing
                   many traditional characters.

kHanyuPinyin (汉语大字典) is only used for a character that has none of
the above: it lists many archaic readings (王 yù, 不 fū, 司 cí, ...), which
would turn most common characters polyphonic, add false matches and use up
the 16-combination budget of gj_pinyin_keys().

A short list of manual adjustments (ADJUST below) makes the table agree
with the contract documented in include/guanjia/pinyin.h.
"""

import bz2
import os
import re
import sys
import unicodedata

FIELDS = ("kMandarin", "kHanyuPinlu", "kTGHZ2013", "kXHC1983")
FALLBACK = "kHanyuPinyin"
PAGE_BITS = 8
PAGE_SIZE = 1 << PAGE_BITS
LINE = 64  # characters of a page string per source line
MAX_INITIALS = 7  # gj_pinyin_char_initials() has room for 7 letters + NUL

# Manual adjustments, keyed by character: "primary" puts that reading first,
# "drop" removes readings. Keep this list short and explain every entry.
ADJUST = {
    # As a name character 曾 is nearly always the surname Zēng; pinyin.h
    # documents 曾 -> "zc". kMandarin lists céng (曾经) first.
    "曾": {"primary": "zēng"},
    # chán only occurs in 单于 (a Xiongnu title), never in names; pinyin.h
    # documents 单 -> "ds" and "曾单" -> "zd zs cd cs".
    "单": {"drop": ["chán"]},
    "單": {"drop": ["chán"]},
}


def split_readings(field, value):
    """The readings of one Unihan field value, in the order given."""
    if field == "kMandarin":
        return value.split()
    if field == "kHanyuPinlu":  # "zhǎng(1879) cháng(1179)"
        return [re.sub(r"\(\d+\)$", "", e) for e in value.split()]
    if field in ("kTGHZ2013", "kXHC1983", "kHanyuPinyin"):
        # "033.120:céng 461.030:zēng", "10109.030:qiú,chóu,jū"
        out = []
        for entry in value.split():
            out.extend(entry.split(":", 1)[1].split(","))
        return out
    raise ValueError(field)


def initial(reading):
    """First letter of a reading, diacritics stripped, lowercased."""
    base = unicodedata.normalize("NFD", reading)[0].lower()
    if not ("a" <= base <= "z"):
        raise ValueError("unexpected reading %r" % reading)
    return base


def load(path):
    opener = bz2.open if path.endswith(".bz2") else open
    fields = {}
    meta = {}
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                m = re.match(r"#\s*(Date|Unicode version):\s*(.*\S)", line)
                if m:
                    meta[m.group(1)] = m.group(2)
                continue
            line = line.rstrip("\n")
            if not line:
                continue
            cp, field, value = line.split("\t", 2)
            if field in FIELDS or field == FALLBACK:
                fields.setdefault(int(cp[2:], 16), {})[field] = value
    return fields, meta


def readings_of(cp, entry):
    readings = []
    for field in FIELDS:
        if field in entry:
            for r in split_readings(field, entry[field]):
                if field == "kHanyuPinlu" and r == "r":
                    continue
                if r not in readings:
                    readings.append(r)
    if not readings and FALLBACK in entry:
        readings = split_readings(FALLBACK, entry[FALLBACK])
    adj = ADJUST.get(chr(cp))
    if adj:
        for r in adj.get("drop", []):
            if r not in readings:
                raise SystemExit("ADJUST: %s has no reading %s" % (chr(cp), r))
            readings.remove(r)
        if "primary" in adj:
            p = adj["primary"]
            if p not in readings:
                raise SystemExit("ADJUST: %s has no reading %s" % (chr(cp), p))
            readings.remove(p)
            readings.insert(0, p)
    return readings


def table(fields):
    initials = {}
    for cp in sorted(fields):
        letters = []
        for r in readings_of(cp, fields[cp]):
            i = initial(r)
            if i not in letters:
                letters.append(i)
        if letters:
            if len(letters) > MAX_INITIALS:
                raise SystemExit("U+%04X has more than %d initials" % (cp, MAX_INITIALS))
            initials[cp] = "".join(letters)
    for ch in ADJUST:
        if ord(ch) not in initials:
            raise SystemExit("ADJUST: %s has no readings" % ch)
    return initials


def render(initials, meta, source):
    pages = sorted({cp >> PAGE_BITS for cp in initials})
    multi = [(cp, s) for cp, s in sorted(initials.items()) if len(s) > 1]
    width = max(len(s) for s in initials.values()) + 1
    version = meta.get("Unicode version", "unknown")
    date = meta.get("Date", "unknown")
    fields = ", ".join(FIELDS)
    out = []
    w = out.append
    w("/* Pinyin initials of Han characters. GENERATED FILE, do not edit: run")
    w(" *   python3 scripts/gen-pinyin-table.py")
    w(" * Source: %s, Unicode version %s" % (source, version))
    w(" * (Date: %s)." % date)
    w(" * Fields: %s in that order (the first" % fields)
    w(" * reading is the primary one); %s only for characters with none of" % FALLBACK)
    w(" * those; manual adjustments listed in the script (曾 zēng first; 单/單 without chán).")
    w(" *")
    w(" * Layout: code points are grouped in pages of %d (page = cp >> %d)." % (PAGE_SIZE, PAGE_BITS))
    w(" * gj_pinyin_page_no[] lists the pages that hold any reading, ascending;")
    w(" * gj_pinyin_page[i] holds one character per code point of page")
    w(" * gj_pinyin_page_no[i]: '.' no reading, a lowercase letter the only")
    w(" * initial, an uppercase letter the primary initial of a character with")
    w(" * several, all of which are in gj_pinyin_multi[] (sorted by code point,")
    w(" * primary initial first).")
    w(" * %d code points, %d pages, %d with several initials. */" % (len(initials), len(pages), len(multi)))
    w("")
    w("#define GJ_PINYIN_PAGE_BITS  %d" % PAGE_BITS)
    w("#define GJ_PINYIN_PAGE_COUNT %d" % len(pages))
    w("#define GJ_PINYIN_MULTI_COUNT %d" % len(multi))
    w("")
    w("static const uint16_t gj_pinyin_page_no[GJ_PINYIN_PAGE_COUNT] = {")
    for i in range(0, len(pages), 10):
        w("    " + " ".join("0x%03X," % p for p in pages[i:i + 10]))
    w("};")
    w("")
    w("static const char gj_pinyin_page[GJ_PINYIN_PAGE_COUNT][%d] = {" % (PAGE_SIZE + 1))
    for p in pages:
        chars = []
        for cp in range(p << PAGE_BITS, (p + 1) << PAGE_BITS):
            s = initials.get(cp)
            chars.append("." if s is None else (s[0] if len(s) == 1 else s[0].upper()))
        text = "".join(chars)
        w("    /* U+%04X */" % (p << PAGE_BITS))
        for i in range(0, PAGE_SIZE, LINE):
            w('    "%s"%s' % (text[i:i + LINE], "," if i + LINE == PAGE_SIZE else ""))
    w("};")
    w("")
    w("static const struct gj_pinyin_multi {")
    w("    uint32_t cp;")
    w("    char initials[%d];" % width)
    w("} gj_pinyin_multi[GJ_PINYIN_MULTI_COUNT] = {")
    for i in range(0, len(multi), 5):
        w("    " + " ".join('{0x%04X, "%s"},' % m for m in multi[i:i + 5]))
    w("};")
    return "\n".join(out) + "\n"


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    src = argv[1] if len(argv) > 1 else "/usr/share/unicode/Unihan_Readings.txt.bz2"
    dst = argv[2] if len(argv) > 2 else os.path.normpath(os.path.join(here, "..", "data", "pinyin", "initials.inc"))
    fields, meta = load(src)
    initials = table(fields)
    text = render(initials, meta, os.path.basename(src))
    os.makedirs(os.path.dirname(os.path.abspath(dst)), exist_ok=True)
    with open(dst, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print("%s: %d code points, %d bytes" % (dst, len(initials), len(text.encode("utf-8"))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
