#!/usr/bin/env python3
"""A province-sized registry for bench/province.sh (issue 14): fills a
registry that khoad has built and migrated (and is no longer running on)
with 1,000 organizations, 100,000 people, 100,000 tokens each carrying its
certificate (2,000 of them also the one it renewed: 102,000 certificates),
1,000,000 events, 20,000 requests (8,000 PIN-recovery, 12,000 certificate
requests) with their steps, handovers, the seal register, the annual
reports' entered rows, and the expiry notices a running khoad would have
raised already (so that the khoad started on it has none left to raise).

Every row is made by SQL in the engine itself, the same expressions of
the row number on both engines (a recursive CTE on SQLite, generate_series
on PostgreSQL; hex, zero padding and dates are the only words that
differ): the same data on both. Dates are relative to TODAY (UTC), so the
certificates' not_after spread from a year ago to three years ahead.

usage: province-data.py sqlite DIR/registry.db [--scale F] [--today YYYY-MM-DD]
       province-data.py postgresql 'host=… dbname=… user=…' [--scale F] [--today …]

--scale multiplies every count (0.05 for a quick try; the 1,000 organizations stay). PostgreSQL: the user
must be a superuser (triggers and row-level security are set aside while
the rows go in; the owners the triggers keep are then set as 0011 sets
them), and the tables are VACUUMed and ANALYZEd after, as autovacuum would. SQLite is
left as khoad keeps it (khoad never runs ANALYZE).
"""
import argparse
import datetime
import sqlite3
import subprocess
import sys
import time

p = argparse.ArgumentParser()
p.add_argument('engine', choices=('sqlite', 'postgresql'))
p.add_argument('where')
p.add_argument('--scale', type=float, default=1.0)
p.add_argument('--verbose', action='store_true', help='the time of each statement')
p.add_argument('--today', default=datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d'))
a = p.parse_args()
PG = a.engine == 'postgresql'
TODAY = a.today
YEAR = int(TODAY[:4])


def n(x):
    return max(1, int(x * a.scale))


N_ORG = 1000                    # the tree: kept whole at every scale
N_DEPT = 40
N_PEOPLE = n(100_000)
N_TOK = n(100_000)
N_RENEWED = n(2_000)            # tokens carrying the certificate they renewed too
N_EVENTS = n(1_000_000)
N_PIN = n(8_000)
N_LIFE = n(12_000)
N_HANDOVERS = n(3_000)          # three rows each
N_SEAL = n(5_000)
N_REVOKED = n(1_000)
assert N_RENEWED + N_REVOKED <= N_LIFE and N_TOK > N_ORG

# ---- the words that differ ----------------------------------------------
# (SQLite's || binds tighter than its arithmetic: every sum next to one is
# in parentheses.)


def seq(count, name='seq'):
    """(prefix, from-item): the rows 1..COUNT as column i."""
    if PG:
        return '', f'generate_series(1::bigint, {count}) AS {name}(i)'
    return (f'WITH RECURSIVE {name}(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM {name} '
            f'WHERE i < {count}) ', name)


def hexw(expr, width, upper=False):
    """EXPR (0 <= EXPR < 16^WIDTH) in hex, WIDTH digits."""
    if PG:
        h = f"lpad(to_hex({expr}), {width}, '0')"
        return f'upper({h})' if upper else h
    return f"printf('%0{width}{'X' if upper else 'x'}', {expr})"


def pad(expr, width):
    if PG:
        return f"lpad(({expr})::text, {width}, '0')"
    return f"printf('%0{width}d', {expr})"


def ts(days, secs='0'):
    """TODAY + DAYS days + SECS seconds, ISO 8601 UTC as khoad writes it."""
    if PG:
        return (f"to_char(timestamp '{TODAY}' + ({days}) * interval '1 day' + ({secs}) * "
                f"""interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')""")
    return f"strftime('%Y-%m-%dT%H:%M:%SZ', '{TODAY}', ({days}) || ' days', ({secs}) || ' seconds')"


# ---- the same expressions on both ---------------------------------------


def mix(expr, k):
    """A number in 0..2^32-1 that looks random, the K-th of EXPR."""
    mult = (2654435761, 2246822519, 3266489917, 668265263, 374761393, 1597334677,
            3812015801, 1181783497)[k % 8] % 2147483647
    return f'(({expr}) * {mult} + {40503 * (k + 1)}) % 4294967296'


def pick(expr, words):
    whens = ' '.join(f"WHEN {i} THEN '{w}'" for i, w in enumerate(words))
    return f'CASE ({expr}) % {len(words)} {whens} END'


def serial(t):
    """Token T's serial: 16 lower-case hex digits, as SoftHSM2's."""
    return f'{hexw(mix(t, 0), 8)} || {hexw(t, 8)}'


def hex64(c):
    """Certificate C's SHA-256 in hex (C itself in the third word: unique)."""
    parts = [mix(c, 1), mix(c, 2), c, mix(c, 3), mix(c, 4), mix(c, 5), mix(c, 6), mix(c, 7)]
    return ' || '.join(hexw(x, 8, True) for x in parts)


def fingerprint(h):
    """AB:CD:… from 64 hex digits H (a column), as khoad writes it."""
    return " || ':' || ".join(f'substr({h}, {2 * i + 1}, 2)' for i in range(32))


def cert_days(c):
    """not_after of certificate C, in days from today: -365..+1095 for the
    tokens' own, three years before theirs for the renewed ones."""
    return (f'CASE WHEN ({c}) <= {N_TOK} THEN ({mix(c, 5)}) % 1461 - 365 '
            f'ELSE ({mix(f"({c}) - {N_TOK}", 5)}) % 1461 - 365 - 1095 END')


def person_of(t):
    """The holder of token T above the organizations' own."""
    return f'((({t}) - {N_ORG} - 1) % {N_PEOPLE} + 1)'


def org_of_person(j):
    return f'((({j}) - 1) % {N_ORG} + 1)'


def is_registered(t):
    return f'(({t}) <= {N_ORG} OR ({t}) % 20 <> 0)'


def full_name(j):
    f, m = len(FAMILY), len(MIDDLE)
    return (f"{pick(j, FAMILY)} || ' ' || {pick(f'({j}) / {f}', MIDDLE)} || ' ' || "
            f"{pick(f'({j}) / {f * m}', GIVEN)}")


FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi',
          'Đỗ']
