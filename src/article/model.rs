//! The article's types, as serde reads them: shared by the YAML reference path
//! ([`super::Article::parse`]) and the fast path ([`super::fast`]), which both fill them.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;

use super::locate::Step;

/// A string value of the front matter: borrowed from the document's text when it is written
/// as it reads (most values are), owned when the YAML changes it (an escape, a doubled `''`).
/// So parsing allocates nothing for a value the entry will copy, clean, or ignore anyway.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text<'a>(pub Cow<'a, str>);

impl std::ops::Deref for Text<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<&str> for Text<'_> {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl<'a> From<&'a str> for Text<'a> {
    fn from(s: &'a str) -> Self {
        Text(Cow::Borrowed(s))
    }
}

impl From<String> for Text<'_> {
    fn from(s: String) -> Self {
        Text(Cow::Owned(s))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Asked for as a `String` is, so yaml_serde reads and reports it the same way.
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        d.deserialize_string(Visitor)
    }
}

/// A document's front matter, read: the article, and the keys it holds that feedsmith does
/// not read, each as its path (`provider.nmae` is `[Key("provider"), Key("nmae")]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<'a> {
    /// The article.
    pub article: Article<'a>,
    /// The keys not read, in document order.
    pub unread: Vec<Vec<Step>>,
}

/// An article's front matter. Its values, and those of the types below, may borrow from the
/// text they are read from (`'de: 'a`; see [`Text`]).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "'de: 'a"))]
pub struct Article<'a> {
    /// `category`: one section name, such as `news`.
    pub category: Option<Text<'a>>,
    /// `title`: the headline, plain text.
    pub title: Option<Text<'a>>,
    /// `excerpt`: a plain-text summary.
    pub excerpt: Option<Text<'a>>,
    /// `publishedDateTime`: RFC 3339, with a time and an offset.
    pub published_date_time: Option<Text<'a>>,
    /// `updatedDateTime`: when the article was last corrected, RFC 3339.
    pub updated_date_time: Option<Text<'a>>,
    /// `originalUrl`: the article at its publisher.
    pub original_url: Option<Text<'a>>,
    /// `webUrl`: the article's permanent address; its id in every feed.
    pub web_url: Option<Text<'a>>,
    /// `ampWebUrl`: the AMP version.
    pub amp_web_url: Option<Text<'a>>,
    /// `cdnAmpWebUrl`: the AMP version on a CDN.
    pub cdn_amp_web_url: Option<Text<'a>>,
    /// `type`: what kind of article it is, such as `story`.
    #[serde(rename = "type")]
    pub kind: Option<Text<'a>>,
    /// `quality`: an editorial quality score.
    pub quality: Option<Score>,
    /// `heat`: how much attention the story gets.
    pub heat: Option<Score>,
    /// `published`: `false` keeps a valid article out of every feed.
    pub published: Option<bool>,
    /// `provider`: who published it.
    pub provider: Option<Provider<'a>>,
    /// `topics`: topic names; each gets a feed.
    #[serde(default)]
    pub topics: Vec<Text<'a>>,
    /// `images`: the lead image first.
    #[serde(default)]
    pub images: Vec<Image<'a>>,
    /// `related`: related coverage.
    #[serde(default)]
    pub related: Vec<Related<'a>>,
    /// Present or not; its value is dropped by the parser.
    pub secured: Option<Secured>,
}

/// Who published an article.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "'de: 'a"))]
pub struct Provider<'a> {
    /// `name`: as shown to readers.
    pub name: Option<Text<'a>>,
    /// `domain`: a bare host name, such as `theregister.com`.
    pub domain: Option<Text<'a>>,
}

/// An image of an article or related item.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "'de: 'a"))]
pub struct Image<'a> {
    /// `url`: an absolute http(s) address.
    pub url: Option<Text<'a>>,
    /// `width` in pixels.
    pub width: Option<u32>,
    /// `height` in pixels.
    pub height: Option<u32>,
    /// `isCached`: read and ignored.
    pub is_cached: Option<bool>,
}

/// A related-coverage mini article.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "'de: 'a"))]
pub struct Related<'a> {
    /// `title`: the headline, plain text.
    pub title: Option<Text<'a>>,
    /// `excerpt`: a plain-text summary.
    pub excerpt: Option<Text<'a>>,
    /// `publishedDateTime`: RFC 3339, with a time and an offset.
    pub published_date_time: Option<Text<'a>>,
    /// `webUrl`: the article's permanent address; its id in every feed.
    pub web_url: Option<Text<'a>>,
    /// `ampWebUrl`: the AMP version.
    pub amp_web_url: Option<Text<'a>>,
    /// `cdnAmpWebUrl`: the AMP version on a CDN.
    pub cdn_amp_web_url: Option<Text<'a>>,
    /// `type`: what kind of article it is, such as `story`.
    #[serde(rename = "type")]
    pub kind: Option<Text<'a>>,
    /// `provider`: who published it.
    pub provider: Option<Provider<'a>>,
    /// `quality`: an editorial quality score.
    pub quality: Option<f64>,
    /// `images`: the lead image first.
    #[serde(default)]
    pub images: Vec<Image<'a>>,
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
