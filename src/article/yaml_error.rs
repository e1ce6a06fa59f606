//! YAML errors in the author's words, at the line where the fault starts.
//!
//! yaml_serde passes on libyaml's parser jargon (`did not find expected key`) and the place
//! where the parser gave up, which is often lines after the fault: a quote that is never
//! closed swallows the lines below it, and the parser fails at the next quote it meets.
//! [`explain`] reads the front matter again around that place with a small scan of its own
//! (quoted values, flow `[` `{` collections, `|` `>` blocks, indentation), finds where the
//! fault starts, and says what is wrong and how to fix it. A message it does not know keeps
//! libyaml's words, prefixed with what was being read; serde's type errors (`invalid type:
//! ...`) pass through as they are.

/// A place in the front matter: 1-based line, and 1-based column counted in characters.
type Pos = (usize, usize);

/// A YAML error explained: what is wrong and the fix, and where in the front matter the
/// fault starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Explained {
    /// What is wrong and how to fix it.
    pub(super) message: String,
    /// 1-based line within the front matter.
    pub(super) line: usize,
    /// 1-based column within that line, in characters.
    pub(super) column: usize,
}

/// Explains the yaml_serde error `message` (its `Display`, with libyaml's " at line L column
/// C" marks) about the front matter `front`, reported at `at` (yaml_serde's location).
pub(super) fn explain(front: &str, message: &str, at: Option<Pos>) -> Explained {
    let error = Reported::parse(message);
    let mark = at.or(error.mark);
    let text = Text::new(front);
    let (message, (line, column)) = translate(&text, &error, mark).unwrap_or_else(|| {
        let message = match error.context.and_then(reading) {
            Some(what) => format!("invalid front matter: reading {what}: {}", error.problem),
            None => format!("invalid front matter: {}", error.problem),
        };
        (message, mark.unwrap_or((1, 1)))
    });
    Explained {
        message,
        line,
        column,
    }
}

const TAB_INDENT: &str =
    "a tab indents this line: YAML indents with spaces only; replace the tab with spaces";
const TAB_ELSEWHERE: &str =
    "a tab stands here, where YAML allows only spaces: replace the tab with a space";
const ESCAPE_FIX: &str = "write a backslash as \\\\, or use single quotes, in which \\ is plain";

/// An error as yaml_serde prints it, taken apart: libyaml's `{problem} at line L column C,
/// {context} at line L column C`, or serde's `{message} at line L column C`.
#[derive(Debug, Default, PartialEq)]
struct Reported<'a> {
    /// The message without its marks.
    problem: &'a str,
    /// Where the problem is.
    mark: Option<Pos>,
    /// Where the problem is, as a byte offset (libyaml's reader errors).
    offset: Option<usize>,
    /// What libyaml was reading: `while scanning a quoted scalar`.
    context: Option<&'a str>,
    /// Where what it was reading starts, when that is not where the problem is.
    context_mark: Option<Pos>,
}

impl<'a> Reported<'a> {
    fn parse(message: &'a str) -> Reported<'a> {
        // libyaml names a context only after a marked problem; a `, while ` in a type
        // error's quoted value is not followed by one of these.
        if let Some(i) = message.find(", while ") {
            let (head, context) = (&message[..i], &message[i + 2..]);
            if let Some((problem, mark)) = split_mark(head) {
                if context.starts_with("while scanning ") || context.starts_with("while parsing ") {
                    let (context, context_mark) = match split_mark(context) {
                        Some((context, at)) => (context, Some(at)),
                        None => (context, None),
                    };
                    return Reported {
                        problem,
                        mark: Some(mark),
                        context: Some(context),
                        context_mark,
                        ..Reported::default()
                    };
                }
            }
        }
        if let Some((problem, mark)) = split_mark(message) {
            return Reported {
                problem,
                mark: Some(mark),
                ..Reported::default()
            };
        }
        if let Some((problem, offset)) = message
            .rsplit_once(" at position ")
            .and_then(|(p, n)| Some((p, n.parse().ok()?)))
        {
            return Reported {
                problem,
                offset: Some(offset),
                ..Reported::default()
            };
        }
        Reported {
            problem: message,
            ..Reported::default()
        }
    }
}

/// `text` without a trailing ` at line L column C`, and that place.
fn split_mark(text: &str) -> Option<(&str, Pos)> {
    let (head, place) = text.rsplit_once(" at line ")?;
    let (line, column) = place.split_once(" column ")?;
    Some((head, (line.parse().ok()?, column.parse().ok()?)))
}

/// What libyaml was reading, in the author's words.
fn reading(context: &str) -> Option<&'static str> {
    Some(match context {
        "while scanning a quoted scalar" | "while parsing a quoted scalar" => "a quoted value",
        "while scanning a plain scalar" => "an unquoted value",
        "while scanning a block scalar" => "a `|` or `>` block of text",
        "while scanning a simple key" => "a key",
        "while parsing a block mapping" => "the `key: value` lines",
        "while parsing a block collection" => "a list of `- ` entries",
        "while parsing a flow sequence" => "a `[...]` list",
        "while parsing a flow mapping" => "a `{...}` mapping",
        "while parsing a flow node" | "while parsing a block node" => "a value",
        "while scanning a tag" => "a `!` tag",
        "while scanning an anchor" => "an `&` anchor",
        "while scanning an alias" => "a `*` alias",
        "while scanning a directive" => "a `%` directive",
        _ => return None,
    })
}

