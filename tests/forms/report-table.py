#!/usr/bin/env python3
"""report-table.py BBOX.html REPORT.json: reads the table of a Mẫu 07 PDF
from `pdftotext -bbox` (each word with its box) and checks that every row of
REPORT is there in its place: its number in STT, its title in Nội dung, each
figure under Tổ chức, Cá nhân or Tổng số (nothing where the figure is null),
"Số liệu do cơ quan nhập" in Ghi chú exactly where the row is "entered".
Prints what is wrong; exit status 1 if anything is."""
import html
import json
import re
import sys

TITLES = {
    "org_certificates_held": "Số chứng thư số của tổ chức đang quản lý, sử dụng",
    "person_certificates_held": "Số chứng thư số của cá nhân đang quản lý, sử dụng",
    "new_requested": "Số chứng thư số đề nghị cấp mới trong năm",
    "reissue_requested": "Số chứng thư số đề nghị cấp lại trong năm",
    "renewal_requested": "Số chứng thư số đề nghị gia hạn trong năm",
    "revocation_requested": "Số chứng thư số đề nghị thu hồi trong năm",
    "pin_recovery_requested": "Số yêu cầu khôi phục mật khẩu thiết bị lưu khóa bí mật",
    "documents_signed_org": "Số văn bản đã ký số bằng chứng thư số của tổ chức",
    "documents_signed_person": "Số văn bản đã ký số bằng chứng thư số của cá nhân",
    "documents_sent": "Số văn bản điện tử đã gửi",
}
NOTE = "Số liệu do cơ quan nhập"
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def main():
    words = [(float(a), float(b), float(c), float(d), html.unescape(t))
             for a, b, c, d, t in WORD.findall(open(sys.argv[1], encoding="utf-8").read())]
    report = json.load(open(sys.argv[2], encoding="utf-8"))
    bad = []

    # the titles' row: the line of the word "STT"
    stt = next(w for w in words if w[4] == "STT")
    head = sorted((w for w in words if abs(w[1] - stt[1]) < 2), key=lambda w: w[0])
    texts = [w[4] for w in head]

    def span(a, b):
        i = next(i for i in range(len(texts) - 1) if texts[i] == a and texts[i + 1] == b)
        return head[i][0], head[i + 1][2]

    # the columns' bounds, from the titles centered in them: a figure is
    # narrower than its title, the text of Nội dung and Ghi chú starts at
    # their left
    content_left = stt[2] + 1
    figures_left = span("Tổ", "chức")[0] - 5
    note_left = span("Tổng", "số")[1] + 1
    centers = {k: sum(span(*k.split())) / 2 for k in ("Tổ chức", "Cá nhân", "Tổng số")}

    # the rows: from each number in STT to the next, the last to "Kiến nghị"
    numbers = sorted((w for w in words if w[1] > stt[3] and w[2] < content_left and w[4].isdigit()),
                     key=lambda w: w[1])
    end = next(w[1] for w in words if w[4] == "Kiến" and w[1] > stt[3])
    tops = [w[1] - 1 for w in numbers] + [end - 1]
    if [int(w[4]) for w in numbers] != [r["row"] for r in report["rows"]]:
        bad.append("STT: %s" % [w[4] for w in numbers])
    for i, row in enumerate(report["rows"]):
        if i >= len(numbers):
            break
        inside = sorted((w for w in words if tops[i] <= w[1] < tops[i + 1]), key=lambda w: (round(w[1]), w[0]))
        title = " ".join(w[4] for w in inside if content_left <= w[0] < figures_left)
        if title != TITLES[row["key"]]:
            bad.append("row %d: title %r" % (row["row"], title))
        got = {}
        for w in inside:
            if figures_left <= w[0] < note_left and w[4].isdigit():
                column = min(centers, key=lambda k: abs(centers[k] - (w[0] + w[2]) / 2))
                got[column] = int(w[4])
        want = {k: row[f] for k, f in (("Tổ chức", "organization"), ("Cá nhân", "person"),
                                       ("Tổng số", "total")) if row[f] is not None}
        if got != want:
            bad.append("row %d: figures %s, wanted %s" % (row["row"], got, want))
        note = " ".join(w[4] for w in inside if w[0] >= note_left)
        if note != (NOTE if row["entered"] else ""):
            bad.append("row %d: Ghi chú %r" % (row["row"], note))
    for b in bad:
        print("# " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
