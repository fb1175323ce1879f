#!/usr/bin/env python3
"""Verify judgments.jsonl against the corpus (see README.md).

    python3 verify_judgments.py [corpus_dir] [judgments.jsonl] [--write-split]

--write-split rewrites every line's "split" from the seeded draw below
(nothing else changes) before verifying.
"""
import json, csv, os, collections, re, sys, random

args = [a for a in sys.argv[1:] if not a.startswith('--')]
WRITE_SPLIT = '--write-split' in sys.argv[1:]
ROOT = args[0] if len(args) > 0 else '/work/shared/corpus'
J = args[1] if len(args) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), 'judgments.jsonl')

EXHAUSTIVE_MAX = 60   # queries with at most this many matching paragraphs are judged in full
POOLED_MIN = 20       # a pooled query has at least this many judged paragraphs
SPLIT_SEED = 17       # the held-out draw (README: "Held-out split")

# Go unicode.IsSpace + U+3000 (already included), U+200B, U+FEFF
SPACE = set('\t\n\v\f\r \u0085\u00a0\u1680\u2028\u2029\u202f\u205f\u3000\u200b\ufeff' + ''.join(map(chr, range(0x2000, 0x200b))))
def trim(s):
    return s.strip(''.join(SPACE))

def matches(query, text):
    """A paragraph matches a query when it contains every space-separated term."""
    return all(t in text for t in query.split())

files = [r['path'] for r in csv.DictReader(open(os.path.join(ROOT, 'manifest.csv'), encoding='utf-8'))]
paras = {}
oddctl = collections.Counter()
for p in files:
    raw = open(os.path.join(ROOT, p), 'rb').read().decode('utf-8')  # strict
    out = []
    for line in raw.split('\n'):
        t = trim(line)
        if not t or re.fullmatch(r'[0-9]+', t): continue
        out.append(t)
        for ch in t:
            if ch in '\x1c\x1d\x1e\x1f\r': oddctl[ch] += 1
    paras[p] = out
print('files', len(files), 'paragraphs', sum(map(len, paras.values())), 'odd control chars inside paragraphs', dict(oddctl))

def load():
    rows = []
    rawlines = open(J, 'rb').read().decode('utf-8').split('\n')
    assert rawlines[-1] == '', 'file should end with newline'
    for i, l in enumerate(rawlines[:-1]):
        assert '\\u' not in l, f'ascii-escaped on line {i+1}'
        o = json.loads(l)
        assert list(o) == ['query', 'path', 'text', 'grade', 'split'], (i + 1, list(o))
        assert o['grade'] in (0, 1, 2), i + 1
        assert o['split'] in ('tune', 'heldout'), i + 1
        rows.append(o)
    return rows

rows = load()
queries = sorted({r['query'] for r in rows})
count = {q: sum(1 for p in files for t in paras[p] if matches(q, t)) for q in queries}

def kind(q):
    if ' ' in q.strip(): return 'two-term'
    return 'pooled' if count[q] > EXHAUSTIVE_MAX else 'exhaustive'

def groups_of(qs):
    """Near-duplicate queries share a group and so a split: a single-term
    query inside another (托育 in 托育服务), and a two-term query with a
    single-term query that is one of its terms or contains all of them
    (城市更新 for 城市更新 老旧小区, 数字政府 for 数字 政府)."""
    parent = {q: q for q in qs}
    def find(q):
        while parent[q] != q: q = parent[q]
        return q
    def union(a, b): parent[find(a)] = find(b)
    for a in qs:
        for b in qs:
            if a >= b: continue
            ta, tb = a.split(), b.split()
            if len(ta) == 1 and len(tb) == 1:
                if a in b or b in a: union(a, b)
            elif len(ta) == 1 or len(tb) == 1:
                single, terms = (a, tb) if len(ta) == 1 else (b, ta)
                if single in terms or all(t in single for t in terms): union(a, b)
    out = collections.defaultdict(list)
    for q in qs: out[find(q)].append(q)
    return sorted(sorted(g) for g in out.values())

def draw(qs):
    """The held-out queries: within each stratum (a group's kind is its
    most specific member's: two-term, then pooled, then exhaustive), groups
    in a shuffled order are taken while the stratum's held-out count stays
    within a third of its queries."""
    rank = {'two-term': 0, 'pooled': 1, 'exhaustive': 2}
    strata = collections.defaultdict(list)
    for g in groups_of(qs):
        strata[min((kind(q) for q in g), key=rank.get)].append(g)
    rng = random.Random(SPLIT_SEED)
    held = set()
    for k in ('exhaustive', 'pooled', 'two-term'):
        gs = strata[k]
        target = round(sum(map(len, gs)) / 3)
        rng.shuffle(gs)
        n = 0
        for g in gs:
            if n + len(g) <= target:
                held.update(g); n += len(g)
    return held, strata

