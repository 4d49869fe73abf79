#!/usr/bin/env python3
"""Consistency check for the UrbanGrid code catalog (gis-data/catalog).

Usage (Python 3 standard library only):
    cd gis-data/catalog && python3 tools/check-catalog.py
    python3 gis-data/catalog/tools/check-catalog.py [CATALOG_DIR]

Exits 0 when every check passes, 1 otherwise.
"""
import csv
import os
import re
import sys

COMPONENT_COLS = ['code', 'major', 'major_zh', 'major_en', 'name_zh', 'name_en', 'geometry']
MATTER_COLS = ['code', 'major', 'major_zh', 'major_en', 'name_zh', 'name_en', 'component_code']
LEGACY_COLS = ['code', 'major', 'major_zh', 'name_zh', 'name_en', 'new_code']

COMPONENT_COUNTS = {'01': 76, '02': 44, '03': 16, '04': 14, '05': 3}
MATTER_COUNTS = dict(COMPONENT_COUNTS, **{'06': 51, '07': 7, '08': 16, '09': 21, '10': 2})
COMPONENT_MAJORS = {'01': '市政公用设施', '02': '交通设施', '03': '市容环卫设施',
                    '04': '园林绿化设施', '05': '其他管理部件'}
MATTER_MAJORS = dict({k: v + '类' for k, v in COMPONENT_MAJORS.items()},
                     **{'06': '市容环境类', '07': '宣传广告类', '08': '施工管理类',
                        '09': '街面秩序类', '10': '其他事项类'})
# Gaps in GB/T 47678.5-2026 that must stay gaps (reserved/deleted in the source list).
ABSENT_COMPONENTS = {'01016', '05001', '05004', '05005', '05006', '05007', '05008'}
ABSENT_MATTERS = ABSENT_COMPONENTS | {'06031', '07005', '09007'}
LEGACY_COMPONENT_MAJORS = {'01', '02', '03', '04', '05', '06'}
LEGACY_EVENT_MAJORS = {'01', '02', '03', '04', '05'}
GEOMETRIES = {'point', 'line', 'polygon'}

# Anchor mappings fixed by the project brief (regression guard).
LEGACY_COMPONENT_ANCHORS = {
    '0101': '01001', '0104': '01004', '0107': '01007', '0114': '01023', '0117': '01034',
    '0118': '01037', '0126': '01046', '0136': '01050', '0203': '02004', '0209': '02010',
    '0305': '03005', '0307': '03007', '0402': '04002', '0405': '04013', '0407': '04007',
    '0501': '03008', '0503': '05002', '0603': '01069', '0604': '01070', '0606': '01071',
    '0601': '', '0602': '',
}
LEGACY_EVENT_ANCHORS = {
    '0102': '06010', '0103': '06011', '0104': '06012', '0110': '06013', '0201': '07001',
    '0204': '07002', '0301': '08001', '0302': '08004', '0304': '08002', '0305': '08003',
    '0501': '09001', '0504': '09005', '0505': '09009', '0506': '09010', '0407': '10001',
    '0408': '10002',
}

failures = []


def fail(msg):
    failures.append(msg)
    print('FAIL: ' + msg)


def find_catalog_dir():
    if len(sys.argv) > 1:
        return sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    for cand in (os.path.dirname(here),                               # gis-data/catalog/tools
                 os.path.join(os.path.dirname(here), 'gis-data', 'catalog'),  # <repo>/tools
                 os.path.join(os.getcwd(), 'gis-data', 'catalog'),
                 os.getcwd()):
        if os.path.isfile(os.path.join(cand, 'components.csv')):
            return cand
    return os.path.dirname(here)


