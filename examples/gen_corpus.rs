//! Deterministic synthetic corpus generator for feedsmith.
//!
//! Writes `--count` article documents in the same shape as the real seed
//! article (`seeds/000_89ee00ab69bf1abb.txt`): a `---` line, a YAML front
//! matter mapping, a closing `---` line and an optional Markdown body. The
//! corpus is meant for load tests, benchmarks and fuzz-style robustness
//! checks of the publisher:
//!
//! * roughly 4.5 KB per article, a Markdown body on about half of them;
//! * Zipf-like (s = 1.0) topic popularity over `--topics` topic names, some
//!   multi-word and some non-ASCII, 1–4 distinct topics per article;
//! * about 60 providers, 0–3 images, 0–4 related items with their own
//!   providers, ~3 % of articles with `published: false`;
//! * dates spread over 2015-01-01..2025-12-31 with mixed UTC offsets, and a
//!   unique `webUrl` per article;
//! * text with non-ASCII words, typographic punctuation, the odd emoji and
//!   the odd piece of markup-like text (`<script>alert(1)</script>`, `AT&T`,
//!   `x < y`, `]]>`) that the publisher has to escape, plus titles that
//!   need YAML escaping of `"` and `\`.
//!
//! Output is byte-for-byte deterministic for a given set of arguments: every
//! article draws from its own PRNG stream derived from `--seed` and its index,
//! so the result does not depend on the number of worker threads. Files are
//! named `NNNNNNN_<16 hex>.txt` and spread over subfolders holding at most
//! 1000 files each (`out/0000/`, `out/0001/`, ...). Existing files with the
//! same names are overwritten; other files in `--out` are left alone, so
//! remove the folder first when generating a smaller corpus into it.
//!
//! Three optional flags shape the corpus for particular tests. Without them
//! the output is exactly what it was before they existed; each draws from its
//! own PRNG streams, so turning one on leaves everything else in every article
//! as it was:
//!
//! * `--body-bytes N`: every article gets a Markdown body of about `N` bytes
//!   (paragraphs are added until the body reaches `N`, so it ends up to a few
//!   KB above), instead of a short body on about half of them. With
//!   `--count 10000 --seed 7 --topics 120 --body-bytes 185000` the 50-entry
//!   feeds come to 10.6 MB (Atom) without a size budget: ten times over
//!   feedsmith's default `max_feed_bytes` of 1 MB.
//! * `--variants PCT`: that percent of the articles (0–100) re-publish an
//!   earlier article's story: its title, excerpt, provider, topics, images and
//!   body, under another file name, a later `publishedDateTime` (10 minutes to
//!   3 days after the story's), and a variant of its link that a reader would
//!   open as the same page: `http:` instead of `https:`; an added
//!   `utm_source`/`utm_medium`, `fbclid`, `gclid` or `mc_cid`/`mc_eid` query;
//!   a `#fragment`; or capitals in the host. These are the duplicates a
//!   canonical link comparison finds and an exact one misses (except the host
//!   capitals, which any URL parser lowercases). The earlier article is picked
//!   uniformly among those before it; a pick that is itself a variant stands
//!   for the story it re-publishes. The summary line counts them per kind.
//! * `--updated PCT`: that percent of the articles (0–100) carry an
//!   `updatedDateTime` 5 minutes to 30 days after their `publishedDateTime`,
//!   in an offset drawn independently (so often not the publication's).
//! * `--no-markup`: the word `markup` stands where a markup-like fragment
//!   (`<b>bold</b>`, `&amp;`, …) would go, the same draws made, so nothing
//!   else changes. Feeds of such text are correct, but the W3C validator's
//!   heuristics warn on any title that holds tag- or entity-like text
//!   (`ContainsHTML`); this tells those warnings apart from real ones.
//!
//! Run it with:
//!
//! ```text
//! cargo run --release --example gen_corpus -- --count 100000 --out /tmp/corpus [--seed 42] [--topics 300]
//!     [--body-bytes N] [--variants PCT] [--updated PCT]
//! ```
//!
//! It only uses the standard library, so it also builds standalone:
//! `rustc --edition 2021 -O examples/gen_corpus.rs -o /tmp/gen_corpus`.

use std::collections::HashSet;
use std::fmt::{self, Write as _};
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Instant;

/// Articles per subfolder.
const FILES_PER_DIR: usize = 1000;

/// Zipf exponent of the topic popularity.
const ZIPF_S: f64 = 1.0;

const USAGE: &str = "usage: gen_corpus --out DIR [--count N] [--seed S] [--topics T]

  --out DIR    output folder (required; created if missing)
  --count N    number of articles to write (default 10000)
  --seed S     PRNG seed (default 42); same arguments give identical files
  --topics T   number of distinct topic names (default 300)
  --body-bytes N   give every article a Markdown body of about N bytes (default: a
                   short body on about half of them)
  --variants PCT   PCT % of the articles re-publish an earlier story under a variant
                   of its link (http/https, utm_*/fbclid/gclid/mc_cid, #fragment,
                   host capitals), later and under another file name (default 0)
  --updated PCT    PCT % of the articles carry an updatedDateTime after their
                   publication (default 0)
  --no-markup      write the word `markup` where a markup-like fragment would go
                   (every other byte stays the same)";

fn main() -> ExitCode {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(msg) => {
            eprintln!("gen_corpus: {msg}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("gen_corpus: {err}");
            ExitCode::from(2)
        }
    }
}

// ---------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------

struct Args {
    count: usize,
    out: PathBuf,
    seed: u64,
    topics: usize,
    options: Options,
}

/// The optional shapes of the corpus; the default changes nothing.
#[derive(Debug, Clone, Copy, Default)]
struct Options {
    /// `--body-bytes`: every body about this long.
    body_bytes: Option<usize>,
    /// `--variants`: percent of articles that re-publish an earlier story.
    variants: u32,
    /// `--updated`: percent of articles with an `updatedDateTime`.
    updated: u32,
}

