//! The user guide (`docs/`) and the code agree: every problem kind and every settings key the
//! program knows is documented, and nothing documented is unknown to it.

use std::collections::BTreeSet;

use feedsmith::problem::ProblemKind;

use crate::harness::{repo, Project};

/// The rows of the first Markdown table in `text` whose header starts with `| {first} |`:
/// each row's cells, trimmed.
fn table(text: &str, first: &str) -> Vec<Vec<String>> {
    let header = format!("| {first} |");
    let mut lines = text.lines().skip_while(|l| !l.starts_with(&header));
    assert!(lines.next().is_some(), "no table headed {header:?}");
    lines
        .skip(1)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}

fn guide(file: &str) -> String {
    std::fs::read_to_string(repo().join("docs").join(file)).unwrap()
}

#[test]
fn the_guide_lists_every_problem_kind_with_its_meaning_in_order() {
    let rows = table(&guide("command-line.md"), "kind");
    let documented: Vec<(String, String)> = rows
        .into_iter()
        .map(|r| (r[0].trim_matches('`').to_string(), r[1].clone()))
        .collect();
    let known: Vec<(String, String)> = ProblemKind::ALL
        .iter()
        .map(|k| (k.name().to_string(), k.meaning().to_string()))
        .collect();
    let expected: String = known
        .iter()
        .map(|(k, m)| format!("| `{k}` | {m} |\n"))
        .collect();
    assert_eq!(
        documented, known,
        "docs/command-line.md's kinds table should read:\n{expected}"
    );
}

#[test]
fn the_guide_lists_every_settings_key_and_no_other() {
    // The program names every key it knows when it meets one it does not.
    let project = Project::fixture("fixtures/topics").config("no_such_key: 1\n");
    let text = project.build().status(2).stderr_text();
    let listed = text
        .split("expected one of ")
        .nth(1)
        .expect("the unknown-key message lists the keys")
        .split(';')
        .next()
        .unwrap_or_default();
    let known: BTreeSet<String> = listed
        .split(", ")
        .map(|k| k.trim().trim_matches('`').to_string())
        .filter(|k| !k.is_empty())
        .collect();
    let documented: BTreeSet<String> = table(&guide("settings.md"), "key")
        .into_iter()
        .map(|r| r[0].trim_matches('`').to_string())
        .collect();
    assert_eq!(
        documented, known,
        "docs/settings.md's table against the program"
    );
}

#[test]
fn the_example_workflow_is_yaml_and_its_feedsmith_commands_are_real() {
    workflow_commands_are_real("feeds.yml", "feeds", 2);
}

#[cfg(feature = "deploy")]
#[test]
fn the_example_deploy_workflow_is_yaml_and_its_feedsmith_commands_are_real() {
    workflow_commands_are_real("deploy.yml", "deploy", 1);
}

/// The workflow `examples/github-actions/FILE` is YAML, and each of the (at least `least`)
/// feedsmith commands that its job `job` runs takes the flags it is given.
fn workflow_commands_are_real(file: &str, job: &str, least: usize) {
    let text = std::fs::read_to_string(repo().join("examples/github-actions").join(file)).unwrap();
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let steps = doc["jobs"][job]["steps"].as_sequence().unwrap();
    let commands: Vec<Vec<String>> = steps
        .iter()
        .filter_map(|step| step["run"].as_str())
        .flat_map(|run| run.lines())
        .filter_map(|line| {
            let line = line.split(['>', '|', '#']).next().unwrap_or("").trim();
            let words: Vec<String> = line.split_whitespace().map(String::from).collect();
            (words.first().map(String::as_str) == Some("feedsmith")).then_some(words)
        })
        .collect();
    assert!(commands.len() >= least, "{commands:?}");
    let project = Project::empty();
    for words in commands {
        // Every flag is one the command takes: `--help` after them exits 0 only then.
        project
            .run(words[1..].iter().map(String::as_str).chain(["--help"]))
            .status(0);
    }
}
