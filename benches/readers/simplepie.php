<?php
// SimplePie (the copy WordPress ships, Debian package `wordpress`): what
// WordPress and other SimplePie readers get from its item API.
// usage: php simplepie.php LIST.tsv   (lines: FORMAT<TAB>PATH<TAB>RELPATH)
// prints one JSON object per feed file (JSON lines).
error_reporting(E_ALL & ~E_DEPRECATED & ~E_NOTICE & ~E_WARNING);
$wp = getenv('WORDPRESS_DIR') ?: '/usr/share/wordpress';
define('ABSPATH', rtrim($wp, '/') . '/');
define('WPINC', 'wp-includes');
require ABSPATH . WPINC . '/class-simplepie.php';

function is_image_enclosure($e) {
    $t = (string)$e->get_type();
    $m = (string)$e->get_medium();
    $l = (string)$e->get_link();
    return $m === 'image' || strpos($t, 'image/') === 0 ||
        preg_match('/\.(jpe?g|png|gif|webp|avif)(\?|$)/i', $l);
}

foreach (file($argv[1], FILE_IGNORE_NEW_LINES) as $line) {
    if ($line === '') continue;
    [$format, $path, $rel] = explode("\t", $line);
    $out = ['client' => 'SimplePie ' . SIMPLEPIE_VERSION . ' (WordPress)', 'file' => $rel,
            'format' => $format, 'error' => null, 'items' => []];
    if ($format === 'json') {
        $out['error'] = 'n/a: SimplePie reads RSS/Atom/RDF only, not JSON Feed';
        echo json_encode($out, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES), "\n";
        continue;
    }
    $feed = new SimplePie();
    $feed->set_raw_data(file_get_contents($path));
    $feed->enable_cache(false);
    $feed->enable_order_by_date(false);
    $feed->init();
    if ($feed->error()) {
        $out['error'] = is_array($feed->error()) ? implode('; ', $feed->error()) : $feed->error();
    }
    foreach ($feed->get_items() as $item) {
        $authors = [];
        foreach ((array)$item->get_authors() as $a) {
            if ($a && ($a->get_name() || $a->get_email())) $authors[] = $a->get_name() ?: $a->get_email();
        }
        $images = [];
        foreach ((array)$item->get_enclosures() as $e) {
            if (!$e) continue;
            if ($e->get_link() && is_image_enclosure($e)) $images[] = $e->get_link();
            foreach ((array)$e->get_thumbnails() as $t) if ($t) $images[] = $t;
        }
        $cats = [];
        foreach ((array)$item->get_categories() as $c) {
            if ($c) $cats[] = $c->get_label();   // label, falling back to term
        }
        $out['items'][] = [
            'title' => $item->get_title(),
            'link' => $item->get_permalink(),
            'authors' => $authors,
            'images' => array_values(array_unique($images)),
            'categories' => $cats,
            // get_updated_date(): Atom <updated> only (RSS has no such element), as a Unix
            // time ('U'), and its raw text (''); get_date('U'): the publication
            'updated' => $item->get_updated_date('U'),
            'updated_raw' => $item->get_updated_date(''),
            'published' => $item->get_date('U'),
        ];
    }
    echo json_encode($out, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE), "\n";
}