held, strata = draw(queries)
if WRITE_SPLIT:
    with open(J, 'w', encoding='utf-8') as f:
        for r in rows:
            r['split'] = 'heldout' if r['query'] in held else 'tune'
            f.write(json.dumps(r, ensure_ascii=False) + '\n')
    rows = load()

print('queries', len(queries))
errs = 0
for r in rows:
    if r['path'] not in paras: print('bad path', r['path']); errs += 1; continue
    if r['text'] not in paras[r['path']]: print('text not a trimmed line', r['path'], r['text'][:30]); errs += 1
    if not matches(r['query'], r['text']): print('query missing', r['query'], r['text'][:30]); errs += 1
    if r['text'] != trim(r['text']) or '\n' in r['text']: print('untrimmed', r['text'][:30]); errs += 1
# coverage as multisets (identical paragraphs within one file count separately):
# exhaustive queries judge every matching paragraph exactly once, pooled
# queries a subset of them, each at most once
expected = collections.Counter((q, p, t) for q in queries for p in files for t in paras[p] if matches(q, t))
got = collections.Counter((r['query'], r['path'], r['text']) for r in rows)
extra = got - expected
miss = collections.Counter({k: v for k, v in (expected - got).items() if count[k[0]] <= EXHAUSTIVE_MAX})
print('matching pairs', sum(expected.values()), 'judged rows', len(rows), 'missing (exhaustive queries)', sum(miss.values()), 'extra', sum(extra.values()))
errs += sum(miss.values()) + sum(extra.values())
# identical duplicates must agree
grades = collections.defaultdict(set)
for r in rows: grades[(r['query'], r['path'], r['text'])].add(r['grade'])
incons = [k for k, v in grades.items() if len(v) > 1]; errs += len(incons)
print('duplicate-text keys', [(k[0], k[1], k[2][:20], got[k]) for k in got if got[k] > 1], 'inconsistent', len(incons))
# sort order: query, path, line order
occ = collections.defaultdict(list)
for p in files:
    for i, t in enumerate(paras[p]): occ[(p, t)].append(i)
seen = collections.Counter(); keys = []
for r in rows:
    k = (r['query'], r['path'], r['text']); keys.append((r['query'], r['path'], occ[(r['path'], r['text'])][seen[k]])); seen[k] += 1
print('sorted', keys == sorted(keys)); errs += keys != sorted(keys)
# one split per query, and the split is the seeded draw
for q in queries:
    s = {r['split'] for r in rows if r['query'] == q}
    want = 'heldout' if q in held else 'tune'
    if s != {want}: print('split of', q, 'is', s, 'the draw says', want); errs += 1
c = collections.defaultdict(collections.Counter)
for r in rows: c[r['query']][r['grade']] += 1
for q in queries:
    n = sum(c[q].values())
    if count[q] <= EXHAUSTIVE_MAX and not 3 <= n <= EXHAUSTIVE_MAX: print('count out of range', q, n); errs += 1
    if count[q] > EXHAUSTIVE_MAX and n < POOLED_MIN: print('pool too small', q, n); errs += 1
print('groups sharing a split', [g for g in groups_of(queries) if len(g) > 1])
print('query\tkind\tsplit\tmatching\tjudged\t0\t1\t2')
for q in queries:
    print(f"{q}\t{kind(q)}\t{'heldout' if q in held else 'tune'}\t{count[q]}\t{sum(c[q].values())}\t{c[q][0]}\t{c[q][1]}\t{c[q][2]}")
for s in ('tune', 'heldout'):
    qs = [q for q in queries if (q in held) == (s == 'heldout')]
    print(s, 'queries', len(qs), 'judgments', sum(sum(c[q].values()) for q in qs),
          {g: sum(c[q][g] for q in qs) for g in (0, 1, 2)},
          {k: sum(1 for q in qs if kind(q) == k) for k in ('exhaustive', 'pooled', 'two-term')})
print('TOTAL', len(rows), {g: sum(c[q][g] for q in queries) for g in (0, 1, 2)})
print('ERRORS', errs); sys.exit(1 if errs else 0)