impl Args {
    /// Parses the arguments; `Ok(None)` means help was requested.
    fn parse(mut argv: impl Iterator<Item = String>) -> Result<Option<Self>, String> {
        let mut count = 10_000usize;
        let mut out = None;
        let mut seed = 42u64;
        let mut topics = 300usize;
        let mut options = Options::default();
        while let Some(arg) = argv.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => (flag.to_owned(), Some(value)),
                _ => (arg.clone(), None),
            };
            if flag == "-h" || flag == "--help" {
                return Ok(None);
            }
            let mut value = || -> Result<String, String> {
                match inline {
                    Some(v) => Ok(v.to_owned()),
                    None => argv.next().ok_or_else(|| format!("{flag} needs a value")),
                }
            };
            match flag.as_str() {
                "--count" => count = parse_number(&flag, &value()?)?,
                "--out" => out = Some(PathBuf::from(value()?)),
                "--seed" => seed = parse_number(&flag, &value()?)?,
                "--topics" => topics = parse_number(&flag, &value()?)?,
                "--body-bytes" => options.body_bytes = Some(parse_number(&flag, &value()?)?),
                "--variants" => options.variants = parse_percent(&flag, &value()?)?,
                "--updated" => options.updated = parse_percent(&flag, &value()?)?,
                "--no-markup" => PLAIN.store(true, std::sync::atomic::Ordering::Relaxed),
                _ => return Err(format!("unknown argument `{arg}`")),
            }
        }
        let out = out.ok_or("--out DIR is required")?;
        if topics == 0 {
            return Err("--topics must be at least 1".to_owned());
        }
        Ok(Some(Args {
            count,
            out,
            seed,
            topics,
            options,
        }))
    }
}

fn parse_percent(flag: &str, value: &str) -> Result<u32, String> {
    match value.parse::<u32>() {
        Ok(p) if p <= 100 => Ok(p),
        _ => Err(format!(
            "{flag}: `{value}` is not a percentage from 0 to 100"
        )),
    }
}

fn parse_number<T: std::str::FromStr>(flag: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{flag}: `{value}` is not a valid non-negative integer"))
}

// ---------------------------------------------------------------------------
// Driver
// ---------------------------------------------------------------------------

fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    fs::create_dir_all(&args.out)
        .map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;

    let corpus = Corpus::new(args.seed, args.topics, args.options);
    let chunks = args.count.div_ceil(FILES_PER_DIR);
    let workers = thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(chunks.max(1));
    let next_chunk = AtomicUsize::new(0);

    let totals = thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| -> io::Result<(u64, u64, Tally)> {
                    let mut files = 0u64;
                    let mut bytes = 0u64;
                    let mut tally = Tally::default();
                    let mut buf = String::with_capacity(16 * 1024);
                    loop {
                        let chunk = next_chunk.fetch_add(1, Ordering::Relaxed);
                        if chunk >= chunks {
                            return Ok((files, bytes, tally));
                        }
                        let dir = args.out.join(format!("{chunk:04}"));
                        fs::create_dir_all(&dir).map_err(|e| with_path(&e, &dir))?;
                        let first = chunk * FILES_PER_DIR;
                        let last = (first + FILES_PER_DIR).min(args.count);
                        for index in first..last {
                            let (name, extras) = corpus.write_article(index as u64, &mut buf);
                            tally.add(&extras);
                            let path = dir.join(name);
                            write_file(&path, buf.as_bytes())?;
                            files += 1;
                            bytes += buf.len() as u64;
                        }
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(io::Error::other("worker panicked")))
            })
            .collect::<io::Result<Vec<_>>>()
    })?;

    let mut tally = Tally::default();
    let (files, bytes) = totals.iter().fold((0u64, 0u64), |(f, b), (tf, tb, t)| {
        tally.merge(t);
        (f + tf, b + tb)
    });
    let elapsed = start.elapsed().as_secs_f64();
    let avg = bytes.checked_div(files).unwrap_or(0);
    println!(
        "wrote {files} files, {bytes} bytes (avg {avg} B/file) to {} in {elapsed:.2}s",
        args.out.display()
    );
    // Only with the optional flags, so that the default output stays as it was.
    if args.options.variants > 0 {
        let kinds: Vec<String> = VARIANT_KINDS
            .iter()
            .zip(tally.variants)
            .map(|(kind, n)| format!("{kind} {n}"))
            .collect();
        println!(
            "variants: {} articles re-publish an earlier story ({})",
            tally.variants.iter().sum::<u64>(),
            kinds.join(", ")
        );
    }
    if args.options.updated > 0 {
        println!(
            "updated: {} articles carry an updatedDateTime",
            tally.updated
        );
    }
    Ok(())
}

/// What the optional flags did to one article.
#[derive(Debug, Default)]
struct Extras {
    /// The index in [`VARIANT_KINDS`] of its link variant, when it re-publishes a story.
    variant: Option<usize>,
    /// It carries an `updatedDateTime`.
    updated: bool,
}

/// [`Extras`] counted over many articles.
#[derive(Debug, Default)]
struct Tally {
    variants: [u64; VARIANT_KINDS.len()],
    updated: u64,
}

impl Tally {
    fn add(&mut self, extras: &Extras) {
        if let Some(kind) = extras.variant {
            self.variants[kind] += 1;
        }
        self.updated += u64::from(extras.updated);
    }

    fn merge(&mut self, other: &Tally) {
        for (a, b) in self.variants.iter_mut().zip(other.variants) {
            *a += b;
        }
        self.updated += other.updated;
    }
}

/// Writes one file in a single `write_all`: the whole article is already
/// built in memory, so an extra `BufWriter` would only add a copy.
fn write_file(path: &Path, contents: &[u8]) -> io::Result<()> {
    let mut file = fs::File::create(path).map_err(|e| with_path(&e, path))?;
    file.write_all(contents).map_err(|e| with_path(&e, path))
}

fn with_path(err: &io::Error, path: &Path) -> io::Error {
    io::Error::new(err.kind(), format!("{}: {err}", path.display()))
}

// ---------------------------------------------------------------------------
// PRNG: splitmix64 for seeding, xoshiro256** for the streams
// ---------------------------------------------------------------------------

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// An independent stream for (`seed`, `stream`, `index`).
    fn new(seed: u64, stream: u64, index: u64) -> Self {
        let mut sm = seed;
        let mut key = splitmix64(&mut sm) ^ stream;
        let mut sm = splitmix64(&mut key) ^ index;
        let s = [
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
        ];
        Rng { s }
    }

    fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in `0..n` (`n > 0`), Lemire's multiply-high mapping.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    fn range_usize(&mut self, lo: usize, hi: usize) -> usize {
        self.range(lo as u64, hi as u64) as usize
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

const STREAM_ARTICLE: u64 = 0x4152_5449_434C_4531;
const STREAM_TOPICS: u64 = 0x544F_5049_4353_3031;
/// `--variants`, `--updated`, `--body-bytes`: streams of their own, so that each flag
/// leaves every other draw of an article as it was.
const STREAM_VARIANT: u64 = 0x5641_5249_414E_5431;
const STREAM_UPDATED: u64 = 0x5550_4441_5445_4431;
const STREAM_BODY: u64 = 0x424F_4459_4259_5431;

