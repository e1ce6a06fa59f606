"""Brute-force oracle for curated feeds: every article in memory, rules applied literally.

Usage: python3 benches/curated_oracle.py CORPUS_DIR FEEDS_DIR SETTINGS.yaml
Build FEEDS_DIR first (feedsmith build --config SETTINGS.yaml --input CORPUS_DIR ...); exits 1
on any curated feed whose items differ from the whole-list answer. Needs PyYAML."""
import os, sys, yaml, datetime, re, json
corpus, out = sys.argv[1], sys.argv[2]
cfg = yaml.safe_load(open(sys.argv[3]))
arts = []
for root, _, files in os.walk(corpus):
    for f in files:
        if not f.endswith('.txt'): continue
        text = open(os.path.join(root, f), encoding='utf-8').read()
        front = text.split('\n---', 1)[0][4:] if text.startswith('---\n') else None
        d = yaml.load(front, Loader=yaml.CSafeLoader)
        if d.get('published') is False: continue
        dt = d['publishedDateTime']
        if isinstance(dt, str): dt = datetime.datetime.fromisoformat(dt.replace('Z', '+00:00'))
        arts.append(dict(id=d.get('webUrl'), date=dt.timestamp(), topics=[t.lower() for t in d.get('topics') or []],
            provider=(d.get('provider') or {}).get('name'), category=d.get('category'), type=d.get('type'),
            quality=d.get('quality'), heat=d.get('heat')))
# duplicates: newest wins; our corpus has none with the same id, check
ids = [a['id'] for a in arts]; assert len(ids) == len(set(ids)), 'duplicates present'
units = dict(m=60, h=3600, d=86400, w=604800)
def slug(name): return re.sub(r'-+', '-', re.sub(r'[^a-z0-9]', '-', name.lower())).strip('-')
bad = 0
for c in cfg['curated']:
    low = lambda l: [x.lower() for x in l] if l else None
    tp, at, pv, ct, ty = low(c.get('topics')), low(c.get('all_topics')), low(c.get('providers')), low(c.get('categories')), low(c.get('types'))
    def sel(a):
        return ((not tp or any(t in a['topics'] for t in tp)) and (not at or all(t in a['topics'] for t in at))
            and (not pv or (a['provider'] or '').lower() in pv) and (not ct or (a['category'] or '').lower() in ct)
            and (not ty or (a['type'] or '').lower() in ty)
            and (c.get('min_quality') is None or (a['quality'] is not None and a['quality'] >= c['min_quality']))
            and (c.get('min_heat') is None or (a['heat'] is not None and a['heat'] >= c['min_heat'])))
    s = [a for a in arts if sel(a)]
    if 'window' in c and s:
        w = int(c['window'][:-1]) * units[c['window'][-1]]
        m = max(a['date'] for a in s)
        s = [a for a in s if a['date'] >= m - w]
    rank = c.get('rank', 'newest')
    key = (lambda a: (a['date'],)) if rank == 'newest' else (lambda a: (a[rank] is not None, a[rank] or 0, a['date']))
    s.sort(key=lambda a: a['id']); s.sort(key=key, reverse=True)
    s = s[:c.get('limit', 50)]
    s.sort(key=lambda a: a['id']); s.sort(key=lambda a: a['date'], reverse=True)
    want = [a['id'] for a in s]
    feed = json.load(open(os.path.join(out, 'curated', c.get('slug', slug(c['name'])), 'feed.json')))
    got = [i['id'] for i in feed['items']]
    print(c['name'], 'items', len(got), 'OK' if got == want else 'MISMATCH')
    bad += got != want
sys.exit(1 if bad else 0)
