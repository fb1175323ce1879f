#!/usr/bin/env python3
# Resident bytes of each grams segment section in a running server
# (from /proc/PID/maps and /proc/PID/pagemap; run as root):
#   python3 bench/growth/sections.py PID
# The section table is the segment header's (docs/grams-format.md).
import struct,sys,re
pid=int(sys.argv[1])
names=["textOffs","paraReport","paraN","paraChars","flags","reports","keys","postOffs","dfs","post","text"]
maps=[l.split() for l in open(f"/proc/{pid}/maps")]
pm=open(f"/proc/{pid}/pagemap",'rb')
tot={}
for m in maps:
    if len(m)<6 or not m[5].endswith('.seg'): continue
    lo,hi=[int(x,16) for x in m[0].split('-')]; foff=int(m[2],16)
    d=open(m[5],'rb').read(8+16+16*11)
    secs=[struct.unpack('<QQ',d[24+16*i:40+16*i]) for i in range(11)]
    pm.seek(lo//4096*8); raw=pm.read((hi-lo)//4096*8)
    present=[(struct.unpack_from('<Q',raw,8*i)[0]>>63)&1 for i in range((hi-lo)//4096)]
    for i,(off,l) in enumerate(secs):
        a=(off-foff)//4096; b=(off+l-foff+4095)//4096
        r=sum(present[max(a,0):b])*4096
        tot[names[i]]=tot.get(names[i],[0,0]); tot[names[i]][0]+=r; tot[names[i]][1]+=l
for k,(r,l) in tot.items(): print("%-10s resident %7.1f MB of %7.1f MB"%(k,r/1e6,l/1e6))
