//! The article's types, as serde reads them: shared by the YAML reference path
//! ([`super::Article::parse`]) and the fast path ([`super::fast`]), which both fill them.

use serde::Deserialize;

use super::locate::Step;

/// A document's front matter, read: the article, and the keys it holds that feedsmith does
/// not read, each as its path (`provider.nmae` is `[Key("provider"), Key("nmae")]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The article.
    pub article: Article,
    /// The keys not read, in document order.
    pub unread: Vec<Vec<Step>>,
}

/// An article's front matter.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Article {
    /// `category`: one section name, such as `news`.
    pub category: Option<String>,
    /// `title`: the headline, plain text.
    pub title: Option<String>,
    /// `excerpt`: a plain-text summary.
    pub excerpt: Option<String>,
    /// `publishedDateTime`: RFC 3339, with a time and an offset.
    pub published_date_time: Option<String>,
    /// `updatedDateTime`: when the article was last corrected, RFC 3339.
    pub updated_date_time: Option<String>,
    /// `originalUrl`: the article at its publisher.
    pub original_url: Option<String>,
    /// `webUrl`: the article's permanent address; its id in every feed.
    pub web_url: Option<String>,
    /// `ampWebUrl`: the AMP version.
    pub amp_web_url: Option<String>,
    /// `cdnAmpWebUrl`: the AMP version on a CDN.
    pub cdn_amp_web_url: Option<String>,
    /// `type`: what kind of article it is, such as `story`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// `quality`: an editorial quality score.
    pub quality: Option<Score>,
    /// `heat`: how much attention the story gets.
    pub heat: Option<Score>,
    /// `published`: `false` keeps a valid article out of every feed.
    pub published: Option<bool>,
    /// `provider`: who published it.
    pub provider: Option<Provider>,
    /// `topics`: topic names; each gets a feed.
    #[serde(default)]
    pub topics: Vec<String>,
    /// `images`: the lead image first.
    #[serde(default)]
    pub images: Vec<Image>,
    /// `related`: related coverage.
    #[serde(default)]
    pub related: Vec<Related>,
    /// Present or not; its value is dropped by the parser.
    pub secured: Option<Secured>,
}

/// Who published an article.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Provider {
    /// `name`: as shown to readers.
    pub name: Option<String>,
    /// `domain`: a bare host name, such as `theregister.com`.
    pub domain: Option<String>,
}

/// An image of an article or related item.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Image {
    /// `url`: an absolute http(s) address.
    pub url: Option<String>,
    /// `width` in pixels.
    pub width: Option<u32>,
    /// `height` in pixels.
    pub height: Option<u32>,
    /// `isCached`: read and ignored.
    pub is_cached: Option<bool>,
}

/// A related-coverage mini article.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Related {
    /// `title`: the headline, plain text.
    pub title: Option<String>,
    /// `excerpt`: a plain-text summary.
    pub excerpt: Option<String>,
    /// `publishedDateTime`: RFC 3339, with a time and an offset.
    pub published_date_time: Option<String>,
    /// `webUrl`: the article's permanent address; its id in every feed.
    pub web_url: Option<String>,
    /// `ampWebUrl`: the AMP version.
    pub amp_web_url: Option<String>,
    /// `cdnAmpWebUrl`: the AMP version on a CDN.
    pub cdn_amp_web_url: Option<String>,
    /// `type`: what kind of article it is, such as `story`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// `provider`: who published it.
    pub provider: Option<Provider>,
    /// `quality`: an editorial quality score.
    pub quality: Option<f64>,
    /// `images`: the lead image first.
    #[serde(default)]
    pub images: Vec<Image>,
}

/// A `quality` or `heat` score: a finite number, zero or more. Anything else (a negative
/// number, `.inf`, `.nan`, a string) is a YAML error at the value's own line and column, so it
/// rejects the article as any wrong type does.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Score(f64);

impl Score {
    /// A score of `value`, when it is one: finite and not negative. `-0` is `0`.
    pub fn new(value: f64) -> Option<Score> {
        (value.is_finite() && value >= 0.0).then_some(Score(value + 0.0))
    }

    /// Its value.
    pub fn get(self) -> f64 {
        self.0
    }
}

impl<'de> Deserialize<'de> for Score {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // The check runs inside the visitor, while the parser still knows where the value
        // is, so the error carries its line and column and the key's name.
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Score;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a score: a finite number, zero or more")
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Score, E> {
                Score::new(v)
                    .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Float(v), &self))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Score, E> {
                self.visit_f64(v as f64)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Score, E> {
                self.visit_f64(v as f64)
            }
        }
        d.deserialize_f64(Visitor)
    }
}

/// The `secured` field: an opaque blob that is never published. Deserialising it reads past
/// the value without keeping any of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Secured;

impl<'de> Deserialize<'de> for Secured {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(d).map(|_| Secured)
    }
}