/// The message and place for a problem this module knows, or `None`.
fn translate(text: &Text, e: &Reported, mark: Option<Pos>) -> Option<(String, Pos)> {
    let problem = e.problem;
    if let Some(offset) = e.offset {
        return control_character(text, problem, offset);
    }
    if let Some(found) = duplicate(text, problem, mark) {
        return Some(found);
    }
    if problem == "deserializing from YAML containing more than one document is not supported" {
        return more_documents(text);
    }
    let at = mark?;
    let context = e.context.unwrap_or("");
    if problem.starts_with("found a tab character") {
        return Some((TAB_INDENT.into(), text.leading_tab(at.0).unwrap_or(at)));
    }
    if problem == "found character that cannot start any token" {
        return match text.char_at(at)? {
            '\t' => Some(match text.leading_tab(at.0) {
                Some(tab) => (TAB_INDENT.into(), tab),
                None => (TAB_ELSEWHERE.into(), at),
            }),
            '`' => Some((
                "a value cannot start with a backquote (`) in YAML: put the value in quotes".into(),
                at,
            )),
            c => Some((
                format!("a value cannot start with `{c}` in YAML: put the value in quotes"),
                at,
            )),
        };
    }
    // A tab in a line's indentation is read as part of the line, and the error that
    // follows talks of keys and indicators: name the tab instead.
    if matches!(
        problem,
        "did not find expected key"
            | "mapping values are not allowed in this context"
            | "did not find expected '-' indicator"
            | "block sequence entries are not allowed in this context"
            | "could not find expected ':'"
    ) {
        let lines = [Some(at.0), e.context_mark.map(|(line, _)| line)];
        if let Some(tab) = lines
            .into_iter()
            .flatten()
            .find_map(|l| text.leading_tab(l))
        {
            return Some((TAB_INDENT.into(), tab));
        }
    }
    if context == "while scanning a quoted scalar" {
        let start = e.context_mark.or_else(|| text.unclosed_quote())?;
        return Some((unclosed_quote(text, start), start));
    }
    match problem {
        "did not find expected key" => stray_closer(text, at)
            .or_else(|| quote_fault(text, at))
            .or_else(|| misindented(text, at)),
        "mapping values are not allowed in this context" => colon(text, at),
        "did not find expected '-' indicator" => {
            let first = e.context_mark.unwrap_or(at);
            let row = text.row(at.0)?;
            // A line between the entries' column and their keys' fits neither.
            if row.indent + 1 != first.1 {
                if let Some(found) = no_level(text, row) {
                    return Some(found);
                }
            }
            Some((not_an_entry(text, first), (at.0, row.indent + 1)))
        }
        "could not find expected ':'" => no_colon(text, e.context_mark.unwrap_or(at)),
        "block sequence entries are not allowed in this context" => {
            let message = match text.row(at.0).and_then(|row| row.key()) {
                Some(key) => format!(
                    "a list's `- ` entries go on their own lines below `{key}:`, indented, not \
                     on its line; if the value is text, put it in quotes"
                ),
                None => "a `- ` list entry cannot start here: put it on a line of its own; \
                         if the value is text, put it in quotes"
                    .into(),
            };
            Some((message, at))
        }
        "did not find expected ',' or ']'" | "did not find expected ',' or '}'" => {
            flow(text, at, e.context_mark)
        }
        "did not find expected node content" => stray_closer(text, at).or_else(|| {
            text.unclosed_bracket()
                .map(|b| unclosed_bracket(b.open, b.start))
        }),
        "found unknown escape character"
        | "did not find expected hexadecimal number"
        | "found invalid Unicode character escape code" => escape(text, problem, at),
        "unknown anchor" => {
            let name: String = text
                .line(at.0)
                .chars()
                .skip(at.1)
                .take_while(|c| !c.is_whitespace() && !",[]{}".contains(*c))
                .collect();
            Some((
                format!(
                    "`*{name}` refers to an anchor `&{name}` that is not defined above: in YAML \
                     a value that starts with `*` is a reference; if it is text, put it in quotes"
                ),
                at,
            ))
        }
        _ => indicator(text, context, e.context_mark),
    }
}

/// A double- or single-quoted value, as [`Text::new`] found it.
#[derive(Debug)]
struct Quoted {
    quote: char,
    start: Pos,
    /// Where its closing quote is; `None` when it runs to the end.
    end: Option<Pos>,
}

/// A flow collection's opening `[` or `{`, as [`Text::new`] found it.
#[derive(Debug)]
struct Bracket {
    open: char,
    start: Pos,
    closed: bool,
}

/// The front matter, with what a light scan of it found: where quoted values and flow
/// collections start and end, and which lines start outside both and outside `|` and `>`
/// blocks of text (the lines whose indentation is structure). The scan is not a YAML parser:
/// it knows only what placing an error needs, and an odd document can mislead it, in which
/// case the explanation is only less precise.
struct Text<'a> {
    front: &'a str,
    lines: Vec<&'a str>,
    structural: Vec<bool>,
    quoted: Vec<Quoted>,
    brackets: Vec<Bracket>,
}

impl<'a> Text<'a> {
    fn new(front: &'a str) -> Text<'a> {
        let lines: Vec<&str> = front
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .collect();
        let mut text = Text {
            front,
            structural: vec![false; lines.len()],
            lines,
            quoted: Vec::new(),
            brackets: Vec::new(),
        };
        text.scan();
        text
    }

    fn scan(&mut self) {
        // Open flow brackets (indices into `brackets`), a quoted value that runs on (index
        // into `quoted`), and a block of text: the indentation of the line that opened it,
        // and of its first line of text (every line of its text is indented at least as
        // much; the first line indented less ends it).
        let mut open: Vec<usize> = Vec::new();
        let mut inside: Option<usize> = None;
        let mut block: Option<(usize, Option<usize>)> = None;
        for (i, line) in self.lines.iter().enumerate() {
            let number = i + 1;
            let chars: Vec<char> = line.chars().collect();
            let indent = chars.iter().take_while(|&&c| c == ' ').count();
            if let Some((parent, text)) = block {
                if line.trim().is_empty() {
                    continue;
                }
                match text {
                    None if indent > parent => {
                        block = Some((parent, Some(indent)));
                        continue;
                    }
                    Some(text) if indent >= text => continue,
                    _ => block = None,
                }
            }
            let mut c;
            let mut value = true;
            if let Some(q) = inside {
                match closing(&chars, 0, self.quoted[q].quote) {
                    Some(end) => {
                        self.quoted[q].end = Some((number, end + 1));
                        inside = None;
                        c = end + 1;
                        value = false;
                    }
                    None => continue,
                }
            } else {
                self.structural[i] = open.is_empty();
                c = chars.iter().take_while(|&&c| c == ' ' || c == '\t').count();
            }
            while c < chars.len() {
                let ch = chars[c];
                let next = chars.get(c + 1).copied();
                let spaced = next.is_none_or(|n| n == ' ' || n == '\t');
                if value && (ch == '"' || ch == '\'') {
                    self.quoted.push(Quoted {
                        quote: ch,
                        start: (number, c + 1),
                        end: None,
                    });
                    match closing(&chars, c + 1, ch) {
                        Some(end) => {
                            self.quoted.last_mut().expect("pushed").end = Some((number, end + 1));
                            c = end + 1;
                            value = false;
                            continue;
                        }
                        None => {
                            inside = Some(self.quoted.len() - 1);
                            break;
                        }
                    }
                }
                match ch {
                    ' ' | '\t' => {}
                    '#' if c == 0 || chars[c - 1] == ' ' || chars[c - 1] == '\t' => break,
                    '|' | '>' if value && open.is_empty() => {
                        block = Some((indent, None));
                        break;
                    }
                    '[' | '{' if value || !open.is_empty() => {
                        open.push(self.brackets.len());
                        self.brackets.push(Bracket {
                            open: ch,
                            start: (number, c + 1),
                            closed: false,
                        });
                        value = true;
                    }
                    ']' | '}' if !open.is_empty() => {
                        let b = open.pop().expect("not empty");
                        self.brackets[b].closed = true;
                        value = false;
                    }
                    ',' if !open.is_empty() => value = true,
                    ':' if spaced
                        || (!open.is_empty() && next.is_some_and(|n| ",[]{}".contains(n))) =>
                    {
                        value = true
                    }
                    '-' | '?' if value && open.is_empty() && spaced => {}
                    _ => value = false,
                }
                c += 1;
            }
        }
    }

    /// Line `number` (1-based), or `""` past the end.
    fn line(&self, number: usize) -> &'a str {
        number
            .checked_sub(1)
            .and_then(|i| self.lines.get(i))
            .copied()
            .unwrap_or("")
    }

