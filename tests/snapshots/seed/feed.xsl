<?xml version="1.0" encoding="utf-8"?>
<!-- Placeholder: the full stylesheet is being written. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="html" encoding="utf-8"/>
  <xsl:template match="/">
    <html><body><p>Feed</p></body></html>
  </xsl:template>
</xsl:stylesheet>
