#!/usr/bin/env python3
"""wording.py REGULATION.txt N FORM.pdf [PAGES]: the words of the regulation's
Mẫu N, as its text file has them, in the PDF (its first PAGES pages: one
copy of several), in the regulation's order.

    wording.py REGULATION.txt N --show    prints what is looked for

The forms are the last ten titles of the regulation's text (lines in
capitals starting VĂN BẢN ĐỀ NGHỊ, DANH SÁCH ĐỀ NGHỊ, BÁO CÁO, QUYẾT ĐỊNH or
BIÊN BẢN), in order Mẫu 01 to 10, each with the heading lines above it
(the agency placeholders, the national name and motto, the number, the date
line). Every line of the form, every cell of its tables, is looked for in
the PDF's text (pdftotext -raw: the order the form was drawn in, whitespace
folded), each after the one before; none may be missing. What the form
leaves to fill in may hold anything (the value): a dot leader ("....."),
a placeholder ("<Tên đơn vị báo cáo>"), what follows a colon, the digits
after "ngày", "tháng", "năm", the example place of the form ("Thái Bình"
before ", ngày", "tỉnh Thái Bình" after "tại"); and, where the text file
lost the leader the paper has, what comes before a capital letter ("Họ và
tên (chữ in hoa) Giới tính", "Ngày cấp Ngày hết hạn") or before ")". A
line in capitals must be in capitals, any other in either case (FORMS.md:
signature roles in capitals). Not looked for: the tables' example rows
("1.", "2.", "..."), a list's bullet ("- "), and a numbered line that only
says more of the same may follow ("2. Đối với chứng thư số ..." after
"1. Đối với chứng thư số …").

Prints what is missing (# lines, for TAP); exit status 1 if anything is.
"""
import re
import subprocess
import sys
import unicodedata

TITLES = ("VĂN BẢN ĐỀ NGHỊ", "DANH SÁCH ĐỀ NGHỊ", "BÁO CÁO", "QUYẾT ĐỊNH", "BIÊN BẢN")
HEADING = re.compile(r"^(<.*|.*>|CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|Độc lập - Tự do - Hạnh phúc"
                     r"|Số:.*|Thái Bình, ngày.*|)$")
SLOT, SHORT, DATE, PLACE = "\x00", "\x01", "\x02", "\x03"
SLOTS = {SLOT: r".{0,400}?", SHORT: r".{0,200}?", DATE: r"[\d\s./…]{0,12}", PLACE: r".{1,120}?"}
TOKEN = re.compile(r"[\x00-\x03]|\.{2,}|…+|\w+|\S")


def nfc(s):
    return unicodedata.normalize("NFC", s)


def is_title(line):
    line = line.strip().strip("*").strip()
    return (line.startswith(TITLES) and not line.endswith(":")
            and line.split("**")[0] == line.split("**")[0].upper())


def form_lines(text, n):
    """The lines of Mẫu N: its heading, then its body up to the next heading."""
    lines = nfc(text).split("\n")
    titles = [i for i, l in enumerate(lines) if is_title(l)][-10:]
    if len(titles) != 10:
        raise SystemExit("# the regulation's text has %d form titles, not 10" % len(titles))

    def heading_start(t):
        i = t
        while i > 0 and HEADING.match(lines[i - 1].strip()):
            i -= 1
        return i

    start = heading_start(titles[n - 1])
    end = heading_start(titles[n]) if n < 10 else len(lines)
    return lines[start:end]


def items(lines):
    """What is looked for: each line or table cell, with its slots marked."""
    text = "\n".join(lines)
    text = re.sub(r"<[^>]*>", SLOT, text)               # placeholders, over lines too
    text = text.replace("**", "\n")                     # bold marks of the text file
    seen, out = [], []
    for line in text.split("\n"):
        line = line.strip().rstrip("*").strip()
        cells = [c.strip() for c in line.split("\t")]
        if all(re.fullmatch(r"[\d.…\x00]*", c) for c in cells):
            continue                                    # empty, a placeholder, example rows
        m = re.fullmatch(r"(\d+)\. (.*?)\s*(?:\.{2,}|…)", line)
        if m and m.group(1) != "1" and any(s.startswith("1. " + m.group(2)) for s in seen):
            continue                                    # "2. Đối với chứng thư số ..."
        seen.append(line)
        for c in cells:
            if not c or re.fullmatch(r"[\d.…]*", c):
                continue
            c = re.sub(r"^- ", "", c)
            c = re.sub(r"^Thái Bình(?=, ngày)", PLACE, c)
            c = re.sub(r"(?<=tại )tỉnh Thái Bình", PLACE, c)
            out.append(c)
    return out


def pattern(item):
    """The regular expression of one item (see the module's comment)."""
    tokens = TOKEN.findall(item)
    parts, prev = [], None            # prev: the last token, None after a slot
    for t in tokens:
        if t in SLOTS or re.fullmatch(r"\.{2,}|…+", t):
            slot = SLOTS.get(t, SLOTS[SLOT])
            if parts and prev is not None:
                parts.append(slot)
            prev = None
            continue
        if prev is not None:
            if t[0].isupper() and (prev[-1].isalnum() or prev == ")") or t == ")":
                parts.append(SLOTS[SHORT])
            else:
                parts.append(r"\s*")
        parts.append(re.escape(t))
        if t == ":":
            parts.append(SLOTS[SLOT])
            prev = None
        elif t.lower() in ("ngày", "tháng", "năm"):
            parts.append(SLOTS[DATE])
            prev = None
        else:
            prev = t
    while parts and parts[-1] in SLOTS.values():
        parts.pop()
    letters = [ch for ch in item if ch.isalpha()]
    capitals = letters and all(ch.isupper() for ch in letters)
    return re.compile("".join(parts), 0 if capitals else re.IGNORECASE)


def pdf_text(path, pages=None):
    last = ["-l", pages] if pages else []
    raw = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8"] + last + [path, "-"], check=True,
                         capture_output=True, text=True).stdout
    return re.sub(r"\s+", " ", nfc(raw))


def main():
    regulation = open(sys.argv[1], encoding="utf-8").read()
    n = int(sys.argv[2])
    wanted = items(form_lines(regulation, n))
    if sys.argv[3] == "--show":
        for w in wanted:
            print(w.translate({0: "<…>", 1: "", 2: "", 3: "<nơi>"}))
        return 0
    text, at, missing = pdf_text(sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None), 0, 0
    for w in wanted:
        m = pattern(w).search(text, at)
        if not m:
            shown = w.translate({0: "…", 3: "…"})
            print("# Mẫu %02d lacks, after …%s: %s" % (n, text[max(0, at - 40):at], shown))
            missing += 1
            continue
        at = m.end()
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