MIDDLE = ['Văn', 'Thị', 'Hữu', 'Đức', 'Minh', 'Thanh', 'Quang', 'Ngọc', 'Thu', 'Xuân']
GIVEN = ['An', 'Bình', 'Chi', 'Dũng', 'Giang', 'Hà', 'Hải', 'Hằng', 'Hiếu', 'Hoa', 'Hùng',
         'Hương', 'Khánh', 'Lan', 'Linh', 'Long', 'Mai', 'Minh', 'Nam', 'Nga', 'Phong', 'Phương',
         'Quân', 'Sơn', 'Tâm', 'Thảo', 'Trang', 'Tuấn', 'Vy', 'Yến']
DEPTS = ['Sở Tài chính', 'Sở Tư pháp', 'Sở Nội vụ', 'Sở Y tế', 'Sở Giáo dục và Đào tạo',
         'Sở Xây dựng', 'Sở Công Thương', 'Sở Nông nghiệp và Phát triển nông thôn',
         'Sở Tài nguyên và Môi trường', 'Sở Giao thông vận tải', 'Sở Kế hoạch và Đầu tư',
         'Sở Lao động - Thương binh và Xã hội', 'Sở Văn hóa, Thể thao và Du lịch',
         'Sở Khoa học và Công nghệ', 'Sở Ngoại vụ', 'Sở Thông tin và Truyền thông',
         'Thanh tra tỉnh', 'Văn phòng UBND tỉnh', 'Ban Dân tộc', 'Ban Quản lý các khu công nghiệp',
         'Thành phố Thái Bình', 'Huyện Đông Hưng', 'Huyện Hưng Hà', 'Huyện Kiến Xương',
         'Huyện Quỳnh Phụ', 'Huyện Thái Thụy', 'Huyện Tiền Hải', 'Huyện Vũ Thư',
         'Đài Phát thanh và Truyền hình', 'Trường Đại học Thái Bình', 'Bệnh viện Đa khoa tỉnh',
         'Cục Thuế tỉnh', 'Kho bạc Nhà nước tỉnh', 'Bảo hiểm xã hội tỉnh', 'Công an tỉnh',
         'Bộ Chỉ huy Quân sự tỉnh', 'Ngân hàng Nhà nước Chi nhánh tỉnh', 'Cục Thống kê tỉnh',
         'Cục Hải quan', 'Liên minh Hợp tác xã tỉnh']