    fn char_at(&self, (line, column): Pos) -> Option<char> {
        self.line(line).chars().nth(column.checked_sub(1)?)
    }

    /// How many spaces start line `number`.
    fn indent(&self, number: usize) -> usize {
        self.line(number).chars().take_while(|&c| c == ' ').count()
    }

    /// Where the first tab in line `number`'s indentation is, if there is one.
    fn leading_tab(&self, number: usize) -> Option<Pos> {
        for (i, c) in self.line(number).chars().enumerate() {
            match c {
                '\t' => return Some((number, i + 1)),
                ' ' => {}
                _ => return None,
            }
        }
        None
    }

    /// Line `number` as structure: when it starts outside quoted values, flow collections
    /// and blocks of text, and is neither blank nor a comment.
    fn row(&self, number: usize) -> Option<Row<'a>> {
        if !*self.structural.get(number.checked_sub(1)?)? {
            return None;
        }
        let line = self.line(number);
        let text = line.trim_start_matches(' ');
        if text.trim().is_empty() || text.starts_with('#') {
            return None;
        }
        Some(Row {
            line: number,
            indent: line.len() - text.len(),
            text,
        })
    }

    /// The rows above line `number`, nearest first.
    fn rows_above(&self, number: usize) -> impl Iterator<Item = Row<'a>> + '_ {
        (1..number).rev().filter_map(|n| self.row(n))
    }

    /// Where the last quoted value that is never closed starts.
    fn unclosed_quote(&self) -> Option<Pos> {
        self.quoted
            .iter()
            .rev()
            .find(|q| q.end.is_none())
            .map(|q| q.start)
    }

    /// The innermost flow collection that is never closed.
    fn unclosed_bracket(&self) -> Option<&Bracket> {
        self.brackets.iter().rev().find(|b| !b.closed)
    }
}

