#!/usr/bin/env python3
"""Generate data/countries.csv from Debian's iso-codes package.

Input:
  /usr/share/iso-codes/json/iso_3166-1.json          (ISO 3166-1 entries)
  /usr/share/locale/vi/LC_MESSAGES/iso_3166-1.mo     (Vietnamese names, gettext)

Output columns: alpha2,alpha3,numeric,name_en,name_vi
  name_en  = the iso-codes "name" field (ISO short name)
  name_vi  = OVERRIDES[alpha2] when listed below; otherwise the gettext
             translation of name_en, falling back to name_en when the
             catalogue has no translation
  numeric  = 3-digit string, leading zeros kept
Rows are sorted by alpha2. UTF-8 (NFC), LF line endings, RFC 4180 quoting.

Usage: python3 data/tools/gen_countries.py [output_path]
       (default output: countries.csv next to this tools/ directory)
Record the iso-codes version (dpkg-query -W iso-codes) in data/README.md.
"""
import csv
import gettext
import json
import os
import sys
import unicodedata

JSON_PATH = "/usr/share/iso-codes/json/iso_3166-1.json"
LOCALE_DIR = "/usr/share/locale"

# Reviewed Vietnamese short names that replace the iso-codes vi catalogue.
#
# The Debian catalogue has many dated (Căm Bốt, Miến Điện, Nam Hàn, Nam Dương),
# informal (Mỹ, Nhật), long-form or garbled (Cu-ouai-thợ, Phi-li-pi-nợ) names,
# and no name at all for BL, CV, CZ, MK, SZ and TR. The values below are the
# short names used in Vietnamese government documents:
#   - where those documents now write the country's own Latin spelling
#     (Malaysia, Singapore, Qatar, ...), that spelling is used;
#   - Australia keeps the Ministry of Foreign Affairs form "Ô-xtrây-li-a";
#   - Taiwan, Hong Kong and Macao carry "(Trung Quốc)", as official Vietnamese
#     usage does.
# Catalogue names that are already the usual form (Thái Lan, Trung Quốc, Đức,
# Ba Lan, Ăng-gô-la, ...) are not listed and pass through unchanged.
# Review was done for the ~30 most relevant countries (neighbours, ASEAN,
# labour and trafficking destinations) plus clearly dated Sino-Vietnamese forms
# elsewhere; the many other hyphenated transliterations were not restyled.
OVERRIDES = {
    # Neighbours and ASEAN
    "KH": "Campuchia",               # was "Căm Bốt" (dated)
    "LA": "Lào",                     # was "Cộng hoà Nhân dân Dân chủ Lào" (long form)
    "MM": "Myanmar",                 # was "Miến Điện" (dated)
    "MY": "Malaysia",                # was "Ma-lai-xi-a"
    "SG": "Singapore",               # was "Xin-ga-po"
    "ID": "Indonesia",               # was "Nam Dương" (dated)
    "PH": "Philippines",             # was "Phi-li-pi-nợ"
    "BN": "Brunei",                  # was "Bợru-này Đa-ru-xa-làm"
    "TL": "Đông Timor",              # was "Thi-moa Le-xợ-te"
    # East Asia
    "JP": "Nhật Bản",                # was "Nhật" (informal)
    "KR": "Hàn Quốc",                # was "Cộng hoà Nam Hàn" (dated)
    "KP": "Triều Tiên",              # was "Bắc Hàn, Cộng hoà Nhân dân Dân chủ"
    "TW": "Đài Loan (Trung Quốc)",   # was "Đài Loan, Tỉnh Trung Quốc"
    "HK": "Hồng Kông (Trung Quốc)",  # was "Hông Kông" (also misspelt)
    "MO": "Ma Cao (Trung Quốc)",     # was "Ma-cao"
    # South Asia
    "IN": "Ấn Độ",                   # was "Ấn-độ"
    "BD": "Bangladesh",              # was "Bang-la-đesợ"
    "PK": "Pakistan",                # was "Pa-ki-xợ-thănh"
    "LK": "Sri Lanka",               # was "Tích Lan" (dated)
    "AF": "Afghanistan",             # was "A Phú Hãn" (dated)
    # Middle East / Gulf labour destinations
    "SA": "Ả Rập Xê Út",             # was "A-rập Xau-đi"
    "AE": "Các Tiểu vương quốc Ả Rập Thống nhất",  # was "Các Tiểu Vương Quốc A-rập Thống Nhất"
    "QA": "Qatar",                   # was "Ca-tă"
    "KW": "Kuwait",                  # was "Cu-ouai-thợ"
    "BH": "Bahrain",                 # was "Ba-rainh"
    "IL": "Israel",                  # was "Do Thái" (means Jewish, not the state)
    "IR": "Iran",                    # was "Ba Tư, Cộng hoà Hồi giáo" (dated)
    "TR": "Thổ Nhĩ Kỳ",              # no catalogue entry for "Türkiye"
    # Europe
    "GB": "Vương quốc Anh",          # was "Vương Quốc Anh Thống Nhất"
    "RU": "Liên bang Nga",           # was "Liên Bang Nga" (capitalisation)
    "RO": "Romania",                 # was "Rô-ma-ni"
    "CZ": "Séc",                     # no catalogue entry for "Czechia"
    "MK": "Bắc Macedonia",           # no catalogue entry for "North Macedonia"
    "AT": "Áo",                      # was "Ao" (tone mark missing)
    "NL": "Hà Lan",                  # was "Hoà Lan" (dated)
    "IE": "Ireland",                 # was "Ái Nhĩ Lan" (dated)
    "IS": "Iceland",                 # was "Băng Đảo" (dated)
    "LU": "Luxembourg",              # was "Lục Xâm Bảo" (dated)
    # Americas, Africa, Oceania
    "US": "Hoa Kỳ",                  # was "Mỹ" (informal)
    "AR": "Argentina",               # was "Á-căn-đình" (dated)
    "AU": "Ô-xtrây-li-a",            # was "Úc" (informal); MOFA form
    "CV": "Cabo Verde",              # no catalogue entry
    "SZ": "Eswatini",                # no catalogue entry
    "BL": "Saint Barthélemy",        # no catalogue entry; French name kept on purpose
}