def load(path, expected_cols):
    name = os.path.basename(path)
    try:
        with open(path, 'rb') as f:
            raw = f.read()
    except OSError as e:
        fail('%s: cannot read (%s)' % (name, e))
        return []
    if raw.startswith(b'\xef\xbb\xbf'):
        fail('%s: has a UTF-8 BOM' % name)
        raw = raw[3:]
    try:
        text = raw.decode('utf-8')
    except UnicodeDecodeError as e:
        fail('%s: not valid UTF-8 (%s)' % (name, e))
        return []
    for i, line in enumerate(text.splitlines(), 1):
        if line != line.rstrip():
            fail('%s:%d: trailing whitespace' % (name, i))
    reader = csv.reader(text.splitlines())
    rows = list(reader)
    if not rows:
        fail('%s: empty file' % name)
        return []
    if rows[0] != expected_cols:
        fail('%s: header %r, expected %r' % (name, rows[0], expected_cols))
        return []
    out = []
    for i, r in enumerate(rows[1:], 2):
        if len(r) != len(expected_cols):
            fail('%s:%d: %d fields, expected %d' % (name, i, len(r), len(expected_cols)))
            continue
        for col, v in zip(expected_cols, r):
            if v != v.strip():
                fail('%s:%d: field %s has leading/trailing whitespace' % (name, i, col))
        out.append(dict(zip(expected_cols, r)))
    codes = [r['code'] for r in out]
    if codes != sorted(codes):
        fail('%s: rows not sorted by code' % name)
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        fail('%s: duplicate codes %s' % (name, dupes))
    for r in out:
        for col in ('major_zh', 'name_zh', 'name_en'):
            if not r[col]:
                fail('%s: %s has empty %s' % (name, r['code'], col))
    return out


def check_codes(name, rows, digits, majors):
    counts = {}
    for r in rows:
        c, m = r['code'], r['major']
        if not re.fullmatch(r'\d{%d}' % digits, c):
            fail('%s: code %r is not %d digits' % (name, c, digits))
        if not re.fullmatch(r'\d{2}', m):
            fail('%s: %s major %r is not 2 digits' % (name, c, m))
        if not c.startswith(m):
            fail('%s: code %s does not start with its major %s' % (name, c, m))
        if m not in majors:
            fail('%s: %s has unexpected major %s' % (name, c, m))
        counts[m] = counts.get(m, 0) + 1
    return counts


def check_major_names(name, rows, cols):
    seen = {}
    for r in rows:
        key = tuple(r[c] for c in cols)
        if seen.setdefault(r['major'], key) != key:
            fail('%s: major %s has inconsistent names %r vs %r' % (name, r['major'], seen[r['major']], key))