/// The index of the quote that closes a value opened by `quote`, from `from` in `chars`.
fn closing(chars: &[char], from: usize, quote: char) -> Option<usize> {
    let mut i = from;
    while i < chars.len() {
        match chars[i] {
            '\\' if quote == '"' => i += 1,
            '\'' if quote == '\'' && chars.get(i + 1) == Some(&'\'') => i += 1,
            c if c == quote => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// A line of structure: its indentation and text.
#[derive(Debug, Clone, Copy)]
struct Row<'a> {
    line: usize,
    indent: usize,
    /// The line from its first non-space character.
    text: &'a str,
}

impl<'a> Row<'a> {
    /// True when the line is a `- ` list entry.
    fn entry(&self) -> bool {
        self.text == "-" || self.text.starts_with("- ") || self.text.starts_with("-\t")
    }

    /// What follows the entry's `- `, and its indentation, for an entry with text.
    fn inner(&self) -> Option<(usize, &'a str)> {
        if !self.entry() {
            return None;
        }
        let rest = &self.text[1..];
        let text = rest.trim_start_matches([' ', '\t']);
        (!text.is_empty()).then(|| (self.indent + 1 + (rest.len() - text.len()), text))
    }

    /// The key this line sets (an entry's first key), its indentation, and the 0-based
    /// character index of its `:` from that indentation.
    fn keyed(&self) -> Option<(&'a str, usize, usize)> {
        let (indent, text) = self.inner().unwrap_or((self.indent, self.text));
        let (key, colon) = key_in(text)?;
        Some((key, indent, colon))
    }

    fn key(&self) -> Option<&'a str> {
        self.keyed().map(|(key, _, _)| key)
    }
}

/// The key at the start of `text` and the character index of its `:`.
fn key_in(text: &str) -> Option<(&str, usize)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let (key, mut i) = match chars.first() {
        Some(&(_, q)) if q == '"' || q == '\'' => {
            let plain: Vec<char> = chars.iter().map(|&(_, c)| c).collect();
            let end = closing(&plain, 1, q)?;
            (&text[1..chars[end].0], end + 1)
        }
        _ => ("", 0),
    };
    while i < chars.len() {
        let (at, c) = chars[i];
        let spaced = chars.get(i + 1).is_none_or(|&(_, n)| n == ' ' || n == '\t');
        match c {
            ':' if spaced => {
                let key = if key.is_empty() {
                    text[..at].trim_end()
                } else {
                    key
                };
                return (!key.is_empty()).then_some((key, i));
            }
            '#' if i > 0 && chars[i - 1].1 == ' ' => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

/// `1 space`, `4 spaces`, `no spaces`.
fn spaces(n: usize) -> String {
    match n {
        0 => "no spaces".into(),
        1 => "1 space".into(),
        n => format!("{n} spaces"),
    }
}

/// The message for a quoted value, starting at `start`, that is never closed.
fn unclosed_quote(text: &Text, start: Pos) -> String {
    let line = text.line(start.0).trim_end();
    if text.char_at(start) == Some('\'') {
        return "the quote that opens this value is never closed: end it with ' on the same \
                line, or use double quotes"
            .into();
    }
    // A backslash before the last quote escapes it: `"C:\files\"`.
    let backslashes = line
        .strip_suffix('"')
        .map_or(0, |l| l.len() - l.trim_end_matches('\\').len());
    if backslashes % 2 == 1 && line.chars().count() > start.1 {
        return "the quote that opens this value is never closed: the \\\" at the end of the \
                line is an escaped quote, not the end; write a backslash as \\\\, or use single \
                quotes"
            .into();
    }
    "the quote that opens this value is never closed: end it with \" on the same line, or use \
     single quotes"
        .into()
}

/// When the parser stopped at `at` just after a quoted value's closing quote: a value whose
/// quote was never closed on its line (the parser took a later quote for its end), or text
/// after the closing quote.
fn quote_fault(text: &Text, at: Pos) -> Option<(String, Pos)> {
    let q = text.quoted.iter().rev().find(|q| {
        q.end.is_some_and(|(line, column)| {
            line == at.0
                && column < at.1
                && text
                    .line(line)
                    .chars()
                    .skip(column)
                    .take(at.1 - column - 1)
                    .all(char::is_whitespace)
        })
    })?;
    let end = q.end?;
    // A value meant to run over several lines indents the lines after its first; one that
    // swallowed the `key: value` lines below it did not.
    let opener = text.indent(q.start.0);
    let swallowed = (q.start.0 + 1..=end.0)
        .any(|l| !text.line(l).trim().is_empty() && text.indent(l) <= opener);
    if swallowed {
        return Some((unclosed_quote(text, q.start), q.start));
    }
    let inside = match q.quote {
        '"' => "write a quote inside it as \\\"",
        _ => "write an apostrophe inside it as ''",
    };
    Some((
        format!(
            "this quote ends the value, but more text follows it: put the whole value inside \
             the quotes, and {inside}"
        ),
        end,
    ))
}

/// A `]` or `}` at `at` that closes nothing.
fn stray_closer(text: &Text, at: Pos) -> Option<(String, Pos)> {
    let c = text.char_at(at)?;
    let opener = match c {
        ']' => '[',
        '}' => '{',
        _ => return None,
    };
    Some((format!("this `{c}` closes no `{opener}`: remove it"), at))
}

fn unclosed_bracket(open: char, start: Pos) -> (String, Pos) {
    let message = match open {
        '[' => "the `[` that opens this list is never closed: end the list with `]`",
        _ => "the `{` that opens this mapping is never closed: end the mapping with `}`",
    };
    (message.into(), start)
}

/// `did not find expected ',' or ']'` (or `'}'`) at `at`, in the flow collection that
/// starts at `start`.
fn flow(text: &Text, at: Pos, start: Option<Pos>) -> Option<(String, Pos)> {
    let bracket = match start {
        Some(start) => text.brackets.iter().find(|b| b.start == start),
        None => text.unclosed_bracket(),
    };
    if let Some(b) = bracket.filter(|b| !b.closed) {
        return Some(unclosed_bracket(b.open, b.start));
    }
    if let Some(found) = quote_fault(text, at) {
        return Some(found);
    }
    let message = match bracket.map_or('[', |b| b.open) {
        '[' => "the list needs a `,` or its closing `]` here: separate its items with commas, and put an item with spaces, commas or quotes in quotes as a whole",
        _ => "the mapping needs a `,` or its closing `}` here: separate its `key: value` pairs with commas, and put a value with spaces, commas or quotes in quotes as a whole",
    };
    Some((message.into(), at))
}

/// `did not find expected key` at `at`, once quotes and brackets are ruled out: a line
/// whose indentation fits no key above it, or a `- ` entry among `key: value` lines.
fn misindented(text: &Text, at: Pos) -> Option<(String, Pos)> {
    let row = text.row(at.0)?;
    let levels = levels(text, at.0);
    if row.entry() {
        if let Some(&(m, _)) = levels.iter().find(|(_, label)| label.is_none()) {
            if m != row.indent {
                return Some((
                    format!(
                        "this `- ` entry is indented by {}, the entries above it by {}: line \
                         it up with them",
                        spaces(row.indent),
                        spaces(m)
                    ),
                    at,
                ));
            }
        }
        return Some((
            "a `- ` list entry cannot stand among `key: value` lines: put it under the key it \
             belongs to, indented, as in `topics:` then `  - AI`"
                .into(),
            at,
        ));
    }
    no_level(text, row)
}

/// For a line whose indentation matches none of the levels above it: which it could have.
fn no_level(text: &Text, row: Row) -> Option<(String, Pos)> {
    let levels = levels(text, row.line);
    if levels.iter().any(|&(indent, _)| indent == row.indent) {
        return None;
    }
    let choices: Vec<String> = levels
        .iter()
        .map(|(indent, label)| match label {
            Some(key) => format!("like `{key}` ({})", spaces(*indent)),
            None => format!("like the `- ` entries ({})", spaces(*indent)),
        })
        .collect();
    Some((
        format!(
            "this line is indented by {}, which lines up with no key above it: indent it {}",
            spaces(row.indent),
            or_list(&choices)
        ),
        (row.line, row.indent + 1),
    ))
}

/// The indentations a line below the rows above `line` could have: each with the key found
/// there, or `None` for the `- ` entries of a list. Nearest (deepest) first.
fn levels(text: &Text, line: usize) -> Vec<(usize, Option<String>)> {
    let mut levels = Vec::new();
    let mut limit = usize::MAX;
    for row in text.rows_above(line) {
        if row.indent >= limit {
            continue;
        }
        if let Some((key, indent, _)) = row.keyed() {
            if indent > row.indent && indent < limit {
                levels.push((indent, Some(key.to_string())));
            }
        }
        if row.entry() {
            levels.push((row.indent, None));
        } else if let Some(key) = row.key() {
            levels.push((row.indent, Some(key.to_string())));
        }
        limit = row.indent;
        if limit == 0 {
            break;
        }
    }
    levels.dedup_by_key(|(indent, _)| *indent);
    levels
}

/// `a`, `a or b`, `a, b or c`.
fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// `mapping values are not allowed in this context` at the `:` at `at`: a key indented more
/// than the key above it (YAML reads the line as more of that key's value), or a `: ` inside
/// an unquoted value.
fn colon(text: &Text, at: Pos) -> Option<(String, Pos)> {
    let row = text.row(at.0)?;
    let (key, indent, colon) = row.keyed()?;
    if indent + colon + 1 == at.1 {
        let above = text.rows_above(at.0).find(|r| r.indent < row.indent);
        let message = match above.and_then(|r| r.keyed()) {
            Some((above, above_indent, _)) => format!(
                "`{key}` is indented more than `{above}` above it, so YAML reads it as part of \
                 the value of `{above}`: indent it like `{above}` ({})",
                spaces(above_indent)
            ),
            None => "this key is indented more than the line above it, so YAML reads it as \
                     part of that line's value: indent it like the keys it belongs with"
                .into(),
        };
        return Some((message, (at.0, row.indent + 1)));
    }
    // The value starts after the key's `: `.
    let line = text.line(at.0);
    let after = indent + colon + 1;
    let start = after
        + line
            .chars()
            .skip(after)
            .take_while(|c| *c == ' ' || *c == '\t')
            .count();
    let value: String = line.chars().skip(start).collect();
    let quotes = if value.contains('"') {
        "single quotes, writing an apostrophe inside it as ''"
    } else {
        "double quotes"
    };
    Some((
        format!(
            "this value holds `: `, which YAML reads as the start of a key: put the whole value \
             in {quotes}"
        ),
        (at.0, start + 1),
    ))
}

/// The message for a line, starting a list at `first` with its `- ` entries, that is not
/// an entry.
fn not_an_entry(text: &Text, first: Pos) -> String {
    let entries = first.1.saturating_sub(1);
    let owner = text
        .rows_above(first.0)
        .find(|r| r.indent < entries || (r.indent == entries && !r.entry()))
        .and_then(|r| r.keyed().map(|(key, indent, _)| (key, indent)));
    match owner {
        Some((key, indent)) if indent < entries => format!(
            "this line stands among the `- ` entries of `{key}` but is not one: start it with \
             `- ` to add an entry, or indent it like `{key}` to end the list"
        ),
        Some((key, _)) => format!(
            "this line stands among the `- ` entries of `{key}` but is not one: start it with \
             `- ` to add an entry"
        ),
        None => "this line stands among the `- ` entries of a list but is not one: start it \
                 with `- ` to add an entry"
            .into(),
    }
}

/// `could not find expected ':'` for the line that starts at `start`.
fn no_colon(text: &Text, start: Pos) -> Option<(String, Pos)> {
    let row = text.row(start.0)?;
    let word: String = row
        .text
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    if word.len() > 1 && word.starts_with('-') && !word.starts_with("--") {
        return Some((
            format!("`{word}` is text, not a list entry: put a space after the `-`"),
            start,
        ));
    }
    let entries_above = text
        .rows_above(start.0)
        .find(|r| r.indent <= row.indent)
        .filter(|r| r.indent == row.indent && r.entry());
    if let Some(entry) = entries_above {
        // The list's first entry is the first of the run of entries at this indentation.
        let first = text
            .rows_above(entry.line + 1)
            .take_while(|r| r.indent > row.indent || (r.indent == row.indent && r.entry()))
            .filter(|r| r.indent == row.indent)
            .last()
            .map_or(entry.line, |r| r.line);
        return Some((not_an_entry(text, (first, row.indent + 1)), start));
    }
    Some((
        "this line is not a `key: value` pair: add the `:` after its key, or indent it to \
         continue the value above"
            .into(),
        start,
    ))
}

/// An escape in a double-quoted value that YAML does not know: `\q`, `\x` without two
/// hexadecimal digits, `\uD800`.
fn escape(text: &Text, problem: &str, at: Pos) -> Option<(String, Pos)> {
    let chars: Vec<char> = text.line(at.0).chars().collect();
    // The parser marks the backslash, or for a number the digit it choked on.
    let backslash = chars.iter().take(at.1).rposition(|&c| c == '\\')?;
    let letter = chars.get(backslash + 1).copied();
    let message = match (problem, letter) {
        (_, None) => return None,
        ("did not find expected hexadecimal number", Some(x)) => {
            let digits = match x {
                'x' => 2,
                'u' => 4,
                _ => 8,
            };
            format!("`\\{x}` must be followed by {digits} hexadecimal digits: {ESCAPE_FIX}")
        }
        ("found invalid Unicode character escape code", Some(x)) => {
            let digits = if x == 'u' { 4 } else { 8 };
            let code: String = chars[backslash..].iter().take(digits + 2).collect();
            format!("`{code}` names no Unicode character: write the character itself instead")
        }
        (_, Some(x)) => format!("`\\{x}` is not an escape YAML knows: {ESCAPE_FIX}"),
    };
    Some((message, (at.0, backslash + 1)))
}

/// A tag (`!`), anchor (`&`), alias (`*`) or directive (`%`) libyaml could not read.
fn indicator(text: &Text, context: &str, start: Option<Pos>) -> Option<(String, Pos)> {
    let what = match context {
        "while scanning a tag" => "a tag",
        "while scanning an anchor" => "an anchor",
        "while scanning an alias" => "a reference to an anchor",
        "while scanning a directive" => "a directive",
        _ => return None,
    };
    let start = start?;
    let c = text.char_at(start)?;
    Some((
        format!(
            "`{c}` at the start of a value marks {what} in YAML: if the value is text, put it \
             in quotes"
        ),
        start,
    ))
}

/// serde's `duplicate field `k`` (with the path of the mapping before it, as `provider: `)
/// and yaml_serde's `duplicate entry with key "k"`: placed at the second `k:` of the
/// mapping that starts at `at`.
fn duplicate(text: &Text, problem: &str, at: Option<Pos>) -> Option<(String, Pos)> {
    let (head, key) = if let Some((head, tail)) = problem.split_once("duplicate field `") {
        (head, tail.strip_suffix('`')?.to_string())
    } else {
        let (head, tail) = problem.split_once("duplicate entry with key ")?;
        let key = match tail.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
            Some(quoted) => quoted.replace("\\\"", "\"").replace("\\\\", "\\"),
            None if !tail.contains(char::is_whitespace) => tail.trim_matches('`').to_string(),
            None => return None,
        };
        (head, key)
    };
    // Before the message, only the path of the mapping (`related[0].provider: `): a type
    // error whose quoted value holds these words is not a duplicate.
    let path = match head.strip_suffix(": ") {
        None if head.is_empty() => None,
        Some(path) if !path.is_empty() && !path.contains([' ', '"', '`']) => Some(path),
        _ => return None,
    };
    let start = at.unwrap_or((1, 1));
    let place = second_key(text, start, &key).unwrap_or(start);
    let within = path.map_or(String::new(), |p| format!(" in `{p}`"));
    Some((
        format!(
            "`{key}` appears a second time{within}: a key may appear only once; keep one of \
             the two"
        ),
        place,
    ))
}

/// Where `key` is set a second time in the mapping that starts at `start`.
fn second_key(text: &Text, start: Pos, key: &str) -> Option<Pos> {
    let mut seen = 0;
    if text.char_at(start) == Some('{') {
        // A flow mapping: keys follow its `{` and each `,` at its own depth.
        let mut depth = 0usize;
        let mut expect_key = false;
        for line in start.0..=text.lines.len() {
            let chars: Vec<char> = text.line(line).chars().collect();
            let from = if line == start.0 {
                start.1.saturating_sub(1)
            } else {
                0
            };
            let mut i = from;
            while i < chars.len() {
                let c = chars[i];
                if expect_key && depth == 1 && !c.is_whitespace() {
                    expect_key = false;
                    // The key and its `:` come before the next `,` or bracket.
                    let rest: String = chars[i..]
                        .iter()
                        .take_while(|c| !",[]{}".contains(**c))
                        .collect();
                    if key_in(&rest).is_some_and(|(k, _)| k == key) {
                        seen += 1;
                        if seen == 2 {
                            return Some((line, i + 1));
                        }
                    }
                }
                match c {
                    '"' | '\'' => i = closing(&chars, i + 1, c).unwrap_or(chars.len()),
                    '[' | '{' => {
                        depth += 1;
                        expect_key = depth == 1;
                    }
                    ']' | '}' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return None;
                        }
                    }
                    ',' => expect_key = depth == 1,
                    _ => {}
                }
                i += 1;
            }
        }
        return None;
    }
    // A block mapping: its keys start in the column of its first.
    let column = start.1;
    for line in start.0..=text.lines.len() {
        let (key_column, rest) = if line == start.0 {
            let rest: String = text
                .line(line)
                .chars()
                .skip(column.saturating_sub(1))
                .collect();
            (column, rest)
        } else {
            let Some(row) = text.row(line) else { continue };
            if row.indent + 1 < column {
                break;
            }
            (row.indent + 1, row.text.to_string())
        };
        if key_column == column && key_in(&rest).is_some_and(|(k, _)| k == key) {
            seen += 1;
            if seen == 2 {
                return Some((line, column));
            }
        }
    }
    None
}

