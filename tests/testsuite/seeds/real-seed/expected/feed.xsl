<?xml version="1.0" encoding="utf-8"?>
<!--
  feedsmith's feed stylesheet: shows an RSS 2.0 or Atom 1.0 feed opened in a browser as a
  plain HTML page (what a feed is, the URL to subscribe to, then the entries as they appear).

  Safety: feed content only ever becomes text nodes and attribute values, which the HTML
  serialiser escapes; there is no disable-output-escaping anywhere. Fields that hold escaped
  HTML (RSS description, Atom text of type="html") are turned into plain text here: tags are
  dropped and the usual entities decoded, and the result is still written as text, so
  `&lt;script&gt;` in a title shows as "<script>" and never runs. Links and images are
  emitted only for http(s) URLs, and a Content-Security-Policy forbids scripts anyway.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:media="http://search.yahoo.com/mrss/"
    xmlns:content="http://purl.org/rss/1.0/modules/content/"
    exclude-result-prefixes="atom dc media content">

  <xsl:output method="html" encoding="utf-8" indent="no" doctype-system="about:legacy-compat"/>

  <!-- Longest escaped HTML turned into text, in characters (a summary shows far less). -->
  <xsl:variable name="max-input" select="4000"/>
  <!-- Most tags dropped from one escaped HTML text; the text after them is not shown. -->
  <xsl:variable name="max-tags" select="250"/>
  <!-- Longest summary shown, in characters. -->
  <xsl:variable name="max-summary" select="420"/>

  <xsl:variable name="upper" select="'ABCDEFGHIJKLMNOPQRSTUVWXYZ'"/>
  <xsl:variable name="lower" select="'abcdefghijklmnopqrstuvwxyz'"/>

  <!-- ================================================================ RSS 2.0 -->
  <xsl:template match="/rss">
    <xsl:variable name="ch" select="channel"/>
    <xsl:call-template name="page">
      <xsl:with-param name="format" select="'RSS'"/>
      <xsl:with-param name="other-format" select="'Atom'"/>
      <xsl:with-param name="other-file" select="'atom.xml'"/>
      <xsl:with-param name="lang" select="normalize-space($ch/language)"/>
      <xsl:with-param name="title" select="normalize-space($ch/title)"/>
      <xsl:with-param name="description" select="normalize-space($ch/description)"/>
      <xsl:with-param name="site" select="normalize-space($ch/link)"/>
      <xsl:with-param name="self" select="normalize-space($ch/atom:link[@rel='self'][1]/@href)"/>
      <xsl:with-param name="entries" select="$ch/item"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="item" mode="entry">
    <xsl:variable name="summary">
      <xsl:choose>
        <!-- feedsmith puts the content in description when there is no excerpt. -->
        <xsl:when test="content:encoded">
          <xsl:call-template name="html-to-text">
            <xsl:with-param name="html" select="description"/>
          </xsl:call-template>
        </xsl:when>
        <xsl:otherwise>
          <xsl:call-template name="content-to-text">
            <xsl:with-param name="html" select="description"/>
          </xsl:call-template>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:call-template name="entry">
      <xsl:with-param name="title" select="normalize-space(title)"/>
      <xsl:with-param name="link" select="normalize-space(link)"/>
      <xsl:with-param name="date" select="normalize-space(pubDate)"/>
      <xsl:with-param name="date-kind" select="'rfc2822'"/>
      <xsl:with-param name="provider" select="normalize-space(dc:creator)"/>
      <xsl:with-param name="thumb" select="media:thumbnail[1]"/>
      <xsl:with-param name="summary" select="normalize-space($summary)"/>
    </xsl:call-template>
  </xsl:template>

  <!-- ================================================================ Atom 1.0 -->
  <xsl:template match="/atom:feed">
    <xsl:variable name="title">
      <xsl:apply-templates select="atom:title" mode="text"/>
    </xsl:variable>
    <xsl:variable name="subtitle">
      <xsl:apply-templates select="atom:subtitle" mode="text"/>
    </xsl:variable>
    <xsl:call-template name="page">
      <xsl:with-param name="format" select="'Atom'"/>
      <xsl:with-param name="other-format" select="'RSS'"/>
      <xsl:with-param name="other-file" select="'rss.xml'"/>
      <xsl:with-param name="lang" select="normalize-space(@xml:lang)"/>
      <xsl:with-param name="title" select="normalize-space($title)"/>
      <xsl:with-param name="description" select="normalize-space($subtitle)"/>
      <xsl:with-param name="site"
          select="normalize-space(atom:link[@rel='alternate' or not(@rel)][1]/@href)"/>
      <xsl:with-param name="self" select="normalize-space(atom:link[@rel='self'][1]/@href)"/>
      <xsl:with-param name="entries" select="atom:entry"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="atom:entry" mode="entry">
    <xsl:variable name="title">
      <xsl:apply-templates select="atom:title" mode="text"/>
    </xsl:variable>
    <xsl:variable name="summary">
      <xsl:choose>
        <xsl:when test="atom:summary">
          <xsl:apply-templates select="atom:summary" mode="text"/>
        </xsl:when>
        <xsl:when test="atom:content[not(@type) or @type='text']">
          <xsl:value-of select="substring(atom:content, 1, $max-input)"/>
        </xsl:when>
        <xsl:when test="atom:content[@type='html']">
          <xsl:call-template name="content-to-text">
            <xsl:with-param name="html" select="atom:content"/>
          </xsl:call-template>
        </xsl:when>
        <xsl:when test="atom:content[@type='xhtml']">
          <xsl:value-of select="substring(atom:content, 1, $max-input)"/>
        </xsl:when>
      </xsl:choose>
    </xsl:variable>
    <xsl:call-template name="entry">
      <xsl:with-param name="title" select="normalize-space($title)"/>
      <xsl:with-param name="link"
          select="normalize-space(atom:link[@rel='alternate' or not(@rel)][1]/@href)"/>
      <xsl:with-param name="date">
        <xsl:choose>
          <xsl:when test="atom:published">
            <xsl:value-of select="normalize-space(atom:published)"/>
          </xsl:when>
          <xsl:otherwise>
            <xsl:value-of select="normalize-space(atom:updated)"/>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
      <xsl:with-param name="date-kind" select="'rfc3339'"/>
      <xsl:with-param name="provider" select="normalize-space(atom:author[1]/atom:name)"/>
      <xsl:with-param name="thumb" select="media:thumbnail[1]"/>
      <xsl:with-param name="summary" select="normalize-space($summary)"/>
    </xsl:call-template>
  </xsl:template>

  <!-- An Atom text construct as plain text: type="html" is escaped HTML, decoded here. -->
  <xsl:template match="*" mode="text">
    <xsl:choose>
      <xsl:when test="@type='html'">
        <xsl:call-template name="html-to-text">
          <xsl:with-param name="html" select="string(.)"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="."/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ================================================================ the page -->
  <xsl:template name="page">
    <xsl:param name="format"/>
    <xsl:param name="other-format"/>
    <xsl:param name="other-file"/>
    <xsl:param name="lang"/>
    <xsl:param name="title"/>
    <xsl:param name="description"/>
    <xsl:param name="site"/>
    <xsl:param name="self"/>
    <xsl:param name="entries"/>
    <xsl:variable name="name">
      <xsl:choose>
        <xsl:when test="$title != ''"><xsl:value-of select="$title"/></xsl:when>
        <xsl:otherwise>Untitled feed</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <html>
      <xsl:attribute name="lang">
        <xsl:choose>
          <xsl:when test="$lang != '' and translate($lang, concat($upper, $lower, '0123456789-'), '') = ''">
            <xsl:value-of select="$lang"/>
          </xsl:when>
          <xsl:otherwise>en</xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta http-equiv="Content-Security-Policy"
            content="default-src 'none'; style-src 'unsafe-inline'; img-src http: https:; base-uri 'none'; form-action 'none'"/>
        <meta name="referrer" content="no-referrer"/>
        <meta name="color-scheme" content="light dark"/>
        <title><xsl:value-of select="$name"/> (<xsl:value-of select="$format"/> feed)</title>
        <style><xsl:value-of select="$css"/></style>
      </head>
      <body>
        <header class="top">
          <div class="wrap">
            <p class="badge"><span class="dot" aria-hidden="true"></span><xsl:value-of select="$format"/> feed</p>
            <h1><xsl:value-of select="$name"/></h1>
            <xsl:if test="$description != ''">
              <p class="lede"><xsl:value-of select="$description"/></p>
            </xsl:if>
            <xsl:if test="$site != ''">
              <p class="site">
                <xsl:call-template name="link">
                  <xsl:with-param name="href" select="$site"/>
                  <xsl:with-param name="text" select="'Visit the website'"/>
                </xsl:call-template>
              </p>
            </xsl:if>
          </div>
        </header>
        <main class="wrap">
          <section class="about" aria-labelledby="about-heading">
            <h2 id="about-heading">This is a web feed (<xsl:value-of select="$format"/>)</h2>
            <p>Copy the URL into your feed reader to subscribe, and new articles will come to you as they are published.</p>
            <xsl:if test="$self != ''">
              <p class="self"><span class="label">Feed URL</span> <code class="url"><xsl:value-of select="$self"/></code></p>
            </xsl:if>
            <p class="more"><a href="https://aboutfeeds.com/">What is a feed?</a>
              <span class="sep" aria-hidden="true"> · </span>
              <span>Also available as <a href="{$other-file}"><xsl:value-of select="$other-format"/></a>.</span>
            </p>
          </section>
          <section aria-labelledby="entries-heading">
            <h2 id="entries-heading" class="count">
              <xsl:choose>
                <xsl:when test="count($entries) = 1">1 article</xsl:when>
                <xsl:otherwise><xsl:value-of select="count($entries)"/> articles</xsl:otherwise>
              </xsl:choose>
              <span class="hint">, newest first</span>
            </h2>
            <xsl:choose>
              <xsl:when test="$entries">
                <ol class="entries">
                  <xsl:apply-templates select="$entries" mode="entry"/>
                </ol>
              </xsl:when>
              <xsl:otherwise>
                <p class="empty">No articles yet.</p>
              </xsl:otherwise>
            </xsl:choose>
          </section>
        </main>
        <footer class="wrap foot">
          <p>This page is how your browser shows the feed; feed readers read the same file as data.</p>
        </footer>
      </body>
    </html>
  </xsl:template>

  <!-- One entry. Every value arrives as plain text. -->
  <xsl:template name="entry">
    <xsl:param name="title"/>
    <xsl:param name="link"/>
    <xsl:param name="date"/>
    <xsl:param name="date-kind"/>
    <xsl:param name="provider"/>
    <xsl:param name="thumb"/>
    <xsl:param name="summary"/>
    <xsl:variable name="img" select="normalize-space($thumb/@url)"/>
    <xsl:variable name="has-img">
      <xsl:if test="$img != ''">
        <xsl:call-template name="is-web-url"><xsl:with-param name="url" select="$img"/></xsl:call-template>
      </xsl:if>
    </xsl:variable>
    <li>
      <article>
        <xsl:attribute name="class">
          <xsl:text>entry</xsl:text>
          <xsl:if test="$has-img = 'yes'"> has-img</xsl:if>
        </xsl:attribute>
        <div class="text">
          <h3>
            <xsl:call-template name="link">
              <xsl:with-param name="href" select="$link"/>
              <xsl:with-param name="text">
                <xsl:choose>
                  <xsl:when test="$title != ''"><xsl:value-of select="$title"/></xsl:when>
                  <xsl:otherwise>Untitled</xsl:otherwise>
                </xsl:choose>
              </xsl:with-param>
            </xsl:call-template>
          </h3>
          <xsl:if test="$date != '' or $provider != ''">
            <p class="meta">
              <xsl:if test="$date != ''">
                <xsl:call-template name="date">
                  <xsl:with-param name="value" select="$date"/>
                  <xsl:with-param name="kind" select="$date-kind"/>
                </xsl:call-template>
              </xsl:if>
              <xsl:if test="$date != '' and $provider != ''">
                <span class="sep" aria-hidden="true"> · </span>
              </xsl:if>
              <xsl:if test="$provider != ''">
                <span class="provider"><xsl:value-of select="$provider"/></span>
              </xsl:if>
            </p>
          </xsl:if>
          <xsl:if test="$summary != ''">
            <p class="summary">
              <xsl:choose>
                <xsl:when test="string-length($summary) > $max-summary">
                  <xsl:value-of select="substring($summary, 1, $max-summary - 1)"/>
                  <xsl:text>…</xsl:text>
                </xsl:when>
                <xsl:otherwise><xsl:value-of select="$summary"/></xsl:otherwise>
              </xsl:choose>
            </p>
          </xsl:if>
        </div>
        <xsl:if test="$has-img = 'yes'">
          <img src="{$img}" alt="" decoding="async" referrerpolicy="no-referrer">
            <xsl:if test="number($thumb/@width) > 0 and number($thumb/@height) > 0">
              <xsl:attribute name="width"><xsl:value-of select="round(number($thumb/@width))"/></xsl:attribute>
              <xsl:attribute name="height"><xsl:value-of select="round(number($thumb/@height))"/></xsl:attribute>
            </xsl:if>
            <xsl:if test="position() > 4">
              <xsl:attribute name="loading">lazy</xsl:attribute>
            </xsl:if>
          </img>
        </xsl:if>
      </article>
    </li>
  </xsl:template>

  <!-- ================================================================ helpers -->

  <!-- 'yes' when url is an absolute http(s) URL: only those become links or images. -->
  <xsl:template name="is-web-url">
    <xsl:param name="url"/>
    <xsl:variable name="head" select="translate(substring($url, 1, 8), $upper, $lower)"/>
    <xsl:if test="starts-with($head, 'https://') or starts-with($head, 'http://')">yes</xsl:if>
  </xsl:template>

  <!-- A link when href is an http(s) URL, else the text alone. -->
  <xsl:template name="link">
    <xsl:param name="href"/>
    <xsl:param name="text"/>
    <xsl:variable name="ok">
      <xsl:call-template name="is-web-url"><xsl:with-param name="url" select="$href"/></xsl:call-template>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$ok = 'yes'">
        <a href="{$href}"><xsl:value-of select="$text"/></a>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A date as <time>: "27 Jan 2025, 21:34 UTC" (the feed's own offset is kept). -->
  <xsl:template name="date">
    <xsl:param name="value"/>
    <xsl:param name="kind"/>
    <xsl:variable name="months" select="'JanFebMarAprMayJunJulAugSepOctNovDec'"/>
    <xsl:choose>
      <!-- RFC 3339: 2025-01-27T21:34:00+00:00, 2025-01-27T21:34:00.5Z -->
      <xsl:when test="$kind = 'rfc3339' and string-length($value) >= 20
                      and substring($value, 5, 1) = '-' and substring($value, 8, 1) = '-'
                      and number(substring($value, 6, 2)) >= 1 and number(substring($value, 6, 2)) &lt;= 12">
        <xsl:variable name="last" select="substring($value, string-length($value))"/>
        <xsl:variable name="zone">
          <xsl:choose>
            <xsl:when test="$last = 'Z' or $last = 'z'">+00:00</xsl:when>
            <xsl:otherwise><xsl:value-of select="substring($value, string-length($value) - 5)"/></xsl:otherwise>
          </xsl:choose>
        </xsl:variable>
        <time datetime="{$value}">
          <xsl:value-of select="number(substring($value, 9, 2))"/>
          <xsl:text> </xsl:text>
          <xsl:value-of select="substring($months, 3 * number(substring($value, 6, 2)) - 2, 3)"/>
          <xsl:text> </xsl:text>
          <xsl:value-of select="substring($value, 1, 4)"/>
          <xsl:text>, </xsl:text>
          <xsl:value-of select="substring($value, 12, 5)"/>
          <xsl:call-template name="zone"><xsl:with-param name="offset" select="$zone"/></xsl:call-template>
        </time>
      </xsl:when>
      <!-- RFC 2822: Mon, 27 Jan 2025 21:34:00 +0000 -->
      <xsl:when test="$kind = 'rfc2822' and contains($value, ', ')
                      and contains($months, substring-before(substring-after(substring-after($value, ', '), ' '), ' '))">
        <xsl:variable name="rest" select="substring-after($value, ', ')"/>
        <xsl:variable name="day" select="substring-before($rest, ' ')"/>
        <xsl:variable name="r2" select="substring-after($rest, ' ')"/>
        <xsl:variable name="mon" select="substring-before($r2, ' ')"/>
        <xsl:variable name="r3" select="substring-after($r2, ' ')"/>
        <xsl:variable name="year" select="substring-before($r3, ' ')"/>
        <xsl:variable name="r4" select="substring-after($r3, ' ')"/>
        <xsl:variable name="time" select="substring-before($r4, ' ')"/>
        <xsl:variable name="off" select="substring-after($r4, ' ')"/>
        <xsl:variable name="month" select="(string-length(substring-before($months, $mon)) div 3) + 1"/>
        <xsl:variable name="zone">
          <xsl:choose>
            <xsl:when test="string-length($off) = 5 and (starts-with($off, '+') or starts-with($off, '-'))">
              <xsl:value-of select="concat(substring($off, 1, 3), ':', substring($off, 4, 2))"/>
            </xsl:when>
            <xsl:when test="$off = 'GMT' or $off = 'UT' or $off = 'Z'">+00:00</xsl:when>
          </xsl:choose>
        </xsl:variable>
        <time>
          <xsl:if test="$zone != '' and string-length($mon) = 3 and string-length($year) = 4 and string-length($time) = 8">
            <xsl:attribute name="datetime">
              <xsl:value-of select="concat($year, '-', format-number($month, '00'), '-', format-number($day, '00'), 'T', $time, $zone)"/>
            </xsl:attribute>
          </xsl:if>
          <xsl:value-of select="concat(number($day), ' ', $mon, ' ', $year, ', ', substring($time, 1, 5))"/>
          <xsl:call-template name="zone"><xsl:with-param name="offset" select="$zone"/></xsl:call-template>
        </time>
      </xsl:when>
      <xsl:otherwise>
        <time><xsl:value-of select="$value"/></time>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="zone">
    <xsl:param name="offset"/>
    <xsl:choose>
      <xsl:when test="$offset = '+00:00' or $offset = '-00:00'"> UTC</xsl:when>
      <xsl:when test="$offset != ''"> UTC<xsl:value-of select="$offset"/></xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- feedsmith's content HTML as text: the part before "Related coverage", tags dropped. -->
  <xsl:template name="content-to-text">
    <xsl:param name="html"/>
    <xsl:variable name="main">
      <xsl:choose>
        <xsl:when test="contains($html, '&lt;h3&gt;Related coverage&lt;/h3&gt;')">
          <xsl:value-of select="substring-before($html, '&lt;h3&gt;Related coverage&lt;/h3&gt;')"/>
        </xsl:when>
        <xsl:otherwise><xsl:value-of select="$html"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:call-template name="html-to-text">
      <xsl:with-param name="html" select="string($main)"/>
    </xsl:call-template>
  </xsl:template>

  <!--
    Escaped HTML as plain text: tags are dropped, then entities decoded. The output is text,
    escaped again by the serialiser, so nothing here can become markup. Recursion depth is
    bounded (libxslt gives up at 3000): tags are stripped one per level but at most
    $max-tags of them (the text after that is dropped), and decoding splits long strings in
    two where no entity is cut, so its depth is logarithmic.
  -->
  <xsl:template name="html-to-text">
    <xsl:param name="html"/>
    <xsl:variable name="stripped">
      <xsl:call-template name="strip-tags">
        <xsl:with-param name="s" select="substring($html, 1, $max-input)"/>
        <xsl:with-param name="budget" select="$max-tags"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:call-template name="decode">
      <xsl:with-param name="s" select="string($stripped)"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="strip-tags">
    <xsl:param name="s"/>
    <xsl:param name="budget"/>
    <xsl:choose>
      <xsl:when test="not(contains($s, '&lt;'))">
        <xsl:value-of select="$s"/>
      </xsl:when>
      <xsl:when test="$budget > 0">
        <xsl:value-of select="substring-before($s, '&lt;')"/>
        <!-- A space where a block starts or ends, so paragraphs do not run together. -->
        <xsl:variable name="tag" select="substring-before(substring-after($s, '&lt;'), '&gt;')"/>
        <xsl:variable name="tag-name"
            select="translate(substring-before(concat(translate($tag, '&#9;&#10;&#13;', '   '), ' '), ' '), $upper, $lower)"/>
        <xsl:if test="contains('|p|/p|br|br/|hr|hr/|li|/li|/ul|/ol|/h1|/h2|/h3|/h4|/h5|/h6|/div|/blockquote|/pre|/tr|/td|/th|/figcaption|', concat('|', $tag-name, '|'))">
          <xsl:text> </xsl:text>
        </xsl:if>
        <xsl:call-template name="strip-tags">
          <xsl:with-param name="s" select="substring-after(substring-after($s, '&lt;'), '&gt;')"/>
          <xsl:with-param name="budget" select="$budget - 1"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="substring-before($s, '&lt;')"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="decode">
    <xsl:param name="s"/>
    <xsl:variable name="second" select="substring($s, floor(string-length($s) div 2) + 1)"/>
    <xsl:variable name="first" select="substring($s, 1, floor(string-length($s) div 2))"/>
    <xsl:choose>
      <xsl:when test="not(contains($s, '&amp;'))">
        <xsl:value-of select="$s"/>
      </xsl:when>
      <xsl:when test="string-length($s) &lt;= 64">
        <xsl:call-template name="decode-linear">
          <xsl:with-param name="s" select="$s"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="contains($second, '&amp;')">
        <xsl:call-template name="decode">
          <xsl:with-param name="s" select="concat($first, substring-before($second, '&amp;'))"/>
        </xsl:call-template>
        <xsl:call-template name="decode">
          <xsl:with-param name="s" select="concat('&amp;', substring-after($second, '&amp;'))"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <!-- Every '&' is in the first half; an entity that starts there ends within 8. -->
        <xsl:call-template name="decode">
          <xsl:with-param name="s" select="substring($s, 1, string-length($first) + 8)"/>
        </xsl:call-template>
        <xsl:value-of select="substring($s, string-length($first) + 9)"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="decode-linear">
    <xsl:param name="s"/>
    <xsl:choose>
      <xsl:when test="contains($s, '&amp;')">
        <xsl:value-of select="substring-before($s, '&amp;')"/>
        <xsl:variable name="rest" select="substring-after($s, '&amp;')"/>
        <xsl:variable name="name" select="translate(substring-before($rest, ';'), 'X', 'x')"/>
        <xsl:variable name="char">
          <xsl:choose>
            <xsl:when test="not(contains($rest, ';')) or string-length($name) > 6"/>
            <xsl:when test="$name = 'amp' or $name = '#38' or $name = '#x26'">&amp;</xsl:when>
            <xsl:when test="$name = 'lt' or $name = '#60' or $name = '#x3c' or $name = '#x3C'">&lt;</xsl:when>
            <xsl:when test="$name = 'gt' or $name = '#62' or $name = '#x3e' or $name = '#x3E'">&gt;</xsl:when>
            <xsl:when test="$name = 'quot' or $name = '#34' or $name = '#x22'">"</xsl:when>
            <xsl:when test="$name = 'apos' or $name = '#39' or $name = '#x27'">'</xsl:when>
            <xsl:when test="$name = 'nbsp' or $name = '#160' or $name = '#xa0' or $name = '#xA0'">&#160;</xsl:when>
          </xsl:choose>
        </xsl:variable>
        <xsl:choose>
          <xsl:when test="$char != ''">
            <xsl:value-of select="$char"/>
            <xsl:call-template name="decode-linear">
              <xsl:with-param name="s" select="substring-after($rest, ';')"/>
            </xsl:call-template>
          </xsl:when>
          <xsl:otherwise>
            <xsl:text>&amp;</xsl:text>
            <xsl:call-template name="decode-linear">
              <xsl:with-param name="s" select="$rest"/>
            </xsl:call-template>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="$s"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ================================================================ style -->
  <xsl:variable name="css">
:root {
  color-scheme: light dark;
  --bg: #f4f5f7; --card: #ffffff; --text: #1b1d21; --muted: #4d5562; --line: #d9dde3;
  --link: #0b57b0; --visited: #6a3fa0; --accent: #b4410f; --about: #fff7e6; --about-line: #e8b04a;
  --code: #eef1f5;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #15171b; --card: #1f2228; --text: #eceef2; --muted: #b3bac5; --line: #353a43;
    --link: #8ab8ff; --visited: #c9a6ff; --accent: #ff9f66; --about: #2a2417; --about-line: #a77b22;
    --code: #2b2f37;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--text);
  font: 1.0625rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
}
.wrap { max-width: 46rem; margin: 0 auto; padding: 0 1.25rem; }
a { color: var(--link); text-underline-offset: 0.15em; }
a:visited { color: var(--visited); }
a:hover { text-decoration-thickness: 2px; }
a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; border-radius: 2px; }
.top { background: var(--card); border-bottom: 1px solid var(--line); padding: 2rem 0 1.5rem; }
.badge {
  display: inline-flex; align-items: center; gap: 0.45rem; margin: 0 0 0.75rem;
  font-size: 0.8125rem; font-weight: 700; letter-spacing: 0.06em; text-transform: uppercase;
  color: var(--accent);
}
.dot {
  width: 0.7rem; height: 0.7rem; border-radius: 50%; background: var(--accent);
  box-shadow: 0 0 0 3px color-mix(in srgb, var(--accent) 25%, transparent);
}
h1 { font-size: clamp(1.6rem, 4.5vw, 2.2rem); line-height: 1.2; margin: 0 0 0.5rem; overflow-wrap: anywhere; }
.lede { margin: 0 0 0.5rem; color: var(--muted); font-size: 1.125rem; }
.site { margin: 0; }
.about {
  margin: 1.5rem 0; padding: 1rem 1.25rem; background: var(--about);
  border: 1px solid var(--about-line); border-left-width: 5px; border-radius: 6px;
}
.about h2 { font-size: 1.125rem; margin: 0 0 0.35rem; }
.about p { margin: 0.35rem 0; }
.self { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.25rem 0.6rem; }
.label { font-size: 0.875rem; font-weight: 600; color: var(--muted); }
.url {
  font: 0.9375rem/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace;
  background: var(--code); border: 1px solid var(--line); border-radius: 4px; padding: 0.15rem 0.45rem;
  overflow-wrap: anywhere; user-select: all; -webkit-user-select: all;
}
.more { font-size: 0.9375rem; }
.sep { color: var(--muted); }
.count { font-size: 0.9375rem; font-weight: 700; color: var(--muted); margin: 2rem 0 0.75rem; }
.hint { font-weight: 400; }
.entries { list-style: none; margin: 0; padding: 0; }
.entries > li { margin: 0 0 0.9rem; }
.entry {
  background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.15rem;
  display: grid; gap: 0.75rem 1.15rem; grid-template-columns: minmax(0, 1fr);
}
.entry.has-img { grid-template-columns: minmax(0, 1fr) 9.5rem; }
.entry h3 { font-size: 1.1875rem; line-height: 1.3; margin: 0 0 0.3rem; overflow-wrap: anywhere; }
.entry h3 a { text-decoration: none; }
.entry h3 a:hover, .entry h3 a:focus-visible { text-decoration: underline; }
.meta { margin: 0 0 0.4rem; font-size: 0.875rem; color: var(--muted); }
.provider { font-weight: 600; }
.summary { margin: 0; overflow-wrap: anywhere; }
.entry img {
  display: block; width: 100%; height: auto; aspect-ratio: 4 / 3; object-fit: cover;
  border-radius: 6px; background: var(--code);
}
.empty { color: var(--muted); }
.foot { color: var(--muted); font-size: 0.875rem; padding-top: 0.5rem; padding-bottom: 2rem; }
@media (max-width: 34rem) {
  .wrap { padding: 0 1rem; }
  .entry.has-img { grid-template-columns: minmax(0, 1fr); }
  .entry.has-img img { grid-row: 1; aspect-ratio: 16 / 9; }
  .hint { display: none; }
}
  </xsl:variable>
</xsl:stylesheet>
