//! Problems in text reports, shown as rustc shows its errors (through annotate-snippets, the
//! crate rustc uses): the message, the file with line and column, the source line, and a
//! caret under the fault. A problem without a place, or whose file can no longer be read,
//! is one line. A tab in the source line shows as `→`, one column wide, so a problem about
//! the tab is seen and the caret stays under the character its column names.

use std::path::Path;

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

use feedsmith::{Problem, Severity};

/// How a problem reads on stderr, ending in a newline (a snippet also in a blank line).
pub(crate) fn render(problem: &Problem, renderer: &Renderer) -> String {
    let (Some(line), Some(column)) = (problem.line, problem.column) else {
        return format!("{problem}\n");
    };
    let Some(source) = source_line(&problem.path, line) else {
        return format!("{problem}\n");
    };
    // The caret sits on the character at `column` (1-based, in characters); at the end of
    // the line it sits just past the last one.
    let start = source
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(source.len(), |(i, _)| i);
    let end = source[start..]
        .chars()
        .next()
        .map_or(start, |c| start + c.len_utf8());
    let level = match problem.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let path = problem.path.to_string_lossy();
    let report = &[level.primary_title(problem.message.as_str()).element(
        Snippet::source(source.as_str())
            .line_start(line)
            .path(path.as_ref())
            .annotation(AnnotationKind::Primary.span(start..end)),
    )];
    // A blank line after the snippet, as rustc leaves, so one problem ends visibly.
    let mut text = renderer.render(report);
    text.push_str("\n\n");
    text
}

/// How a tab shows in a snippet: visible, where a space would hide the fault in a message
/// about tabs, and one column wide (annotate-snippets would widen a tab to four).
const TAB: char = '→';

/// Line `line` (1-based) of the file at `path`, without its line ending, when the file can
/// still be read as text and has that line, one character shown for each of its characters:
/// a tab as [`TAB`], and control characters as `�` so a hostile file cannot drive the
/// terminal.
fn source_line(path: &Path, line: usize) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let found = text.split('\n').nth(line.checked_sub(1)?)?;
    let found = found.strip_suffix('\r').unwrap_or(found);
    Some(
        found
            .chars()
            .map(|c| match c {
                '\t' => TAB,
                c if c.is_control() => '\u{fffd}',
                c => c,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use feedsmith::problem::ProblemKind;

    #[test]
    fn a_located_problem_shows_its_source_line_with_a_caret() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "---\ntitle: T\ntopics: AI\n---\n").unwrap();
        let problem =
            Problem::error(&path, ProblemKind::Yaml, "topics: expected a sequence").at(3, 9);
        let text = render(&problem, &Renderer::plain());
        let shown = path.display().to_string();
        assert_eq!(
            text,
            format!(
                "error: topics: expected a sequence\n --> {shown}:3:9\n  |\n3 | topics: AI\n  |         ^\n\n"
            )
        );
    }

    #[test]
    fn a_problem_without_a_place_or_a_readable_file_is_one_line() {
        let problem = Problem::warning("gone.txt", ProblemKind::Duplicate, "same link").at(2, 1);
        assert_eq!(
            render(&problem, &Renderer::plain()),
            "warning: gone.txt:2:1: same link\n"
        );
        let problem = Problem::warning("gone.txt", ProblemKind::Duplicate, "same link");
        assert_eq!(
            render(&problem, &Renderer::plain()),
            "warning: gone.txt: same link\n"
        );
    }

    #[test]
    fn a_tab_shows_as_an_arrow_with_the_caret_under_the_column_it_names() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "---\ntitle: T\n\twebUrl: x\n \t\tb: \"\t\"\n---\n").unwrap();
        let shown = path.display().to_string();
        let problem = Problem::error(&path, ProblemKind::Yaml, "a tab indents this line").at(3, 1);
        assert_eq!(
            render(&problem, &Renderer::plain()),
            format!(
                "error: a tab indents this line\n --> {shown}:3:1\n  |\n3 | →webUrl: x\n  | ^\n\n"
            )
        );
        // Past tabs, the caret still sits on the character its column counts to.
        let problem = Problem::error(&path, ProblemKind::Yaml, "here").at(4, 7);
        assert_eq!(
            render(&problem, &Renderer::plain()),
            format!("error: here\n --> {shown}:4:7\n  |\n4 |  →→b: \"→\"\n  |       ^\n\n")
        );
    }

    #[test]
    fn control_characters_in_the_source_line_cannot_reach_the_terminal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "title: \u{1b}[31mred\n").unwrap();
        let problem = Problem::error(&path, ProblemKind::Yaml, "bad").at(1, 8);
        let text = render(&problem, &Renderer::plain());
        assert!(!text.contains('\u{1b}'), "{text:?}");
        assert!(text.contains("title: \u{fffd}[31mred"), "{text}");
    }
}