/// The kinds of link variant of `--variants`, in the order they are counted.
const VARIANT_KINDS: &[&str] = &[
    "http",
    "utm_*",
    "fbclid",
    "gclid",
    "mc_cid",
    "fragment",
    "host case",
];

/// Fragments a `--variants` link may end in.
const FRAGMENTS: &[&str] = &["comments", "top", "update-1", "section-2", "main-content"];

// ---------------------------------------------------------------------------
// Word lists
// ---------------------------------------------------------------------------

const PROVIDERS: &[(&str, &str)] = &[
    ("theregister", "theregister.com"),
    ("Nasdaq", "nasdaq.com"),
    ("CRN", "crn.com"),
    ("CRN Australia", "crn.com.au"),
    ("techzine", "techzine.eu"),
    ("The Verge", "theverge.com"),
    ("Ars Technica", "arstechnica.com"),
    ("Wired", "wired.com"),
    ("TechCrunch", "techcrunch.com"),
    ("Engadget", "engadget.com"),
    ("ZDNet", "zdnet.com"),
    ("CNET", "cnet.com"),
    ("Reuters", "reuters.com"),
    ("Bloomberg", "bloomberg.com"),
    ("Financial Times", "ft.com"),
    ("The Guardian", "theguardian.com"),
    ("BBC News", "bbc.co.uk"),
    ("Le Monde", "lemonde.fr"),
    ("Les Échos", "lesechos.fr"),
    ("Le Figaro", "lefigaro.fr"),
    ("Süddeutsche Zeitung", "sueddeutsche.de"),
    ("Der Spiegel", "spiegel.de"),
    ("heise online", "heise.de"),
    ("Golem.de", "golem.de"),
    ("Frankfurter Allgemeine", "faz.net"),
    ("El País", "elpais.com"),
    ("Corriere della Sera", "corriere.it"),
    ("NRC", "nrc.nl"),
    ("日本経済新聞", "nikkei.com"),
    ("ITmedia", "itmedia.co.jp"),
    ("Nikkei Asia", "asia.nikkei.com"),
    ("South China Morning Post", "scmp.com"),
    ("The Hindu", "thehindu.com"),
    ("The Economic Times", "economictimes.indiatimes.com"),
    ("ABC News", "abc.net.au"),
    ("iTnews", "itnews.com.au"),
    ("The Globe and Mail", "theglobeandmail.com"),
    ("CBC News", "cbc.ca"),
    ("VentureBeat", "venturebeat.com"),
    ("InfoWorld", "infoworld.com"),
    ("Computerworld", "computerworld.com"),
    ("The Next Web", "thenextweb.com"),
    ("Tom's Hardware", "tomshardware.com"),
    ("AnandTech", "anandtech.com"),
    ("PCWorld", "pcworld.com"),
    ("Forbes", "forbes.com"),
    ("Business Insider", "businessinsider.com"),
    ("CNBC", "cnbc.com"),
    ("MarketWatch", "marketwatch.com"),
    ("Axios", "axios.com"),
    ("Politico Europe", "politico.eu"),
    ("Euronews", "euronews.com"),
    ("Deutsche Welle", "dw.com"),
    ("Al Jazeera", "aljazeera.com"),
    ("Nature", "nature.com"),
    ("New Scientist", "newscientist.com"),
    ("Quanta Magazine", "quantamagazine.org"),
    ("Phoronix", "phoronix.com"),
    ("LWN.net", "lwn.net"),
    ("AT&T Newsroom", "about.att.com"),
    ("9to5Mac", "9to5mac.com"),
    ("Android Police", "androidpolice.com"),
];

/// Hand-picked topics, in popularity order (rank 0 is the most popular).
const CURATED_TOPICS: &[&str] = &[
    "AI",
    "Technology",
    "Business",
    "Cloud Computing",
    "AI Hardware",
    "Microsoft AI",
    "Économie",
    "Cybersecurity",
    "Startups",
    "Climate",
    "Smartphones",
    "日本",
    "Semiconductors",
    "Space",
    "Electric Vehicles",
    "Open Source",
    "Künstliche Intelligenz",
    "Gaming",
    "Health",
    "Finance",
    "Politik",
    "5G",
    "Santé",
    "C++",
    "Datenschutz",
    "中国经济",
    "Energía",
    "Rust",
    "Privacy",
    "Machine Learning",
    "Société Générale",
    "Zürich",
    "Robotics",
    "Quantum Computing",
    "München",
    "Wi-Fi 7",
    "Web3",
    "São Paulo",
    "한국 기술",
    "Россия",
];

#[rustfmt::skip]
const TOPIC_PREFIXES: &[&str] = &[
    "AI", "Cloud", "Quantum", "Mobile", "Green", "Data", "Edge", "Consumer", "Enterprise", "Open",
    "Digital", "Cyber", "Smart", "Neural", "Autonomous", "Renewable", "Global", "Retail", "Crypto",
    "Space", "Bio", "Nano", "European", "Asian", "Deutsche", "Française",
];

#[rustfmt::skip]
const TOPIC_SUFFIXES: &[&str] = &[
    "Hardware", "Software", "Policy", "Security", "Markets", "Research", "Startups", "Regulation",
    "Chips", "Networks", "Energy", "Computing", "Healthcare", "Infrastructure", "Gaming",
    "Privacy", "Robotics", "Batteries", "Storage", "Analytics", "Wirtschaft", "Technologie",
    "Politique", "Mobility",
];