UNITS = ['Văn phòng', 'Phòng Kế hoạch - Tài chính', 'Phòng Tổ chức cán bộ', 'Thanh tra',
         'Phòng Hành chính - Tổng hợp', 'Trung tâm Dịch vụ công', 'Phòng Quản lý ngành',
         'Chi cục', 'Trung tâm Công nghệ thông tin', 'Ban Quản lý dự án']
assert len(DEPTS) == N_DEPT
MODULE = "'/usr/lib/x86_64-linux-gnu/pkcs11/libcastle.so'"
ISSUER = ("'C = VN, O = Ban Cơ yếu Chính phủ, OU = Cục Chứng thực số và Bảo mật thông tin, "
          "CN = CA phục vụ các cơ quan Nhà nước G2'")


def statements():
    """(what, SQL) in order."""
    out = []

    def add(what, sql):
        out.append((what, sql))

    # -- organizations: the province, 40 departments and districts, the
    # rest their units
    rows = [f"(1, 'UBND tỉnh Thái Bình', NULL, '1000000001', 'Số 16 Lê Lợi, Thái Bình', "
            f"'ubnd@thaibinh.gov.vn', '2023-01-01T00:00:00Z', '2023-01-01T00:00:00Z')"]
    for i in range(2, N_ORG + 1):
        if i <= N_DEPT + 1:
            name, parent = DEPTS[i - 2], 1
        else:
            parent = 2 + (i - N_DEPT - 2) % N_DEPT
            name = f'{UNITS[i % len(UNITS)]} {i} - {DEPTS[parent - 2]}'
        rows.append(f"({i}, '{name}', {parent}, '{1000000000 + i}', 'Thái Bình', "
                    f"'org{i}@thaibinh.gov.vn', '2023-01-01T00:00:00Z', '2023-01-01T00:00:00Z')")
    add('organizations', 'INSERT INTO organizations (id, name, parent_id, tax_code, address, '
        'email, created_at, updated_at) VALUES\n' + ',\n'.join(rows))

    # -- workstations: a desk an organization
    pre, frm = seq(N_ORG)
    add('workstations', f"{pre}INSERT INTO workstations (name, organization_id, first_seen, "
        f"last_seen) SELECT 'vt-' || {pad('i', 4)}, i, {ts('-1095')}, {ts('-(i % 30)')} FROM {frm}")

    # -- people: as many in each organization; the first of each its clerk
    pre, frm = seq(N_PEOPLE)
    positions = ['Chuyên viên', 'Trưởng phòng', 'Phó Trưởng phòng', 'Kế toán', 'Văn thư',
                 'Giám đốc', 'Phó Giám đốc', 'Chuyên viên chính']
    add('people', f"{pre}INSERT INTO people (id, full_name, id_number, birth_date, position, "
        f"organization_id, email, phone, created_at, updated_at, clerk) "
        f"SELECT j, {full_name('j')}, '034' || {pad('j', 9)}, "
        f"substr({ts(f'-(8000 + ({mix(chr(106), 3)}) % 12000)')}, 1, 10), {pick('j', positions)}, "
        f"{org_of_person('j')}, 'nv' || j || '@thaibinh.gov.vn', '09' || {pad('j', 8)}, "
        f"{ts('-1095')}, {ts('-(j % 700)')}, CASE WHEN j <= {N_ORG} THEN 1 ELSE 0 END "
        f"FROM (SELECT i AS j FROM {frm}) x")

    # -- certificates: C <= N_TOK on token C; N_TOK + K + 1 the one that
    # token 50 K + 7 renewed (still on it)
    pre, frm = seq(N_TOK + N_RENEWED)
    days, secs = cert_days('c'), f'({mix("c", 2)}) % 86400'
    add('certificates', f"{pre}INSERT INTO certificates (id, sha256, serial, subject, subject_cn, "
        f"issuer, not_before, not_after, first_seen) "
        f"SELECT c, {fingerprint('h')}, '5404' || {hexw(mix('c', 6), 8, True)} || "
        f"{hexw('c', 8, True)} || {hexw(mix('c', 7), 8, True)}, "
        f"'C = VN, L = Thái Bình, CN = ' || cn, cn, {ISSUER}, {ts(f'({days}) - 1095', secs)}, "
        f"{ts(days, secs)}, {ts(f'({days}) - 1094')} "
        f"FROM (SELECT i AS c, {hex64('i')} AS h, CASE WHEN tok <= {N_ORG} THEN "
        f"'Chứng thư số tổ chức ' || tok ELSE {full_name(person_of('tok'))} END AS cn "
        f"FROM (SELECT i, CASE WHEN i <= {N_TOK} THEN i ELSE (i - {N_TOK} - 1) * 50 + 7 END "
        f"AS tok FROM {frm}) y) x")

    # -- the tokens, worked out once: serial and fingerprints
    pre, frm = seq(N_TOK)
    renewed = f'CASE WHEN t % 50 = 7 AND t / 50 < {N_RENEWED} THEN {N_TOK} + t / 50 + 1 END'
    add('(tokens worked out)', 'CREATE TEMPORARY TABLE gen_tok (t BIGINT PRIMARY KEY, '
        'serial TEXT NOT NULL, f1 TEXT NOT NULL, f2 TEXT)')
    add('(tokens worked out)', f"{pre}INSERT INTO gen_tok SELECT t, {serial('t')}, "
        f"(SELECT sha256 FROM certificates WHERE id = t), "
        f"(SELECT sha256 FROM certificates WHERE id = {renewed}) FROM (SELECT i AS t FROM {frm}) x")
    if PG:
        add('(tokens worked out)', 'ANALYZE gen_tok')

    # -- tokens: one certificate each, two on the renewed; 5% of those
    # above the organizations' unregistered
    seen = "CASE WHEN f2 IS NULL THEN f1 WHEN f1 < f2 THEN f1 || ',' || f2 ELSE f2 || ',' || f1 END"
    reg = is_registered('t')
    add('tokens', f"INSERT INTO tokens (serial, label, manufacturer, model, module, status, "
        f"flags, seen_certs, bound_certs, registered_at, first_seen, last_seen) "
        f"SELECT serial, 'VNPT-CA ' || {pad('t', 6)}, 'Feitian Technologies Co., Ltd.', "
        f"'ePass2003', {MODULE}, CASE WHEN {reg} THEN 'registered' ELSE 'unregistered' END, "
        f"1069, {seen}, CASE WHEN {reg} THEN {seen} END, "
        f"CASE WHEN {reg} THEN {ts('-1090 + t % 700')} END, {ts('-1095 + t % 700')}, "
        f"{ts(f'-(({mix(chr(116), 4)}) % 365)', f'({mix(chr(116), 3)}) % 86400')} FROM gen_tok")

    # -- where each token was seen: its organization's desk, every 10th
    # another one too; none there now
    desk = f'CASE WHEN t <= {N_ORG} THEN t ELSE {org_of_person(person_of("t"))} END'
    add('token_sightings', f"INSERT INTO token_sightings (token_serial, workstation, module, "
        f"present, first_seen, last_seen) SELECT serial, 'vt-' || {pad(desk, 4)}, {MODULE}, 0, "
        f"{ts('-1095 + t % 700')}, {ts(f'-(({mix(chr(116), 4)}) % 365)')} FROM gen_tok")
    add('token_sightings', f"INSERT INTO token_sightings (token_serial, workstation, module, "
        f"present, first_seen, last_seen) SELECT serial, 'vt-' || "
        f"{pad(f'(({desk}) + 500) % {N_ORG} + 1', 4)}, {MODULE}, 0, {ts('-1000 + t % 700')}, "
        f"{ts(f'-(({mix(chr(116), 5)}) % 400)')} FROM gen_tok WHERE t % 10 = 3")

    # -- holders: each organization its token, a person each of the rest;
    # every 10th person's token had someone else before
    before = f't > {N_ORG} AND t % 10 = 1'
    add('holders', f"INSERT INTO holders (token_serial, person_id, organization_id, valid_from, "
        f"valid_to) SELECT serial, (t * 7) % {N_PEOPLE} + 1, NULL, {ts('-1095 + t % 300')}, "
        f"{ts('-400 + t % 300')} FROM gen_tok WHERE {before} AND {reg}")
    add('holders', f"INSERT INTO holders (token_serial, person_id, organization_id, valid_from) "
        f"SELECT serial, CASE WHEN t > {N_ORG} THEN {person_of('t')} END, "
        f"CASE WHEN t <= {N_ORG} THEN t END, "
        f"CASE WHEN {before} THEN {ts('-400 + t % 300')} ELSE {ts('-1090 + t % 700')} END "
        f"FROM gen_tok WHERE {reg}")

    # -- bindings: the certificates each registered token carries
    add('bindings', f"INSERT INTO bindings (token_serial, certificate_id, valid_from) "
        f"SELECT serial, t, {ts('-1090 + t % 700')} FROM gen_tok WHERE {reg}")
    add('bindings', f"INSERT INTO bindings (token_serial, certificate_id, valid_from) "
        f"SELECT serial, {N_TOK} + t / 50 + 1, {ts('-1090 + t % 700')} FROM gen_tok "
        f"WHERE f2 IS NOT NULL AND {reg}")

    # -- certificate requests: the renewals of the renewed certificates
    # (done), revocations (done), and the rest of every kind and state,
    # filed over three years
    n_done = N_RENEWED + N_REVOKED
    pre, frm = seq(N_LIFE)
    tk = (f'CASE WHEN i <= {N_RENEWED} THEN (i - 1) * 50 + 7 '
          f'WHEN i <= {n_done} THEN (i - {N_RENEWED}) * 97 % {N_TOK} + 1 '
          f'ELSE ({mix("i", 1)}) % {N_TOK} + 1 END')
    kinds = pick(mix('i', 2), ['new', 'new', 'renew', 'renew', 'reissue', 'revoke'])
    states = pick(mix('i', 3), ['filed', 'confirmed', 'submitted', 'forwarded', 'done', 'done',
                                'done', 'rejected', 'cancelled', 'done'])
    filed = ts(f'-1095 + (i * 1095) / {N_LIFE}', f'({mix("i", 4)}) % 30000 + 28800')
    add('lifecycle_requests', f"{pre}INSERT INTO lifecycle_requests (id, kind, subject_kind, "
        f"person_id, organization_id, subject_name, token_serial, certificate_serial, "
        f"certificate_not_before, certificate_not_after, reason, requested_years, state, "
        f"filed_at, filed_by_uid, filed_by_user) "
        f"SELECT r, kind, CASE WHEN tk <= {N_ORG} THEN 'organization' ELSE 'person' END, "
        f"CASE WHEN tk > {N_ORG} THEN {person_of('tk')} END, CASE WHEN tk <= {N_ORG} THEN tk END, "
        f"c.subject_cn, g.serial, c.serial, c.not_before, c.not_after, "
        f"CASE WHEN kind = 'revoke' THEN 'Nghỉ hưu' END, "
        f"CASE WHEN kind IN ('new', 'renew') THEN 1 + r % 3 END, st, filed, 1000 + (r % 50), "
        f"'vanthu' || (r % 50) "
        f"FROM (SELECT i AS r, {tk} AS tk, CASE WHEN i <= {N_RENEWED} THEN 'renew' "
        f"WHEN i <= {n_done} THEN 'revoke' ELSE {kinds} END AS kind, "
        f"CASE WHEN i <= {n_done} THEN 'done' ELSE {states} END AS st, {filed} AS filed "
        f"FROM {frm}) x JOIN gen_tok g ON g.t = x.tk "
        f"JOIN certificates c ON c.id = CASE WHEN r <= {N_RENEWED} THEN {N_TOK} + r ELSE x.tk END")
    add('lifecycle_requests', f"UPDATE lifecycle_requests SET new_certificate_serial = "
        f"(SELECT c.serial FROM certificates c WHERE c.id = (lifecycle_requests.id - 1) * 50 + 7) "
        f"WHERE id <= {N_RENEWED}")
    add('certificate_lineage', f"INSERT INTO certificate_lineage (certificate_serial, "
        f"previous_serial, request_id, kind, renewals, first_issued, linked_at) "
        f"SELECT new_certificate_serial, certificate_serial, id, 'renew', 1, "
        f"certificate_not_before, filed_at FROM lifecycle_requests WHERE id <= {N_RENEWED}")
    add('certificate_revocations', f"INSERT INTO certificate_revocations (certificate_serial, "
        f"request_id, reason, revoked_at) SELECT certificate_serial, MIN(id), 'Nghỉ hưu', "
        f"MIN(filed_at) FROM lifecycle_requests WHERE id > {N_RENEWED} AND id <= {n_done} "
        f"GROUP BY certificate_serial")

    # -- PIN recovery
    pre, frm = seq(N_PIN)
    pin_states = pick(mix('i', 5), ['filed', 'confirmed', 'submitted', 'forwarded', 'completed',
                                    'completed', 'completed', 'rejected', 'cancelled', 'completed'])
    add('requests', f"{pre}INSERT INTO requests (id, kind, state, token_serial, reason, form, "
        f"filed_at, filed_by_uid, filed_by_user) SELECT i, 'pin-recovery', {pin_states}, g.serial, "
        f"'Quên mã PIN', '{{\"reason\":\"Quên mã PIN\",\"number\":\"' || i || '\"}}', "
        f"{ts(f'-1095 + (i * 1095) / {N_PIN}', f'({mix(chr(105), 6)}) % 30000 + 28800')}, "
        f"1000 + (i % 50), 'vanthu' || (i % 50) "
        f"FROM {frm} JOIN gen_tok g ON g.t = ({mix('i', 7)}) % {N_TOK} + 1")

    # -- the steps each request took to its state
    for table, steps, last, done in (('requests', 'request_transitions', 'complete', 'completed'),
                                     ('lifecycle_requests', 'lifecycle_transitions', 'done',
                                      'done')):
        add(steps, f"WITH s(k, action, from_state, to_state) AS (VALUES "
            f"(1, 'confirm', 'filed', 'confirmed'), (2, 'submit', 'confirmed', 'submitted'), "
            f"(3, 'forward', 'submitted', 'forwarded'), (4, '{last}', 'forwarded', '{done}')) "
            f"INSERT INTO {steps} (request_id, action, from_state, to_state, done_at, actor_uid, "
            f"actor_user, note) SELECT r.id, s.action, s.from_state, s.to_state, r.filed_at, "
            f"1000 + s.k, 'canbo' || s.k, NULL FROM {table} r JOIN s ON s.k <= CASE r.state "
            f"WHEN 'confirmed' THEN 1 WHEN 'submitted' THEN 2 WHEN 'forwarded' THEN 3 "
            f"WHEN '{done}' THEN 4 WHEN 'rejected' THEN 2 ELSE 0 END ORDER BY r.id, s.k")
        add(steps, f"INSERT INTO {steps} (request_id, action, from_state, to_state, done_at, "
            f"actor_uid, actor_user, note) SELECT id, CASE state WHEN 'rejected' THEN 'reject' "
            f"ELSE 'cancel' END, CASE state WHEN 'rejected' THEN 'submitted' ELSE 'filed' END, "
            f"state, filed_at, 1001, 'canbo1', 'Hồ sơ chưa đủ' FROM {table} "
            f"WHERE state IN ('rejected', 'cancelled') ORDER BY id")

    # -- handovers: three tokens each, finalized, with the custody they moved
    pre, frm = seq(N_HANDOVERS)
    party = (f"'{{\"organization_id\":' || (i % {N_ORG} + 1) || ',\"name\":\"Văn thư ' || i || "
             f"'\",\"agency\":\"Đơn vị ' || (i % {N_ORG} + 1) || '\"}}'")
    held = f'-1095 + (i * 1095) / {N_HANDOVERS}'
    add('handovers', f"{pre}INSERT INTO handovers (id, state, place, held_at, giver, giver_name, "
        f"receiver, receiver_name, created_at, created_by_uid, created_by_user, finalized_at, "
        f"finalized_by_uid, finalized_by_user) SELECT i, 'finalized', 'Thái Bình', {ts(held)}, "
        f"{party}, 'Văn thư ' || i, {party}, 'Người nhận ' || i, {ts(held)}, 1000, 'vanthu', "
        f"{ts(held, '3600')}, 1000, 'vanthu' FROM {frm}")
    add('handover_rows', f"WITH k(k) AS (VALUES (1), (2), (3)) INSERT INTO handover_rows "
        f"(handover_id, number, token_serial, holder_name, certificate_serial, valid_from, "
        f"valid_to, reason, note, verified_on_device) SELECT h.id, k.k, g.serial, "
        f"'Người giữ ' || g.t, c.serial, c.not_before, c.not_after, 'renewal', NULL, 1 "
        f"FROM handovers h JOIN k ON 1 = 1 JOIN gen_tok g ON g.t = ((h.id * 3 + k.k) * 31) % "
        f"{N_TOK} + 1 JOIN certificates c ON c.id = g.t ORDER BY h.id, k.k")
    add('custody_links', "INSERT INTO custody_links (token_serial, handover_id, at, from_party, "
        "to_party, reason) SELECT r.token_serial, h.id, h.finalized_at, h.giver_name, "
        "h.receiver_name, r.reason FROM handover_rows r JOIN handovers h "
        "ON h.id = r.handover_id ORDER BY r.id")

    # -- the seal register: organization tokens out to one of their
    # people and back
    pre, frm = seq(N_SEAL)
    per_org = max(1, min(7, N_PEOPLE // N_ORG))
    day = f'-1095 + (i * 1095) / {N_SEAL}'
    add('seal_log', f"{pre}INSERT INTO seal_log (token_serial, person_id, purpose, out_at, "
        f"out_by_uid, out_by_user, due_at, in_at, in_by_uid, in_by_user, overdue_notified) "
        f"SELECT g.serial, g.t + {N_ORG} * (i % {per_org}), 'Ký hồ sơ thuế', {ts(day)}, 1000, "
        f"'vanthu', {ts(day, '28800')}, {ts(day, '14400')}, 1000, 'vanthu', 0 "
        f"FROM {frm} JOIN gen_tok g ON g.t = i % {N_ORG} + 1")

    # -- the annual reports: last year's entered and filed by every
    # organization, this year's entered by half of them
    pre, frm = seq(N_ORG)
    add('annual_reports', f"{pre}INSERT INTO annual_reports (year, scope, documents_signed_org, "
        f"documents_signed_person, documents_sent, entered_at, entered_by, filed_at, filed_by, "
        f"reminded_at) SELECT {YEAR - 1}, i, 100 + i % 900, 1000 + i * 7 % 5000, 800 + i % 3000, "
        f"'{YEAR - 1}-11-20T08:00:00Z', 'vanthu', '{YEAR - 1}-11-28T08:00:00Z', 'vanthu', "
        f"'{YEAR - 1}-11-01T00:00:00Z' FROM {frm}")
    add('annual_reports', f"{pre}INSERT INTO annual_reports (year, scope, documents_signed_org, "
        f"documents_signed_person, documents_sent, entered_at, entered_by) "
        f"SELECT {YEAR}, i, 50 + i % 400, 500 + i * 7 % 3000, 400 + i % 2000, "
        f"'{TODAY}T08:00:00Z', 'vanthu' FROM {frm} WHERE i % 2 = 0")

    # -- the expiry notices a running khoad raised already: each expired
    # certificate's, and the most urgent warning (khoad's default 120, 90,
    # 60 days) of each within 120 days
    add('expiry_notices', f"INSERT INTO expiry_notices (certificate_id, kind, threshold, "
        f"days_left, raised_at) SELECT id, 'expired', 0, d, {ts('-1')} "
        f"FROM (SELECT id, {cert_days('id')} AS d FROM certificates) x WHERE d <= 0")
    add('expiry_notices', f"INSERT INTO expiry_notices (certificate_id, kind, threshold, "
        f"days_left, raised_at) SELECT id, 'expiring', CASE WHEN d <= 60 THEN 60 WHEN d <= 90 "
        f"THEN 90 ELSE 120 END, d, {ts('-1')} "
        f"FROM (SELECT id, {cert_days('id')} AS d FROM certificates) x WHERE d >= 0 AND d <= 120")

    # -- events: three years of them, oldest first, mostly tokens plugged
    # in and taken out
    types = ['token.appeared', 'token.removed'] * 6 + [
        'token.pin_changed', 'pin.tried', 'certificate.expiring', 'pin_request.filed',
        'lifecycle_request.filed', 'token.registered', 'handover.finalized', 'seal.out']
    pre, frm = seq(N_EVENTS)
    at = f'(e * {1095 * 86400}) / {N_EVENTS}'
    add('events', f"{pre}INSERT INTO events (id, time, type, token_serial, actor_uid, actor_user, "
        f"details) SELECT e, {ts(f'-1095 + ({at}) / 86400', f'({at}) % 86400')}, "
        f"{pick('e', types)}, {serial('t')}, CASE WHEN e % 4 = 0 THEN 1000 + (e % 300) END, "
        f"CASE WHEN e % 4 = 0 THEN 'nv' || (e % 300) END, "
        f"'{{\"label\":\"VNPT-CA ' || {pad('t', 6)} || '\",\"first_seen\":false}}' "
        f"FROM (SELECT i AS e, (i * 7919) % {N_TOK} + 1 AS t FROM {frm}) x")
    return out


def pg_after():
    """PostgreSQL: what the triggers and identities would have done."""
    return [
        # 0011's owners, as 0011 sets them
        "UPDATE tokens t SET owner_org = (SELECT COALESCE(h.organization_id, p.organization_id) "
        "FROM holders h LEFT JOIN people p ON p.id = h.person_id WHERE h.token_serial = t.serial "
        "AND h.valid_to IS NULL)",
        "UPDATE requests r SET owner_org = (SELECT owner_org FROM tokens WHERE serial = r.token_serial)",
        "UPDATE lifecycle_requests l SET owner_org = COALESCE(l.organization_id, "
        "(SELECT organization_id FROM people WHERE id = l.person_id))",
        "INSERT INTO org_parents SELECT id, parent_id FROM organizations",
        # identities after the ids given
        "DO $$ DECLARE r record; BEGIN FOR r IN SELECT table_name, column_name FROM "
        "information_schema.columns WHERE table_schema = 'public' AND is_identity = 'YES' LOOP "
        "EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, %L), GREATEST(1, (SELECT "
        "max(%I) FROM %I)))', r.table_name, r.column_name, r.column_name, r.table_name); "
        "END LOOP; END $$",
    ]


# token_certs (0013), where the schema has it: as khoad writes it, a row a
# certificate of seen_certs
TOKEN_CERTS = ("INSERT INTO token_certs (token_serial, certificate_id) SELECT g.serial, c.id "
               "FROM gen_tok g JOIN certificates c ON c.sha256 IN (g.f1, g.f2)")


# The rows went in around khoad: the audit trail (0016) forgets them, and
# the khoad started next seals them all in its first record, as it does a
# registry older than the trail.
AUDIT_RESET = ('DELETE FROM audit_staged; DELETE FROM audit_changes; '
               'DELETE FROM audit_records')


def main():
    t0 = time.monotonic()
    sql = statements()
    if PG:
        has = subprocess.run(['psql', '-X', '-At', '-d', a.where, '-c',
                              "SELECT to_regclass('token_certs') IS NOT NULL"],
                             check=True, capture_output=True, text=True).stdout.strip() == 't'
        script = ['\\set ON_ERROR_STOP 1', 'SET client_min_messages = warning;',
                  'SET session_replication_role = replica;', 'SET synchronous_commit = off;',
                  "SET maintenance_work_mem = '256MB';", 'BEGIN;']
        if a.verbose:
            script.append('\\timing on')
        for label, s in sql:
            script.append("\\echo %s\n%s;" % (label, s))
        if has:
            script.append('\\echo token_certs\n%s;' % TOKEN_CERTS)
        script += ['DROP TABLE gen_tok;', '\\echo owners\n' + ';\n'.join(pg_after()) + ';']
        script += [AUDIT_RESET + ';', 'COMMIT;', 'VACUUM ANALYZE;']
        r = subprocess.run(['psql', '-X', '-q', '-d', a.where], input='\n'.join(script),
                           text=True, capture_output=True)
        if a.verbose:
            print(r.stdout, file=sys.stderr)
        if r.returncode:
            sys.exit('province-data.py: psql failed:\n' + r.stdout[-2000:] + r.stderr[-4000:])
    else:
        db = sqlite3.connect(a.where, isolation_level=None)
        db.execute('PRAGMA synchronous = OFF')
        db.execute('BEGIN')
        for label, s in sql:
            try:
                t = time.monotonic()
                db.execute(s)
                if a.verbose:
                    print('%-28s %6.2f s' % (label, time.monotonic() - t), file=sys.stderr)
            except sqlite3.Error as e:
                sys.exit('province-data.py: %s: %s\n%s' % (label, e, s[:2000]))
        if db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'token_certs'").fetchone()[0]:
            db.execute(TOKEN_CERTS)
        db.execute('DROP TABLE gen_tok')
        for s in AUDIT_RESET.split(';'):
            db.execute(s)
        db.execute('COMMIT')
        db.close()
    print('province-data.py: %s filled in %.1f s (scale %g: %d tokens, %d events)'
          % (a.engine, time.monotonic() - t0, a.scale, N_TOK, N_EVENTS), file=sys.stderr)


main()