def main():
    d = find_catalog_dir()
    print('catalog dir: %s' % os.path.abspath(d))

    comps = load(os.path.join(d, 'components.csv'), COMPONENT_COLS)
    matters = load(os.path.join(d, 'matters.csv'), MATTER_COLS)
    lcomps = load(os.path.join(d, 'legacy-components.csv'), LEGACY_COLS)
    levts = load(os.path.join(d, 'legacy-events.csv'), LEGACY_COLS)

    # components.csv
    cc = check_codes('components.csv', comps, 5, COMPONENT_COUNTS)
    if len(comps) != 153:
        fail('components.csv: %d rows, expected 153' % len(comps))
    for m, n in COMPONENT_COUNTS.items():
        if cc.get(m, 0) != n:
            fail('components.csv: major %s has %d rows, expected %d' % (m, cc.get(m, 0), n))
    check_major_names('components.csv', comps, ('major_zh', 'major_en'))
    for r in comps:
        if COMPONENT_MAJORS.get(r['major']) not in (None, r['major_zh']):
            fail('components.csv: %s major_zh %r, expected %r' % (r['code'], r['major_zh'], COMPONENT_MAJORS[r['major']]))
        if r['geometry'] not in GEOMETRIES:
            fail('components.csv: %s geometry %r not in %s' % (r['code'], r['geometry'], sorted(GEOMETRIES)))
        if r['code'] in ABSENT_COMPONENTS:
            fail('components.csv: %s is a gap in the standard and must not exist' % r['code'])
    comp_by_code = {r['code']: r for r in comps}

    # matters.csv
    mc = check_codes('matters.csv', matters, 5, MATTER_COUNTS)
    if len(matters) != 250:
        fail('matters.csv: %d rows, expected 250' % len(matters))
    for m, n in MATTER_COUNTS.items():
        if mc.get(m, 0) != n:
            fail('matters.csv: major %s has %d rows, expected %d' % (m, mc.get(m, 0), n))
    check_major_names('matters.csv', matters, ('major_zh', 'major_en'))
    for r in matters:
        code, m = r['code'], r['major']
        if MATTER_MAJORS.get(m) not in (None, r['major_zh']):
            fail('matters.csv: %s major_zh %r, expected %r' % (code, r['major_zh'], MATTER_MAJORS[m]))
        if code in ABSENT_MATTERS:
            fail('matters.csv: %s is a gap in the standard and must not exist' % code)
        if m in COMPONENT_COUNTS:
            if r['component_code'] != code:
                fail('matters.csv: %s component_code %r, expected %r' % (code, r['component_code'], code))
            comp = comp_by_code.get(code)
            if comp is None:
                fail('matters.csv: %s has no matching component' % code)
                continue
            if r['name_zh'] != comp['name_zh'] + '异常':
                fail('matters.csv: %s name_zh %r, expected %r' % (code, r['name_zh'], comp['name_zh'] + '异常'))
            if r['major_zh'] != comp['major_zh'] + '类':
                fail('matters.csv: %s major_zh %r, expected %r' % (code, r['major_zh'], comp['major_zh'] + '类'))
            if r['major_en'] != comp['major_en']:
                fail('matters.csv: %s major_en %r differs from component %r' % (code, r['major_en'], comp['major_en']))
        elif r['component_code'] != '':
            fail('matters.csv: %s (major %s) must have empty component_code' % (code, m))
    missing = sorted(set(comp_by_code) - {r['code'] for r in matters})
    if missing:
        fail('matters.csv: components without an 异常 matter: %s' % missing)
    matter_codes = {r['code'] for r in matters}

    # legacy files
    def check_legacy(name, rows, majors, targets, target_name, anchors):
        check_codes(name, rows, 4, majors)
        check_major_names(name, rows, ('major_zh',))
        mapped = 0
        for r in rows:
            nc = r['new_code']
            if nc:
                mapped += 1
                if nc not in targets:
                    fail('%s: %s new_code %s not found in %s' % (name, r['code'], nc, target_name))
        by_code = {r['code']: r['new_code'] for r in rows}
        for code, want in anchors.items():
            if code not in by_code:
                fail('%s: expected legacy code %s is missing' % (name, code))
            elif by_code[code] != want:
                fail('%s: %s maps to %r, expected %r' % (name, code, by_code[code], want))
        return mapped

    lc_mapped = check_legacy('legacy-components.csv', lcomps, LEGACY_COMPONENT_MAJORS,
                             set(comp_by_code), 'components.csv', LEGACY_COMPONENT_ANCHORS)
    le_mapped = check_legacy('legacy-events.csv', levts, LEGACY_EVENT_MAJORS,
                             matter_codes, 'matters.csv', LEGACY_EVENT_ANCHORS)

    print('components.csv        %3d rows  %s' % (len(comps), ' '.join('%s:%d' % kv for kv in sorted(cc.items()))))
    print('matters.csv           %3d rows  %s' % (len(matters), ' '.join('%s:%d' % kv for kv in sorted(mc.items()))))
    print('legacy-components.csv %3d rows  %d mapped, %d unmapped' % (len(lcomps), lc_mapped, len(lcomps) - lc_mapped))
    print('legacy-events.csv     %3d rows  %d mapped, %d unmapped' % (len(levts), le_mapped, len(levts) - le_mapped))
    if failures:
        print('RESULT: FAILED (%d problem%s)' % (len(failures), '' if len(failures) == 1 else 's'))
        return 1
    print('RESULT: OK')
    return 0


if __name__ == '__main__':
    sys.exit(main())