#[rustfmt::skip]
const WORDS: &[&str] = &[
    "the", "a", "of", "to", "and", "in", "for", "on", "with", "as", "by", "at", "from", "its",
    "will", "has", "is", "are", "was", "new", "first", "largest", "public", "cloud", "deploy",
    "clusters", "training", "model", "models", "chips", "company", "companies", "market",
    "revenue", "quarter", "growth", "investors", "analysts", "said", "says", "announced",
    "revealed", "plans", "launch", "launches", "expands", "partnership", "deal", "billion",
    "million", "percent", "shares", "users", "customers", "platform", "service", "services",
    "software", "hardware", "data", "centre", "center", "network", "security", "breach", "privacy",
    "regulators", "lawmakers", "government", "policy", "rules", "court", "ruling", "report",
    "study", "researchers", "scientists", "engineers", "developers", "open", "source", "release",
    "version", "update", "feature", "features", "performance", "efficiency", "energy", "power",
    "battery", "electric", "vehicles", "factory", "supply", "chain", "shortage", "prices",
    "inflation", "interest", "rates", "bank", "banks", "startup", "startups", "funding", "round",
    "valuation", "acquisition", "merger", "rival", "rivals", "competition", "strategy",
    "executive", "executives", "chief", "officer", "board", "workers", "jobs", "layoffs", "hiring",
    "remote", "office", "summit", "conference", "keynote", "benchmark", "results", "earnings",
    "forecast", "outlook", "demand", "global", "regional", "local", "european", "american",
    "asian", "faster", "cheaper", "smaller", "bigger", "better", "worse", "early", "late", "next",
    "last", "year", "years", "month", "week", "today", "tomorrow", "recently", "quickly", "slowly",
    "largely", "mostly", "reportedly", "officially", "publicly", "privately", "while", "although",
    "because", "after", "before", "during", "despite", "across", "between", "against", "without",
    "into", "over", "under", "about", "more", "less", "most", "many", "several", "some", "few",
    "every", "other", "such", "only", "also", "still", "even", "already", "again", "instead",
    "generation", "instances", "processors", "accelerators", "inference", "workloads",
    "infrastructure", "capacity", "storage", "latency", "bandwidth", "throughput", "satellite",
    "launchpad", "orbit", "mission", "telescope", "vaccine", "trial", "patients", "hospital",
    "climate", "emissions", "carbon", "solar", "wind", "grid", "heatwave", "drought", "flood",
    "election", "campaign", "vote", "parliament", "minister", "ministry", "agency", "commission",
    "treaty", "tariffs", "exports", "imports", "smartphone", "laptop", "tablet", "headset",
    "console", "game", "games", "streaming", "subscribers", "advertising", "search", "browser",
    "app", "apps",
];

#[rustfmt::skip]
const PROPER_NOUNS: &[&str] = &[
    "Microsoft", "Azure", "AMD", "Nvidia", "Google", "Meta", "OpenAI", "Apple", "Intel", "TSMC",
    "Samsung", "Amazon", "AWS", "IBM", "Oracle", "Tesla", "SpaceX", "Huawei", "Alibaba", "Tencent",
    "Sony", "Nintendo", "Siemens", "SAP", "ASML", "Arm", "Qualcomm", "Broadcom", "Cisco",
    "Netflix", "Spotify", "Airbus", "Boeing", "NASA", "ESA", "Brussels", "Washington", "Beijing",
    "Tokyo", "Berlin", "Paris", "London", "Sydney", "Toronto", "Bangalore", "Singapore",
    "Instinct", "Graviton", "Copilot", "Gemini", "Llama", "Linux", "Kubernetes", "Android", "iOS",
    "Windows",
];

#[rustfmt::skip]
const NON_ASCII_WORDS: &[&str] = &[
    "café", "naïve", "Müller", "Straße", "über", "résumé", "façade", "Zürich", "São Paulo",
    "Ångström", "Gödel", "crème", "déjà vu", "fiancée", "München", "Kraków", "Bundesamt", "Größe",
    "Äpfel", "señor", "Économie", "Société", "Fußball", "Øresund", "Łódź", "Tōkyō", "東京", "日本",
    "北京", "서울", "Москва", "Ελλάδα", "company’s", "it’s", "—", "—", "–", "“large-scale”", "“first”",
    "«précis»", "…", "€5bn", "£2m", "¥300", "±5%", "½", "naïveté", "coöperation", "Beyoncé",
    "Renée",
];

const EMOJI: &[&str] = &["🚀", "📈", "🤖", "🔥", "💡", "🌍", "✅", "⚡"];

/// `--no-markup`: write [`PLAIN_MARKUP`] in place of every [`MARKUP`] fragment.
static PLAIN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// What `--no-markup` writes for a markup-like fragment.
const PLAIN_MARKUP: &str = "markup";

/// A markup-like fragment, or [`PLAIN_MARKUP`] under `--no-markup`; the draw is the same.
fn markup(rng: &mut Rng) -> &'static str {
    let fragment = rng.pick(MARKUP);
    if PLAIN.load(std::sync::atomic::Ordering::Relaxed) {
        PLAIN_MARKUP
    } else {
        fragment
    }
}

/// Markup-like fragments the publisher must escape (or sanitise in bodies).
const MARKUP: &[&str] = &[
    "<script>alert(1)</script>",
    "AT&T",
    "x < y",
    "]]>",
    "<b>bold</b>",
    "Q&A",
    "a > b",
    "&amp;",
    "<img src=x onerror=alert(1)>",
    "R&D",
];

/// Fragments that need YAML escaping inside double-quoted titles.
const QUOTE_BAIT: &[&str] = &[
    "\"smart\"",
    "the \"cloud\"",
    "C:\\Windows",
    "\\d+ regex",
    "\"AI-first\"",
    "back\\slash",
    "12\" display",
];

const IMAGE_WIDTHS: &[u32] = &[300, 480, 640, 800, 894, 1024, 1200, 1280, 1400, 1600, 1920];
/// Aspect ratios as (width, height) multipliers.
const ASPECTS: &[(u32, u32)] = &[(16, 9), (3, 2), (4, 3), (1, 1), (894, 534), (14, 9)];

#[rustfmt::skip]
const CATEGORIES: &[&str] = &[
    "news", "news", "news", "news", "business", "technology", "science", "world",
];

/// UTC offsets in seconds with their textual form.
const OFFSETS: &[(i64, &str)] = &[
    (0, "Z"),
    (0, "Z"),
    (0, "Z"),
    (3600, "+01:00"),
    (3600, "+01:00"),
    (-5 * 3600, "-05:00"),
    (-5 * 3600, "-05:00"),
    (5 * 3600 + 1800, "+05:30"),
];

// ---------------------------------------------------------------------------
// Corpus: shared, read-only tables
// ---------------------------------------------------------------------------

struct Corpus {
    seed: u64,
    options: Options,
    topics: Vec<String>,
    /// Cumulative Zipf weights, `cdf[k] = sum_{j <= k} 1 / (j + 1)^s`.
    cdf: Vec<f64>,
    first_second: i64,
    last_second: i64,
}

impl Corpus {
    fn new(seed: u64, topic_count: usize, options: Options) -> Self {
        let topics = topic_names(seed, topic_count);
        let mut total = 0.0;
        let cdf = (0..topics.len())
            .map(|k| {
                total += 1.0 / ((k + 1) as f64).powf(ZIPF_S);
                total
            })
            .collect();
        // Keep a few hours of margin so every local date, whatever the
        // offset, stays within 2015-01-01..2025-12-31.
        let first_second = days_from_civil(2015, 1, 1) * 86_400 + 6 * 3600;
        let last_second = days_from_civil(2025, 12, 31) * 86_400 + 18 * 3600;
        Corpus {
            seed,
            options,
            topics,
            cdf,
            first_second,
            last_second,
        }
    }