def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "countries.csv")

    with open(JSON_PATH, encoding="utf-8") as f:
        entries = json.load(f)["3166-1"]

    vi = gettext.translation("iso_3166-1", localedir=LOCALE_DIR, languages=["vi"])

    codes = {e["alpha_2"] for e in entries}
    for code, name in OVERRIDES.items():
        if code not in codes:
            raise SystemExit("override for unknown alpha2: " + code)
        if name != unicodedata.normalize("NFC", name):
            raise SystemExit("override not in NFC: " + code)

    rows = []
    untranslated = 0
    for e in entries:
        name_en = e["name"]
        name_vi = vi.gettext(name_en) or name_en
        if e["alpha_2"] in OVERRIDES:
            name_vi = OVERRIDES[e["alpha_2"]]
        elif name_vi == name_en:
            untranslated += 1
        numeric = e["numeric"]
        if not (len(numeric) == 3 and numeric.isdigit()):
            numeric = "%03d" % int(numeric)
        rows.append([e["alpha_2"], e["alpha_3"], numeric, name_en, name_vi])
    rows.sort(key=lambda r: r[0])

    seen = set()
    for r in rows:
        if r[0] in seen:
            raise SystemExit("duplicate alpha2: " + r[0])
        seen.add(r[0])

    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["alpha2", "alpha3", "numeric", "name_en", "name_vi"])
        w.writerows(rows)

    print("%s: %d rows, %d names from OVERRIDES, %d others without a "
          "Vietnamese translation (English kept)"
          % (out, len(rows), len(OVERRIDES), untranslated), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
