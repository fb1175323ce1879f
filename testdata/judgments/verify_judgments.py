#!/usr/bin/env python3
"""Verify judgments.jsonl against the corpus (see README.md)."""
import json, csv, os, collections, re, sys
ROOT=sys.argv[1] if len(sys.argv)>1 else '/work/shared/corpus'
J=sys.argv[2] if len(sys.argv)>2 else os.path.join(os.path.dirname(os.path.abspath(__file__)),'judgments.jsonl')
# Go unicode.IsSpace + U+3000 (already included), U+200B, U+FEFF
SPACE=set('\t\n\v\f\r \u0085\u00a0\u1680\u2028\u2029\u202f\u205f\u3000\u200b\ufeff'+''.join(map(chr,range(0x2000,0x200b))))
def trim(s):
    return s.strip(''.join(SPACE))
files=[r['path'] for r in csv.DictReader(open(os.path.join(ROOT,'manifest.csv'),encoding='utf-8'))]
paras={}
oddctl=collections.Counter()
for p in files:
    raw=open(os.path.join(ROOT,p),'rb').read().decode('utf-8')  # strict
    out=[]
    for line in raw.split('\n'):
        t=trim(line)
        if not t or re.fullmatch(r'[0-9]+',t): continue
        out.append(t)
        for ch in t:
            if ch in '\x1c\x1d\x1e\x1f\r': oddctl[ch]+=1
    paras[p]=out
print('files',len(files),'paragraphs',sum(map(len,paras.values())),'odd control chars inside paragraphs',dict(oddctl))
rows=[]
rawlines=open(J,'rb').read().decode('utf-8').split('\n')
assert rawlines[-1]=='', 'file should end with newline'
for i,l in enumerate(rawlines[:-1]):
    assert '\\u' not in l, f'ascii-escaped on line {i+1}'
    o=json.loads(l)
    assert set(o)=={'query','path','text','grade'}, o.keys()
    assert o['grade'] in (0,1,2)
    rows.append(o)
queries=sorted({r['query'] for r in rows})
print('queries',len(queries))
errs=0
for r in rows:
    if r['path'] not in paras: print('bad path',r['path']); errs+=1; continue
    if r['text'] not in paras[r['path']]: print('text not a trimmed line',r['path'],r['text'][:30]); errs+=1
    if r['query'] not in r['text']: print('query missing',r['query'],r['text'][:30]); errs+=1
    if r['text']!=trim(r['text']) or '\n' in r['text']: print('untrimmed',r['text'][:30]); errs+=1
# exactly-once coverage as multisets (identical paragraphs within one file count separately)
expected=collections.Counter((q,p,t) for q in queries for p in files for t in paras[p] if q in t)
got=collections.Counter((r['query'],r['path'],r['text']) for r in rows)
miss=expected-got; extra=got-expected
print('expected pairs',sum(expected.values()),'judged rows',len(rows),'missing',sum(miss.values()),'extra',sum(extra.values()))
errs+=sum(miss.values())+sum(extra.values())
# identical duplicates must agree
grades=collections.defaultdict(set)
for r in rows: grades[(r['query'],r['path'],r['text'])].add(r['grade'])
incons=[k for k,v in grades.items() if len(v)>1]; errs+=len(incons)
print('duplicate-text keys',[ (k[0],k[1],k[2][:20],got[k]) for k in got if got[k]>1],'inconsistent',len(incons))
# sort order: query, path, line order
# position of the n-th occurrence of a text within its file (identical lines are judged in line order)
occ=collections.defaultdict(list)
for p in files:
    for i,t in enumerate(paras[p]): occ[(p,t)].append(i)
seen=collections.Counter(); keys=[]
for r in rows:
    k=(r['query'],r['path'],r['text']); keys.append((r['query'],r['path'],occ[(r['path'],r['text'])][seen[k]])); seen[k]+=1
print('sorted',keys==sorted(keys)); errs+= keys!=sorted(keys)
for q in queries:
    n=sum(1 for r in rows if r['query']==q)
    if not 3<=n<=60: print('count out of range',q,n); errs+=1
c=collections.defaultdict(collections.Counter)
for r in rows: c[r['query']][r['grade']]+=1
for q in queries: print(f"{q}\t{sum(c[q].values())}\t{c[q][0]}\t{c[q][1]}\t{c[q][2]}")
print('TOTAL',len(rows),{g:sum(c[q][g] for q in queries) for g in (0,1,2)})
print('ERRORS',errs); sys.exit(1 if errs else 0)