    fn zipf_topic(&self, rng: &mut Rng) -> usize {
        let total = self.cdf[self.cdf.len() - 1];
        let u = rng.unit() * total;
        self.cdf
            .partition_point(|&c| c <= u)
            .min(self.cdf.len() - 1)
    }

    /// Builds article `index` into `out` and returns its file name and what the optional
    /// flags did to it.
    fn write_article(&self, index: u64, out: &mut String) -> (String, Extras) {
        out.clear();
        let mut rng = Rng::new(self.seed, STREAM_ARTICLE, index);
        let name = format!("{index:07}_{:016x}.txt", rng.next_u64());
        let mut extras = Extras::default();
        let mut article = match self.variant_pick(index) {
            None => Article::new(self, &mut rng, index),
            Some((picked, mut vrng)) => {
                // The story's own stream, past its file name: the same article again (its
                // rendering below draws the same `secured` and body too).
                let story = self.story_of(picked);
                rng = Rng::new(self.seed, STREAM_ARTICLE, story);
                rng.next_u64();
                let mut article = Article::new(self, &mut rng, story);
                let kind = vrng.below(VARIANT_KINDS.len() as u64) as usize;
                article.republish(self, &mut vrng, kind);
                extras.variant = Some(kind);
                article
            }
        };
        article.updated = self.updated_stamp(index, &article.stamp);
        extras.updated = article.updated.is_some();
        // Writing into a `String` cannot fail.
        let _ = article.render(self, &mut rng, out);
        (name, extras)
    }

    /// `--variants`: `Some` when article `index` re-publishes an earlier story, with the
    /// article it picked and the rest of its variant stream.
    fn variant_pick(&self, index: u64) -> Option<(u64, Rng)> {
        if self.options.variants == 0 || index == 0 {
            return None;
        }
        let mut rng = Rng::new(self.seed, STREAM_VARIANT, index);
        if rng.below(100) >= u64::from(self.options.variants) {
            return None;
        }
        let picked = rng.below(index);
        Some((picked, rng))
    }

    /// The original article of the story article `index` tells (itself, for an original).
    /// Each step goes to an earlier article, so it ends.
    fn story_of(&self, mut index: u64) -> u64 {
        while let Some((picked, _)) = self.variant_pick(index) {
            index = picked;
        }
        index
    }

    /// `--updated`: an update 5 minutes to 30 days after `published`, in an offset of its
    /// own, for that percent of the articles.
    fn updated_stamp(&self, index: u64, published: &Stamp) -> Option<Stamp> {
        if self.options.updated == 0 {
            return None;
        }
        let mut rng = Rng::new(self.seed, STREAM_UPDATED, index);
        if rng.below(100) >= u64::from(self.options.updated) {
            return None;
        }
        Some(Stamp {
            utc: published.utc + rng.range(300, 30 * 86_400) as i64,
            offset: rng.below(OFFSETS.len() as u64) as usize,
        })
    }
}

/// `count` unique topic names: the curated ones first (most popular), then
/// prefix/suffix combinations in a seed-dependent order, then numbered
/// variants if even more are asked for.
fn topic_names(seed: u64, count: usize) -> Vec<String> {
    let mut taken: HashSet<String> = HashSet::new();
    let mut names: Vec<String> = Vec::with_capacity(count);
    for &t in CURATED_TOPICS {
        if taken.insert(t.to_owned()) {
            names.push(t.to_owned());
        }
    }
    let mut combos: Vec<String> = Vec::new();
    for p in TOPIC_PREFIXES {
        for s in TOPIC_SUFFIXES {
            let name = format!("{p} {s}");
            if taken.insert(name.clone()) {
                combos.push(name);
            }
        }
    }
    let mut rng = Rng::new(seed, STREAM_TOPICS, 0);
    for i in (1..combos.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        combos.swap(i, j);
    }
    let base_len = names.len() + combos.len();
    names.extend(combos);
    let mut i = 0;
    while names.len() < count {
        let name = format!("{} {}", names[i % base_len], i / base_len + 2);
        names.push(name);
        i += 1;
    }
    names.truncate(count);
    names
}

// ---------------------------------------------------------------------------
// Articles
// ---------------------------------------------------------------------------

struct Stamp {
    utc: i64,
    offset: usize,
}

impl Stamp {
    fn random(corpus: &Corpus, rng: &mut Rng) -> Self {
        let span = (corpus.last_second - corpus.first_second) as u64;
        Stamp {
            utc: corpus.first_second + rng.range(0, span) as i64,
            offset: rng.below(OFFSETS.len() as u64) as usize,
        }
    }

    /// A time up to three days after `base`, clamped to the corpus range.
    fn near(corpus: &Corpus, rng: &mut Rng, base: &Stamp) -> Self {
        let utc = base.utc + rng.range(600, 3 * 86_400) as i64;
        Stamp {
            utc: utc.clamp(corpus.first_second, corpus.last_second),
            offset: rng.below(OFFSETS.len() as u64) as usize,
        }
    }

    /// Local civil time: (year, month, day, hour, minute, second).
    fn local(&self) -> (i64, u32, u32, u32, u32, u32) {
        let t = self.utc + OFFSETS[self.offset].0;
        let days = t.div_euclid(86_400);
        let secs = t.rem_euclid(86_400) as u32;
        let (y, m, d) = civil_from_days(days);
        (y, m, d, secs / 3600, secs / 60 % 60, secs % 60)
    }

    fn write_rfc3339(&self, out: &mut String) -> fmt::Result {
        let (y, mo, d, h, mi, s) = self.local();
        write!(
            out,
            "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{}",
            OFFSETS[self.offset].1
        )
    }
}

struct Image {
    url: String,
    width: u32,
    height: u32,
    cached: bool,
}

impl Image {
    fn random(rng: &mut Rng, domain: &str, stamp: &Stamp) -> Self {
        let width = rng.pick(IMAGE_WIDTHS);
        let (aw, ah) = rng.pick(ASPECTS);
        let height = width * ah / aw;
        let (y, m, d, ..) = stamp.local();
        let ext = rng.pick(&["jpg", "jpg", "jpg", "png", "webp"]);
        let url = match rng.below(3) {
            0 => format!(
                "https://img.{domain}/{y}/{m:02}/{d:02}/{:012x}.{ext}",
                rng.next_u64() >> 16
            ),
            1 => format!(
                "https://cdn.{domain}/images/{w}x{h}/{:016x}.{ext}?v={}",
                rng.next_u64(),
                rng.range(1, 9),
                w = width,
                h = height
            ),
            _ => format!(
                "https://{domain}/wp-content/uploads/{y}/{m:02}/photo-{}-{width}x{height}.{ext}",
                rng.range(1000, 999_999)
            ),
        };
        Image {
            url,
            width,
            height,
            cached: rng.chance(0.8),
        }
    }

