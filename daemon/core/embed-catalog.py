#!/usr/bin/env python3
"""Make khoad's table of journal MESSAGE_IDs from its catalog
(contrib/systemd/khoad.catalog): each entry's Subject starts with the event
type it is for ("token.appeared: A token was plugged in"). One source for
what khoad logs and what journalctl -x explains.

usage: embed-catalog.py OUT.c CATALOG
"""
import re
import sys


def main():
    out_path, catalog = sys.argv[1], sys.argv[2]
    ids = []
    current = None
    with open(catalog, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            m = re.match(r'-- ([0-9a-f]{32})$', line.rstrip('\n'))
            if m:
                current = m.group(1)
                continue
            m = re.match(r'Subject: ([a-z_]+\.[a-z_]+): ', line)
            if m and current:
                ids.append((m.group(1), current))
                current = None
    types = [t for t, _ in ids]
    if len(set(types)) != len(types) or len({i for _, i in ids}) != len(ids):
        sys.exit('%s: an event type or a message ID is there twice' % catalog)
    with open(out_path, 'w', encoding='utf-8') as out:
        out.write('/* Generated from %s by embed-catalog.py. */\n' % catalog.split('/')[-1])
        out.write('#include "log.h"\n\nconst struct log_message_id log_message_ids[] = {\n')
        for t, i in sorted(ids):
            out.write('\t{ "%s", "%s" },\n' % (t, i))
        out.write('\t{ NULL, NULL }\n};\n')


if __name__ == '__main__':
    main()