/// yaml_serde's `more than one document`: a `---` or `...` line inside the front matter, or a
/// line indented less than the first (the first document ends there).
fn more_documents(text: &Text) -> Option<(String, Pos)> {
    for (i, line) in text.lines.iter().enumerate() {
        let marker = line.starts_with("---") || line.starts_with("...");
        if marker && line[3..].chars().next().is_none_or(char::is_whitespace) {
            return Some((
                "a line that starts with `---` or `...` ends the YAML here, but more follows: \
                 the front matter ends only at a line that is exactly `---`; remove this line \
                 or change how it starts"
                    .into(),
                (i + 1, 1),
            ));
        }
    }
    let mut rows = (1..=text.lines.len()).filter_map(|n| text.row(n));
    let first = rows.next()?;
    let out = rows.find(|r| r.indent < first.indent)?;
    Some((
        format!(
            "this line is indented less than the first line of the front matter ({}): start \
             every top-level key in the same column, best the first",
            spaces(first.indent)
        ),
        (out.line, out.indent + 1),
    ))
}

/// libyaml's reader refuses control characters, at a byte offset.
fn control_character(text: &Text, problem: &str, offset: usize) -> Option<(String, Pos)> {
    if problem != "control characters are not allowed" {
        return None;
    }
    let before = text.front.get(..offset)?;
    let c = text.front[offset..].chars().next()?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Some((
        format!(
            "this line holds a control character (U+{:04X}), which YAML does not allow: \
             delete it",
            u32::from(c)
        ),
        (
            before.matches('\n').count() + 1,
            before[line_start..].chars().count() + 1,
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;

    /// What yaml_serde says about `front` (its problem, without marks), and what
    /// [`explain`] makes of it: the message and the place.
    fn explained(front: &str) -> (String, String, Pos) {
        let e = serde_yaml::from_str::<Article>(front).expect_err(front);
        let said = e.to_string();
        let at = e.location().map(|l| (l.line(), l.column()));
        let found = explain(front, &said, at);
        let problem = Reported::parse(&said).problem.to_string();
        (problem, found.message, (found.line, found.column))
    }

    /// Asserts that yaml_serde says `problem` about `front`, explained as `message` at `at`.
    #[track_caller]
    fn case(front: &str, problem: &str, message: &str, at: Pos) {
        let (said, found, place) = explained(front);
        assert_eq!(said, problem, "what yaml_serde says about {front:?}");
        assert_eq!((found.as_str(), place), (message, at), "{front:?}");
    }

    const UNCLOSED_DOUBLE: &str = "the quote that opens this value is never closed: end it \
        with \" on the same line, or use single quotes";
    const UNCLOSED_SINGLE: &str = "the quote that opens this value is never closed: end it \
        with ' on the same line, or use double quotes";

    #[test]
    fn an_unclosed_double_quote_is_placed_at_the_quote_that_opens_it() {
        // The parser takes the next quote for its end and stops two lines on.
        case(
            "title: \"Hello\npublishedDateTime: 2023-04-02T10:00:00Z\nwebUrl: \"https://e.com/a\"\n",
            "did not find expected key",
            UNCLOSED_DOUBLE,
            (1, 8),
        );
        // With no quote after it, it runs to the end.
        case(
            "title: T\nwebUrl: \"https://e.com/a\n",
            "found unexpected end of stream",
            UNCLOSED_DOUBLE,
            (2, 9),
        );
        case(
            "title: T\ntopics:\n  - \"a\n  - b\n",
            "found unexpected end of stream",
            UNCLOSED_DOUBLE,
            (3, 5),
        );
        case(
            "title: \"Hello\r\nwebUrl: x\r\n",
            "found unexpected end of stream",
            UNCLOSED_DOUBLE,
            (1, 8),
        );
    }

    #[test]
    fn a_backslash_before_the_last_quote_is_named_as_the_reason_it_is_not_closed() {
        case(
            "title: T\nwebUrl: \"C:\\\\files\\\"\npublishedDateTime: y\n",
            "found unexpected end of stream",
            "the quote that opens this value is never closed: the \\\" at the end of the line \
             is an escaped quote, not the end; write a backslash as \\\\, or use single quotes",
            (2, 9),
        );
    }

    #[test]
    fn an_unclosed_single_quote_is_placed_at_the_quote_that_opens_it() {
        case(
            "title: 'Hello\nwebUrl: x\n",
            "found unexpected end of stream",
            UNCLOSED_SINGLE,
            (1, 8),
        );
        // An apostrophe further down closes it, and the parser stops after that.
        case(
            "title: 'Hello\nexcerpt: it's here\nwebUrl: x\n",
            "did not find expected key",
            UNCLOSED_SINGLE,
            (1, 8),
        );
    }

    #[test]
    fn text_after_a_closing_quote_is_placed_at_that_quote() {
        let single = "this quote ends the value, but more text follows it: put the whole value \
                      inside the quotes, and write an apostrophe inside it as ''";
        let double = "this quote ends the value, but more text follows it: put the whole value \
                      inside the quotes, and write a quote inside it as \\\"";
        case(
            "title: 'it's here'\n",
            "did not find expected key",
            single,
            (1, 11),
        );
        case(
            "title: T\nwebUrl: \"x\" y\n",
            "did not find expected key",
            double,
            (2, 11),
        );
        // A value written over two lines on purpose indents the second.
        case(
            "title: \"x\n  y\" z\n",
            "did not find expected key",
            double,
            (2, 4),
        );
        case(
            "title: T\ntopics: [a, \"b\" c]\n",
            "did not find expected ',' or ']'",
            double,
            (2, 15),
        );
        // Columns count characters, not bytes.
        case(
            "title: \"éé\" b\n",
            "did not find expected key",
            double,
            (1, 11),
        );
    }

    #[test]
    fn a_key_indented_more_than_the_key_above_is_placed_at_the_key() {
        let more = |key: &str, above: &str, indent: &str| {
            format!(
                "`{key}` is indented more than `{above}` above it, so YAML reads it as part of \
                 the value of `{above}`: indent it like `{above}` ({indent})"
            )
        };
        let cases = [
            (
                "title: T\n  webUrl: x\npublishedDateTime: y\n",
                more("webUrl", "title", "no spaces"),
                (2, 3),
            ),
            (
                "provider:\n  name: A\n    domain: b\n",
                more("domain", "name", "2 spaces"),
                (3, 5),
            ),
            (
                "title: T\nrelated:\n  - title: x\n     webUrl: y\n",
                more("webUrl", "title", "4 spaces"),
                (4, 6),
            ),
            (
                "title: T\ntopics:\n  - a\n    b: c\n",
                "this key is indented more than the line above it, so YAML reads it as part of \
                 that line's value: indent it like the keys it belongs with"
                    .to_string(),
                (4, 5),
            ),
        ];
        for (front, message, at) in cases {
            case(
                front,
                "mapping values are not allowed in this context",
                &message,
                at,
            );
        }
    }

    #[test]
    fn a_line_indented_to_no_level_above_names_the_levels_it_could_have() {
        case(
            "provider:\n    name: A\n  domain: b\n",
            "did not find expected key",
            "this line is indented by 2 spaces, which lines up with no key above it: indent it \
             like `name` (4 spaces) or like `provider` (no spaces)",
            (3, 3),
        );
        // Between a list's entries and their keys, libyaml misses a `-`.
        case(
            "title: T\nrelated:\n  - title: x\n    provider:\n      name: a\n   webUrl: y\n",
            "did not find expected '-' indicator",
            "this line is indented by 3 spaces, which lines up with no key above it: indent it \
             like `name` (6 spaces), like `provider` (4 spaces), like the `- ` entries (2 \
             spaces) or like `related` (no spaces)",
            (6, 4),
        );
        // The text of a `>` block is not a level; its first line sets its indentation.
        case(
            "title: >\n  folded\n bad\n",
            "did not find expected key",
            "this line is indented by 1 space, which lines up with no key above it: indent it \
             like `title` (no spaces)",
            (3, 2),
        );
    }

    #[test]
    fn list_entries_out_of_line_or_out_of_place_are_named() {
        case(
            "title: T\ntopics:\n  - a\n - b\n",
            "did not find expected key",
            "this `- ` entry is indented by 1 space, the entries above it by 2 spaces: line it \
             up with them",
            (4, 2),
        );
        let among = "a `- ` list entry cannot stand among `key: value` lines: put it under the \
                     key it belongs to, indented, as in `topics:` then `  - AI`";
        case(
            "title: T\n- a\n",
            "did not find expected key",
            among,
            (2, 1),
        );
        case(
            "provider:\n  name: a\n  - b\n",
            "did not find expected key",
            among,
            (3, 3),
        );
        case(
            "title: T\ntopics: - a\n",
            "block sequence entries are not allowed in this context",
            "a list's `- ` entries go on their own lines below `topics:`, indented, not on its \
             line; if the value is text, put it in quotes",
            (2, 9),
        );
    }

    #[test]
    fn a_line_among_list_entries_that_is_not_one_is_named() {
        let message = "this line stands among the `- ` entries of `topics` but is not one: \
                       start it with `- ` to add an entry, or indent it like `topics` to end \
                       the list";
        case(
            "title: T\ntopics:\n  - a\n  b: c\n",
            "did not find expected '-' indicator",
            message,
            (4, 3),
        );
        case(
            "title: T\ntopics:\n  - a\n  - b\n  c\n",
            "could not find expected ':'",
            message,
            (5, 3),
        );
        // A list as indented as its key cannot be ended by indentation.
        case(
            "topics:\n- a\nb\n",
            "could not find expected ':'",
            "this line stands among the `- ` entries of `topics` but is not one: start it with \
             `- ` to add an entry",
            (3, 1),
        );
        case(
            "title: T\ntopics:\n  - a\n  -b\n",
            "could not find expected ':'",
            "`-b` is text, not a list entry: put a space after the `-`",
            (4, 3),
        );
    }

    #[test]
    fn a_line_without_a_colon_is_placed_at_that_line() {
        // The parser stops at the next line.
        case(
            "title: T\nfoo\nbar: b\n",
            "could not find expected ':'",
            "this line is not a `key: value` pair: add the `:` after its key, or indent it to \
             continue the value above",
            (2, 1),
        );
    }

    #[test]
    fn a_tab_is_named_wherever_the_parser_stops_over_it() {
        for (front, problem, at) in [
            (
                "title: T\n\twebUrl: x\n",
                "found a tab character that violates indentation",
                (2, 1),
            ),
            (
                "provider:\n\tname: x\n",
                "found character that cannot start any token",
                (2, 1),
            ),
            (
                "title: T\n  \twebUrl: x\n",
                "mapping values are not allowed in this context",
                (2, 3),
            ),
            (
                "title: T\nexcerpt: |\n  line\n\tmore\n",
                "found a tab character where an indentation space is expected",
                (4, 1),
            ),
        ] {
            case(front, problem, TAB_INDENT, at);
        }
        case(
            "title: T\ntopics:\n  -\ta\n",
            "found character that cannot start any token",
            TAB_ELSEWHERE,
            (3, 4),
        );
    }

    #[test]
    fn a_duplicate_key_is_placed_at_its_second_appearance() {
        case(
            "title: T\nwebUrl: x\ntitle: U\n",
            "duplicate field `title`",
            "`title` appears a second time: a key may appear only once; keep one of the two",
            (3, 1),
        );
        let in_provider = "`name` appears a second time in `provider`: a key may appear only \
                           once; keep one of the two";
        case(
            "provider:\n  name: a\n  domain: b\n  name: c\n",
            "provider: duplicate field `name`",
            in_provider,
            (4, 3),
        );
        case(
            "title: T\nprovider: {name: a, \"name\": b}\n",
            "provider: duplicate field `name`",
            in_provider,
            (2, 21),
        );
        case(
            "title: T\nrelated:\n  - title: x\n    webUrl: y\n    title: z\n",
            "related[0]: duplicate field `title`",
            "`title` appears a second time in `related[0]`: a key may appear only once; keep \
             one of the two",
            (5, 5),
        );
        // yaml_serde's own wording, for a mapping read as a mapping.
        let found = explain(
            "a: 1\nb: 2\na: 3\n",
            "duplicate entry with key \"a\" at line 1 column 1",
            Some((1, 1)),
        );
        assert_eq!(
            (found.message.as_str(), found.line, found.column),
            (
                "`a` appears a second time: a key may appear only once; keep one of the two",
                3,
                1
            )
        );
    }

    #[test]
    fn a_colon_inside_an_unquoted_value_asks_for_quotes_at_the_value() {
        let double = "this value holds `: `, which YAML reads as the start of a key: put the \
                      whole value in double quotes";
        case(
            "title: Breaking: news\n",
            "mapping values are not allowed in this context",
            double,
            (1, 8),
        );
        case(
            "title: T\nexcerpt: He said: yes\n",
            "mapping values are not allowed in this context",
            double,
            (2, 10),
        );
        case(
            "title: T\nrelated:\n  - title: Q: \"why\"\n",
            "mapping values are not allowed in this context",
            "this value holds `: `, which YAML reads as the start of a key: put the whole value \
             in single quotes, writing an apostrophe inside it as ''",
            (3, 12),
        );
    }

    #[test]
    fn unclosed_and_stray_brackets_are_placed_at_the_bracket() {
        let list = "the `[` that opens this list is never closed: end the list with `]`";
        let mapping = "the `{` that opens this mapping is never closed: end the mapping with `}`";
        case(
            "title: T\ntopics: [a, b\nwebUrl: x\n",
            "did not find expected ',' or ']'",
            list,
            (2, 9),
        );
        case(
            "title: T\ntopics: [a,\n",
            "did not find expected node content",
            list,
            (2, 9),
        );
        case(
            "title: T\nprovider: {name: a\n",
            "did not find expected ',' or '}'",
            mapping,
            (2, 11),
        );
        case(
            "title: T\nrelated: [{title: x, webUrl: y\n",
            "did not find expected ',' or '}'",
            mapping,
            (2, 11),
        );
        case(
            "title: T\ntopics: [a, b]]\n",
            "did not find expected key",
            "this `]` closes no `[`: remove it",
            (2, 15),
        );
        case(
            "title: T\ntopics: ]\n",
            "did not find expected node content",
            "this `]` closes no `[`: remove it",
            (2, 9),
        );
    }

    #[test]
    fn escapes_yaml_does_not_know_are_placed_at_the_backslash() {
        case(
            "title: \"bad \\q escape\"\n",
            "found unknown escape character",
            "`\\q` is not an escape YAML knows: write a backslash as \\\\, or use single quotes, \
             in which \\ is plain",
            (1, 13),
        );
        case(
            "title: T\nwebUrl: \"x\\x\"\n",
            "did not find expected hexadecimal number",
            "`\\x` must be followed by 2 hexadecimal digits: write a backslash as \\\\, or use \
             single quotes, in which \\ is plain",
            (2, 11),
        );
        case(
            "title: \"x\\u12\"\n",
            "did not find expected hexadecimal number",
            "`\\u` must be followed by 4 hexadecimal digits: write a backslash as \\\\, or use \
             single quotes, in which \\ is plain",
            (1, 10),
        );
        case(
            "title: \"a\\uD800b\"\n",
            "found invalid Unicode character escape code",
            "`\\uD800` names no Unicode character: write the character itself instead",
            (1, 10),
        );
    }

    #[test]
    fn yaml_indicators_at_the_start_of_a_value_ask_for_quotes() {
        case(
            "title: T\nwebUrl: &\n",
            "did not find expected alphabetic or numeric character",
            "`&` at the start of a value marks an anchor in YAML: if the value is text, put it \
             in quotes",
            (2, 9),
        );
        case(
            "title: *\n",
            "did not find expected alphabetic or numeric character",
            "`*` at the start of a value marks a reference to an anchor in YAML: if the value \
             is text, put it in quotes",
            (1, 8),
        );
        case(
            "title: !<bad x\n",
            "did not find the expected '>'",
            "`!` at the start of a value marks a tag in YAML: if the value is text, put it in \
             quotes",
            (1, 8),
        );
        case(
            "title: T\n%bad\n",
            "found unknown directive name",
            "`%` at the start of a value marks a directive in YAML: if the value is text, put \
             it in quotes",
            (2, 1),
        );
        case(
            "title: T\nwebUrl: *b\n",
            "unknown anchor",
            "`*b` refers to an anchor `&b` that is not defined above: in YAML a value that \
             starts with `*` is a reference; if it is text, put it in quotes",
            (2, 9),
        );
        case(
            "title: T\nwebUrl: @x\n",
            "found character that cannot start any token",
            "a value cannot start with `@` in YAML: put the value in quotes",
            (2, 9),
        );
        case(
            "title: `x`\n",
            "found character that cannot start any token",
            "a value cannot start with a backquote (`) in YAML: put the value in quotes",
            (1, 8),
        );
    }

    #[test]
    fn a_second_document_is_placed_at_the_line_that_starts_it() {
        let marker = "a line that starts with `---` or `...` ends the YAML here, but more \
                      follows: the front matter ends only at a line that is exactly `---`; \
                      remove this line or change how it starts";
        let more = "deserializing from YAML containing more than one document is not supported";
        case("title: T\n...\nwebUrl: x\n", more, marker, (2, 1));
        case("title: T\n--- x\nwebUrl: y\n", more, marker, (2, 1));
        case(
            "  title: T\n webUrl: x\n",
            more,
            "this line is indented less than the first line of the front matter (2 spaces): \
             start every top-level key in the same column, best the first",
            (2, 2),
        );
    }

    #[test]
    fn a_control_character_is_placed_at_the_character() {
        case(
            "title: T\r\nwebUrl: \"a\u{0}b\"\n",
            "control characters are not allowed",
            "this line holds a control character (U+0000), which YAML does not allow: delete it",
            (2, 11),
        );
    }

    #[test]
    fn type_errors_keep_their_words_and_place() {
        case(
            "title: T\npublished: \"false\"\n",
            "published: invalid type: string \"false\", expected a boolean",
            "invalid front matter: published: invalid type: string \"false\", expected a boolean",
            (2, 12),
        );
        // A value that reads like a duplicate is still a type error.
        case(
            "title: T\npublished: \"duplicate field `title`\"\n",
            "published: invalid type: string \"duplicate field `title`\", expected a boolean",
            "invalid front matter: published: invalid type: string \"duplicate field `title`\", \
             expected a boolean",
            (2, 12),
        );
        // A `, while ` or ` at line ` in the value does not fool the parse of the message.
        case(
            "title: T\npublished: \"a, while b at line 9 column 9\"\n",
            "published: invalid type: string \"a, while b at line 9 column 9\", expected a boolean",
            "invalid front matter: published: invalid type: string \"a, while b at line 9 \
             column 9\", expected a boolean",
            (2, 12),
        );
    }

    #[test]
    fn an_unknown_libyaml_message_keeps_its_words_after_what_was_being_read() {
        let found = explain(
            "title: x\n",
            "found something new at line 1 column 9, while scanning a plain scalar at line 1 \
             column 8",
            Some((1, 9)),
        );
        assert_eq!(
            found,
            Explained {
                message: "invalid front matter: reading an unquoted value: found something new"
                    .into(),
                line: 1,
                column: 9,
            }
        );
        let found = explain("title: x\n", "recursion limit exceeded", None);
        assert_eq!(
            (found.message.as_str(), found.line, found.column),
            ("invalid front matter: recursion limit exceeded", 1, 1)
        );
    }

    #[test]
    fn messages_are_taken_apart_at_their_marks() {
        assert_eq!(
            Reported::parse(
                "did not find expected '-' indicator at line 4 column 3, while parsing a block \
                 collection at line 3 column 3"
            ),
            Reported {
                problem: "did not find expected '-' indicator",
                mark: Some((4, 3)),
                context: Some("while parsing a block collection"),
                context_mark: Some((3, 3)),
                ..Reported::default()
            }
        );
        assert_eq!(
            Reported::parse(
                "did not find expected key at line 2 column 1, while parsing a block mapping"
            ),
            Reported {
                problem: "did not find expected key",
                mark: Some((2, 1)),
                context: Some("while parsing a block mapping"),
                ..Reported::default()
            }
        );
        assert_eq!(
            Reported::parse("control characters are not allowed at position 9"),
            Reported {
                problem: "control characters are not allowed",
                offset: Some(9),
                ..Reported::default()
            }
        );
    }
}