    fn random_list(rng: &mut Rng, domain: &str, stamp: &Stamp, max: u64) -> Vec<Self> {
        let n = rng.range(0, max);
        (0..n).map(|_| Image::random(rng, domain, stamp)).collect()
    }
}

struct Related {
    title: String,
    excerpt: String,
    stamp: Stamp,
    url: String,
    amp: bool,
    kind: &'static str,
    provider: usize,
    quality: u64,
    images: Vec<Image>,
}

struct Article {
    category: &'static str,
    title: String,
    excerpt: String,
    stamp: Stamp,
    provider: usize,
    url: String,
    tracking: bool,
    amp: bool,
    kind: &'static str,
    quality: u64,
    heat: u64,
    published: bool,
    topics: Vec<usize>,
    images: Vec<Image>,
    related: Vec<Related>,
    /// `--updated`: its `updatedDateTime`.
    updated: Option<Stamp>,
    /// `--variants`: the link it is published under when it re-publishes a story (`url`
    /// stays the story's, for the AMP links).
    variant_url: Option<String>,
    /// The article whose story it tells (its own index for an original): keys the
    /// `--body-bytes` body, so a re-published story has the same body.
    story: u64,
}

impl Article {
    fn new(corpus: &Corpus, rng: &mut Rng, index: u64) -> Self {
        let provider = rng.below(PROVIDERS.len() as u64) as usize;
        let domain = PROVIDERS[provider].1;
        let stamp = Stamp::random(corpus, rng);
        let title = title_text(rng);
        let url = article_url(domain, &stamp, &title, &index.to_string());
        let excerpt = make_excerpt(rng);

        let wanted = rng.range_usize(1, 4).min(corpus.topics.len());
        let mut topics = Vec::with_capacity(wanted);
        while topics.len() < wanted {
            let t = corpus.zipf_topic(rng);
            if !topics.contains(&t) {
                topics.push(t);
            }
        }

        let images = Image::random_list(rng, domain, &stamp, 3);
        let related_count = rng.range(0, 4);
        let related = (0..related_count)
            .map(|j| {
                let provider = rng.below(PROVIDERS.len() as u64) as usize;
                let domain = PROVIDERS[provider].1;
                let rstamp = Stamp::near(corpus, rng, &stamp);
                let rtitle = title_text(rng);
                let url = article_url(domain, &rstamp, &rtitle, &format!("{index}-r{j}"));
                Related {
                    excerpt: make_excerpt(rng),
                    title: rtitle,
                    url,
                    amp: rng.chance(0.5),
                    kind: "article",
                    provider,
                    quality: rng.range(20, 150),
                    images: Image::random_list(rng, domain, &rstamp, 1),
                    stamp: rstamp,
                }
            })
            .collect();

        let heat = (rng.unit().powi(3) * 1000.0) as u64;
        Article {
            category: rng.pick(CATEGORIES),
            title,
            excerpt,
            stamp,
            provider,
            url,
            tracking: rng.chance(0.3),
            amp: rng.chance(0.85),
            kind: rng.pick(&[
                "article", "article", "article", "article", "video", "opinion",
            ]),
            quality: rng.range(0, 150),
            heat,
            published: !rng.chance(0.03),
            topics,
            images,
            related,
            updated: None,
            variant_url: None,
            story: index,
        }
    }

    /// Makes this article (an earlier one's story) a re-publication of it: a later date
    /// and the link variant `kind` (an index in [`VARIANT_KINDS`]).
    fn republish(&mut self, corpus: &Corpus, rng: &mut Rng, kind: usize) {
        let later = self.stamp.utc + rng.range(600, 3 * 86_400) as i64;
        self.stamp = Stamp {
            utc: later.min(corpus.last_second).max(self.stamp.utc + 1),
            offset: rng.below(OFFSETS.len() as u64) as usize,
        };
        // Its own tracked originalUrl would stack a second query on the variant's.
        self.tracking = false;
        let url = &self.url;
        let token = rng.next_u64();
        self.variant_url = Some(match VARIANT_KINDS[kind] {
            "http" => url.replacen("https://", "http://", 1),
            "utm_*" => format!(
                "{url}?utm_source={}&utm_medium={}",
                rng.pick(&["newsletter", "twitter", "facebook", "rss"]),
                rng.pick(&["email", "social", "referral"])
            ),
            "fbclid" => format!("{url}?fbclid=IwAR{token:016x}"),
            "gclid" => format!("{url}?gclid=Cj0KCQ{token:016x}"),
            "mc_cid" => format!(
                "{url}?mc_cid={:010x}&mc_eid={:010x}",
                token >> 24,
                rng.next_u64() >> 24
            ),
            "fragment" => format!("{url}#{}", rng.pick(FRAGMENTS)),
            _ => host_capitals(url),
        });
    }

