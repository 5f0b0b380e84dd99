#!/usr/bin/env python3
"""report-table.py BBOX.html REPORT.json: reads the table of a Mẫu 07 PDF
from `pdftotext -bbox` (each word with its box) and checks that every row of
REPORT is there in its place: its number under STT, its figure alone under
Số lượng, written "organization/person" where the row splits them (rows 3–6,
"(tổ chức/cá nhân)"), else the total, nothing where the figure is null.
(The rows' words are the wording test's: wording.py.) Prints what is wrong;
exit status 1 if anything is."""
import html
import json
import re
import sys

SPLIT = {"new_requested", "reissue_requested", "renewal_requested", "revocation_requested"}
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def wanted(row):
    if row["key"] in SPLIT and row["organization"] is not None and row["person"] is not None:
        return "%d/%d" % (row["organization"], row["person"])
    for key in ("total", "organization", "person"):
        if row[key] is not None:
            return str(row[key])
    return ""


def main():
    words = [(float(a), float(b), float(c), float(d), html.unescape(t))
             for a, b, c, d, t in WORD.findall(open(sys.argv[1], encoding="utf-8").read())]
    report = json.load(open(sys.argv[2], encoding="utf-8"))
    bad = []

    # the titles' row: the line of the word "STT"; a figure, narrower than
    # the title "Số lượng" centered over it, starts at most a little left of it
    stt = next(w for w in words if w[4] == "STT")
    head = sorted((w for w in words if abs(w[1] - stt[1]) < 2), key=lambda w: w[0])
    texts = [w[4] for w in head]
    i = texts.index("Số")
    if texts[i + 1] != "lượng":
        bad.append("titles: %s" % texts)
    content_left = stt[2] + 1
    quantity_left = head[i][0] - 10

    numbers = sorted((w for w in words if w[1] > stt[3] and w[2] < content_left and w[4].isdigit()),
                     key=lambda w: w[1])
    end = next(w[1] for w in words if w[4] == "Kiến" and w[1] > stt[3])
    tops = [w[1] - 1 for w in numbers] + [end - 1]
    if [int(w[4]) for w in numbers] != [r["row"] for r in report["rows"]]:
        bad.append("STT: %s" % [w[4] for w in numbers])
    for i, row in enumerate(report["rows"]):
        if i >= len(numbers):
            break
        inside = sorted((w for w in words if tops[i] <= w[1] < tops[i + 1]), key=lambda w: w[0])
        got = " ".join(w[4] for w in inside if w[0] >= quantity_left)
        if got != wanted(row):
            bad.append("row %d: Số lượng %r, wanted %r" % (row["row"], got, wanted(row)))
    for b in bad:
        print("# " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
