<?php
// Tiny Tiny RSS's own feed parser (Debian package `tt-rss`, classes/feedparser.php
// and classes/feeditem/*.php), used the way tt-rss's updater (classes/rssutils.php)
// uses it: title = strip_tags(get_title()), tags = get_categories() (which
// tt-rss lowercases), enclosures = get_enclosures(), date = get_date().
// usage: php ttrss.php LIST.tsv   (lines: FORMAT<TAB>PATH<TAB>RELPATH)
error_reporting(E_ALL & ~E_DEPRECATED & ~E_NOTICE & ~E_WARNING);
$tt = rtrim(getenv('TTRSS_DIR') ?: '/usr/share/tt-rss/www', '/');
define('DB_TYPE', 'pgsql');
mb_internal_encoding('UTF-8');
// the two helpers from tt-rss's include/functions.php the parser calls
// (that file is not loaded: it needs tt-rss's config and database)
function clean($param) {
    if (is_array($param)) return array_map('strip_tags', $param);
    if (is_string($param)) return strip_tags($param);
    return $param;
}
function rewrite_relative_url($base, $rel) {
    if (preg_match('#^[a-z][a-z0-9+.-]*:#i', $rel)) return $rel;
    return rtrim($base, '/') . '/' . ltrim($rel, '/');
}
foreach (['feedparser', 'feedenclosure', 'feeditem', 'feeditem/common', 'feeditem/atom', 'feeditem/rss'] as $c) {
    require_once "$tt/classes/$c.php";
}
$version = 'Tiny Tiny RSS';
if (is_file('/usr/share/doc/tt-rss/changelog.Debian.gz')) {
    $v = trim((string)shell_exec("dpkg-query -W -f='\${Version}' tt-rss 2>/dev/null"));
    if ($v) $version .= " $v";
}
foreach (file($argv[1], FILE_IGNORE_NEW_LINES) as $line) {
    if ($line === '') continue;
    [$format, $path, $rel] = explode("\t", $line);
    $out = ['client' => $version, 'file' => $rel, 'format' => $format, 'error' => null, 'items' => []];
    if ($format === 'json') {
        $out['error'] = 'n/a: this tt-rss FeedParser reads RSS/Atom/RDF only (DOMDocument::loadXML)';
        echo json_encode($out, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES), "\n";
        continue;
    }
    $rss = new FeedParser(file_get_contents($path));
    $rss->init();
    if ($rss->error()) $out['error'] = $rss->error();
    foreach ((array)$rss->get_items() as $item) {
        $images = [];
        foreach ($item->get_enclosures() as $e) {
            if ($e->link && (strpos((string)$e->type, 'image/') === 0 ||
                             preg_match('/\.(jpe?g|png|gif|webp|avif)(\?|$)/i', $e->link))) $images[] = $e->link;
        }
        $author = $item->get_author();
        $out['items'][] = [
            'title' => strip_tags((string)$item->get_title()),
            'link' => $item->get_link(),
            'authors' => $author ? [$author] : [],
            'images' => array_values(array_unique($images)),
            'categories' => array_values($item->get_categories()),
            // its one date (tt-rss stores it as the article's date): Atom <updated> first,
            // then <published>; RSS pubDate. No separate updated date.
            'published' => $item->get_date() ?: null,
        ];
    }
    echo json_encode($out, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE), "\n";
}