    fn render(&self, corpus: &Corpus, rng: &mut Rng, out: &mut String) -> fmt::Result {
        let (name, domain) = PROVIDERS[self.provider];
        let link = self.variant_url.as_deref().unwrap_or(&self.url);
        out.push_str("---\n");
        writeln!(out, "category: {}", self.category)?;
        push_field_quoted(out, "", "title", &self.title);
        push_field_quoted(out, "", "excerpt", &self.excerpt);
        out.push_str("publishedDateTime: ");
        self.stamp.write_rfc3339(out)?;
        out.push('\n');
        if let Some(updated) = &self.updated {
            out.push_str("updatedDateTime: ");
            updated.write_rfc3339(out)?;
            out.push('\n');
        }
        if self.tracking {
            let original = format!("{link}?utm_source=rss&utm_medium=feed");
            push_field_quoted(out, "", "originalUrl", &original);
        } else {
            push_field_quoted(out, "", "originalUrl", link);
        }
        push_field_quoted(out, "", "webUrl", link);
        if self.amp {
            push_amp_urls(out, "", domain, &self.url);
        }
        writeln!(out, "type: {}", self.kind)?;
        writeln!(out, "quality: {}", self.quality)?;
        writeln!(out, "heat: {}", self.heat)?;
        writeln!(out, "published: {}", self.published)?;

        out.push_str("\nprovider:\n  name: ");
        push_scalar(out, name);
        writeln!(out, "\n  domain: {domain}")?;

        out.push_str("\ntopics:\n");
        for &t in &self.topics {
            out.push_str("  - ");
            push_scalar(out, &corpus.topics[t]);
            out.push('\n');
        }

        out.push('\n');
        push_images(out, "", &self.images)?;

        out.push('\n');
        if self.related.is_empty() {
            out.push_str("related: []\n");
        } else {
            out.push_str("related:\n");
        }
        for r in &self.related {
            let (rname, rdomain) = PROVIDERS[r.provider];
            push_field_quoted(out, "  - ", "title", &r.title);
            push_field_quoted(out, "    ", "excerpt", &r.excerpt);
            out.push_str("    publishedDateTime: ");
            r.stamp.write_rfc3339(out)?;
            out.push('\n');
            push_field_quoted(out, "    ", "webUrl", &r.url);
            if r.amp {
                push_amp_urls(out, "    ", rdomain, &r.url);
            }
            writeln!(out, "    type: {}", r.kind)?;
            out.push_str("    provider:\n      name: ");
            push_scalar(out, rname);
            writeln!(out, "\n      domain: {rdomain}")?;
            writeln!(out, "    quality: {}", r.quality)?;
            if !r.images.is_empty() {
                push_images(out, "    ", &r.images)?;
            }
        }

        out.push_str("\nsecured: \"");
        let main_len = rng.range_usize(250, 262);
        push_base64(out, rng, main_len);
        out.push(';');
        push_base64(out, rng, 16);
        out.push_str("\"\n---\n\n");

        // Drawn even with --body-bytes, which does not use it, to keep the stream as it was.
        let short_body = rng.chance(0.5);
        match corpus.options.body_bytes {
            None if short_body => body(rng, out),
            None => {}
            Some(bytes) => {
                let mut rng = Rng::new(corpus.seed, STREAM_BODY, self.story);
                sized_body(&mut rng, bytes, out);
            }
        }
        Ok(())
    }
}

/// `--body-bytes`: bodies one after another (a blank line between) until `bytes` bytes of
/// Markdown were written; nothing for 0.
fn sized_body(rng: &mut Rng, bytes: usize, out: &mut String) {
    let start = out.len();
    while out.len() - start < bytes {
        if out.len() > start {
            out.push('\n');
        }
        body(rng, out);
    }
}

/// `https://www.the-host.com/path` with each label of the host capitalised:
/// `https://Www.The-host.Com/path`.
fn host_capitals(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("https", url));
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let host: Vec<String> = host
        .split('.')
        .map(|label| {
            let mut s = String::with_capacity(label.len());
            push_capitalized(&mut s, label);
            s
        })
        .collect();
    format!("{scheme}://{}{path}", host.join("."))
}

fn push_images(out: &mut String, indent: &str, images: &[Image]) -> fmt::Result {
    if images.is_empty() {
        writeln!(out, "{indent}images: []")?;
        return Ok(());
    }
    writeln!(out, "{indent}images:")?;
    for img in images {
        push_field_quoted(out, &format!("{indent}  - "), "url", &img.url);
        writeln!(out, "{indent}    width: {}", img.width)?;
        writeln!(out, "{indent}    height: {}", img.height)?;
        writeln!(out, "{indent}    isCached: {}", img.cached)?;
    }
    Ok(())
}

/// `ampWebUrl` and `cdnAmpWebUrl` derived from a canonical URL.
fn push_amp_urls(out: &mut String, indent: &str, domain: &str, url: &str) {
    let path = url
        .strip_prefix("https://")
        .and_then(|rest| rest.split_once('/'))
        .map_or("", |(_, path)| path);
    let amp = format!("https://{domain}/amp/{path}");
    // AMP cache host: '-' doubled, then '.' turned into '-'.
    let cache_host = domain.replace('-', "--").replace('.', "-");
    let cdn = format!("https://{cache_host}.cdn.ampproject.org/c/s/{domain}/amp/{path}");
    push_field_quoted(out, indent, "ampWebUrl", &amp);
    push_field_quoted(out, indent, "cdnAmpWebUrl", &cdn);
}

fn article_url(domain: &str, stamp: &Stamp, title: &str, n: &str) -> String {
    let (y, m, ..) = stamp.local();
    format!("https://{domain}/{y:04}/{m:02}/{}-{n}", slug(title))
}

/// Lowercase ASCII slug with a little transliteration, at most ~60 bytes.
fn slug(title: &str) -> String {
    let mut s = String::with_capacity(64);
    let mut dash = true;
    for c in title.chars() {
        let mapped: &str = match c {
            'a'..='z' | '0'..='9' => {
                s.push(c);
                dash = false;
                continue;
            }
            'A'..='Z' => {
                s.push(c.to_ascii_lowercase());
                dash = false;
                continue;
            }
            'à' | 'á' | 'â' | 'ä' | 'å' | 'Å' | 'Ä' | 'ã' => "a",
            'é' | 'è' | 'ê' | 'ë' | 'É' => "e",
            'í' | 'ì' | 'î' | 'ï' => "i",
            'ó' | 'ò' | 'ô' | 'ö' | 'ø' | 'Ö' | 'Ø' | 'ō' => "o",
            'ú' | 'ù' | 'û' | 'ü' | 'Ü' => "u",
            'ç' => "c",
            'ñ' => "n",
            'ß' => "ss",
            'ł' | 'Ł' => "l",
            'ź' => "z",
            _ => "",
        };
        if mapped.is_empty() {
            if !dash {
                s.push('-');
                dash = true;
            }
        } else {
            s.push_str(mapped);
            dash = false;
        }
        if s.len() >= 60 {
            break;
        }
    }
    while s.ends_with('-') {
        s.pop();
    }
    if s.is_empty() {
        s.push_str("article");
    }
    s
}

// ---------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------

/// One word of word salad; `spice` scales the odds of markup-like text.
fn word(rng: &mut Rng, spice: f64) -> &'static str {
    let r = rng.unit();
    let markup = 0.001 * spice;
    let emoji = markup + 0.0006;
    let non_ascii = emoji + 0.04;
    if r < markup {
        self::markup(rng)
    } else if r < emoji {
        rng.pick(EMOJI)
    } else if r < non_ascii {
        rng.pick(NON_ASCII_WORDS)
    } else if r < non_ascii + 0.1 {
        rng.pick(PROPER_NOUNS)
    } else {
        rng.pick(WORDS)
    }
}

fn push_capitalized(out: &mut String, w: &str) {
    let mut chars = w.chars();
    if let Some(first) = chars.next() {
        out.extend(first.to_uppercase());
        out.push_str(chars.as_str());
    }
}

