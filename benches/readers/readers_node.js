#!/usr/bin/env node
// Node clients for benches/readers: rss-parser, @rowanmanning/feed-parser and
// @extractus/feed-extractor, each with its default options (what a reader that
// just calls it gets).
//   node readers_node.js CLIENT LIST.tsv      (LIST lines: FORMAT<TAB>PATH<TAB>RELPATH)
// The modules are looked up in $READERS_NODE_DIR/node_modules (install.sh puts them
// there, default /tmp/feedsmith-readers/node). Prints one JSON object per feed file.
'use strict';
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

const nodeDir = process.env.READERS_NODE_DIR || '/tmp/feedsmith-readers/node';
const req = createRequire(path.join(nodeDir, 'package.json'));
const IMG_EXT = /\.(jpe?g|png|gif|webp|avif)(\?|$)/i;
const isImage = (url, mime, medium) =>
  !!url && ((mime || '').startsWith('image/') || medium === 'image' || IMG_EXT.test(url));
const version = (name) => {
  try { return JSON.parse(fs.readFileSync(path.join(nodeDir, 'node_modules', name, 'package.json'))).version; }
  catch (e) { return '?'; }
};
const iso = (d) => (d instanceof Date && !isNaN(d) ? d.toISOString() : d || null);
const str = (v) => (v == null ? null : typeof v === 'string' ? v : typeof v === 'object' && '_' in v ? v._ : String(v));

const clients = {
  async 'rss-parser'(fmt, text) {
    if (fmt === 'json') throw new Error('n/a: rss-parser reads RSS/Atom only, not JSON Feed');
    const Parser = req('rss-parser');
    const feed = await new Parser().parseString(text);
    return feed.items.map((it) => {
      const images = [];
      if (it.enclosure && isImage(it.enclosure.url, it.enclosure.type)) images.push(it.enclosure.url);
      if (it.itunes && it.itunes.image) images.push(it.itunes.image);
      const author = it.creator || it.author;
      return {
        title: it.title ?? null,
        link: it.link ?? null,
        authors: author ? [str(author)] : [],
        images,
        // categories: strings, or xml2js objects {_: text, $: attrs} when the element has attributes
        categories: (it.categories || []).map((c) => (typeof c === 'string' ? c : c && (c._ ?? (c.$ && (c.$.label || c.$.term))))).filter(Boolean),
        // one date, isoDate: RSS pubDate; Atom <published>, or <updated> when there is none
        published: it.isoDate ?? null,
      };
    });
  },

  async '@rowanmanning/feed-parser'(fmt, text) {
    if (fmt === 'json') throw new Error('n/a: @rowanmanning/feed-parser reads RSS/Atom/RDF only, not JSON Feed');
    const { parseFeed } = req('@rowanmanning/feed-parser');
    const feed = parseFeed(text);
    return feed.items.map((it) => {
      const images = [];
      if (it.image && it.image.url) images.push(it.image.url);
      for (const m of it.media || []) {
        if (m.image) images.push(m.image);
        else if (isImage(m.url, m.mimeType, m.type)) images.push(m.url);
      }
      return {
        title: it.title,
        link: it.url,
        authors: (it.authors || []).map((a) => a.name || a.email).filter(Boolean),
        images,
        categories: (it.categories || []).map((c) => c.label || c.term).filter(Boolean),
        // updated: Atom <modified>/<updated>, RSS dc:date, else the publication
        published: iso(it.published),
        updated: iso(it.updated),
      };
    });
  },

  async '@extractus/feed-extractor'(fmt, text) {
    const fx = req('@extractus/feed-extractor');
    const feed = fmt === 'json' ? await fx.extractFromJson(text) : await fx.extractFromXml(text);
    // default (normalized) entries: {id, title, link, published, description}; its one
    // date, published: RSS pubDate, Atom <updated> (before <published>), JSON date_published
    return (feed.entries || []).map((e) => ({
      title: e.title ?? null,
      link: e.link ?? null,
      authors: e.author ? [str(e.author)] : [],
      images: [e.image, e.thumbnail].filter(Boolean),
      categories: Array.isArray(e.categories) ? e.categories.map(str) : null,
      published: e.published || null,
    }));
  },
};

async function main() {
  const [client, listFile] = process.argv.slice(2);
  const fn = clients[client];
  if (!fn) { console.error(`usage: readers_node.js {${Object.keys(clients).join('|')}} LIST.tsv`); process.exit(2); }
  const name = `${client} ${version(client)}`;
  for (const line of fs.readFileSync(listFile, 'utf8').split('\n')) {
    if (!line) continue;
    const [fmt, p, rel] = line.split('\t');
    const out = { client: name, file: rel, format: fmt, error: null, items: [] };
    try {
      out.items = await fn(fmt, fs.readFileSync(p, 'utf8'));
    } catch (e) {
      out.error = e.message.startsWith('n/a') ? e.message : `${e.name}: ${e.message}`;
    }
    process.stdout.write(JSON.stringify(out) + '\n');
  }
}
main();