fn sentence(rng: &mut Rng, out: &mut String, spice: f64) {
    let n = rng.range(7, 21);
    for i in 0..n {
        let w = word(rng, spice);
        if i == 0 {
            push_capitalized(out, w);
        } else {
            out.push(' ');
            out.push_str(w);
            if i + 1 < n && rng.chance(0.06) {
                out.push(',');
            }
        }
    }
    out.push(rng.pick(&['.', '.', '.', '.', '.', '.', '?', '!']));
}

/// A raw (unescaped) headline.
fn title_text(rng: &mut Rng) -> String {
    let mut t = String::with_capacity(96);
    let n = rng.range(5, 12);
    let title_case = rng.chance(0.5);
    let bait_at = if rng.chance(0.05) {
        rng.range(0, n - 1)
    } else {
        u64::MAX
    };
    let markup_at = if rng.chance(0.03) {
        rng.range(0, n - 1)
    } else {
        u64::MAX
    };
    for i in 0..n {
        if i > 0 {
            t.push(' ');
        }
        if i == bait_at {
            t.push_str(rng.pick(QUOTE_BAIT));
        } else if i == markup_at {
            t.push_str(markup(rng));
        } else {
            let w = word(rng, 0.0);
            if i == 0 || (title_case && w.len() > 3) {
                push_capitalized(&mut t, w);
            } else {
                t.push_str(w);
            }
        }
    }
    if rng.chance(0.1) {
        t.push_str(rng.pick(&[": report", " — analysis", "?", " (update)", " ’24"]));
    }
    t
}

/// 150–400 characters of text, sometimes ending in " ...".
fn make_excerpt(rng: &mut Rng) -> String {
    // Words are shorter than 30 characters, so stopping once `target` is
    // reached keeps the total below target + 30 + 4 <= 400.
    let target = rng.range_usize(150, 365);
    let mut s = String::with_capacity(target * 2);
    let mut chars = 0usize;
    let mut first = true;
    while chars < target {
        let w = word(rng, 1.0);
        if first {
            push_capitalized(&mut s, w);
            first = false;
        } else {
            s.push(' ');
            s.push_str(w);
            chars += 1;
        }
        chars += w.chars().count();
        if rng.chance(0.07) {
            s.push(rng.pick(&[',', '.', '.', ';']));
            chars += 1;
        }
    }
    if rng.chance(0.3) {
        s.push_str(" ...");
    }
    s
}

/// A Markdown body: a couple of paragraphs, sometimes a heading, a list, a
/// link, emphasis, inline code or a quote.
fn body(rng: &mut Rng, out: &mut String) {
    if rng.chance(0.3) {
        out.push_str("## ");
        let n = rng.range(3, 7);
        for i in 0..n {
            let w = word(rng, 0.0);
            if i == 0 {
                push_capitalized(out, w);
            } else {
                out.push(' ');
                out.push_str(w);
            }
        }
        out.push_str("\n\n");
    }
    let paragraphs = rng.range(2, 5);
    let list_after = if rng.chance(0.35) {
        rng.range(0, paragraphs - 1)
    } else {
        u64::MAX
    };
    for p in 0..paragraphs {
        let sentences = rng.range(3, 9);
        for s in 0..sentences {
            if s > 0 {
                out.push(' ');
            }
            match rng.below(40) {
                0..=3 => {
                    let (_, domain) = rng.pick(PROVIDERS);
                    out.push('[');
                    let n = rng.range(2, 4);
                    for i in 0..n {
                        if i > 0 {
                            out.push(' ');
                        }
                        out.push_str(word(rng, 0.0));
                    }
                    let _ = write!(
                        out,
                        "](https://{domain}/{}/{:08x})",
                        rng.pick(WORDS),
                        rng.next_u64() >> 32
                    );
                    out.push(' ');
                }
                4 | 5 => {
                    out.push_str("**");
                    out.push_str(rng.pick(PROPER_NOUNS));
                    out.push_str("** ");
                }
                6 => {
                    out.push('`');
                    out.push_str(rng.pick(&["x < y", "a && b", "Vec<u8>", "--release", "]]>"]));
                    out.push_str("` ");
                }
                _ => {}
            }
            sentence(rng, out, 1.0);
        }
        out.push_str("\n\n");
        if p == list_after {
            let items = rng.range(3, 5);
            let ordered = rng.chance(0.3);
            for i in 0..items {
                if ordered {
                    let _ = write!(out, "{}. ", i + 1);
                } else {
                    out.push_str("- ");
                }
                sentence(rng, out, 1.0);
                out.push('\n');
            }
            out.push('\n');
        }
        if rng.chance(0.08) {
            out.push_str("> ");
            sentence(rng, out, 1.0);
            out.push_str("\n\n");
        }
    }
    // Exactly one trailing newline.
    while out.ends_with("\n\n") {
        out.pop();
    }
}

// ---------------------------------------------------------------------------
// YAML and encoding helpers
// ---------------------------------------------------------------------------

/// `{prefix}{key}: "{escaped value}"\n`
fn push_field_quoted(out: &mut String, prefix: &str, key: &str, value: &str) {
    out.push_str(prefix);
    out.push_str(key);
    out.push_str(": ");
    push_double_quoted(out, value);
    out.push('\n');
}

/// A YAML double-quoted scalar.
fn push_double_quoted(out: &mut String, value: &str) {
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}' => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A plain scalar when that is unambiguous as a string, else double-quoted.
fn push_scalar(out: &mut String, value: &str) {
    const RESERVED: &[&str] = &[
        "y", "n", "yes", "no", "true", "false", "on", "off", "null", "~",
    ];
    let plain = !value.is_empty()
        && !value.starts_with(|c: char| c.is_ascii_digit())
        && !value.starts_with(' ')
        && !value.ends_with(' ')
        && value.chars().all(|c| c.is_alphanumeric() || c == ' ')
        && !RESERVED.iter().any(|r| r.eq_ignore_ascii_case(value));
    if plain {
        out.push_str(value);
    } else {
        push_double_quoted(out, value);
    }
}

fn push_base64(out: &mut String, rng: &mut Rng, len: usize) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut remaining = len;
    while remaining > 0 {
        let take = remaining.min(3);
        // `take` random bytes, left-aligned in 24 bits as base64 expects.
        let bits = (rng.next_u64() & ((1 << (8 * take)) - 1)) << (8 * (3 - take));
        for i in 0..4 {
            if i <= take {
                let idx = (bits >> (18 - 6 * i)) & 0x3F;
                out.push(char::from(ALPHABET[idx as usize]));
            } else {
                out.push('=');
            }
        }
        remaining -= take;
    }
}

// ---------------------------------------------------------------------------
// Calendar (proleptic Gregorian, after Howard Hinnant)
// ---------------------------------------------------------------------------

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}
