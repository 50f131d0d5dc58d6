//! The event log's model: timestamped lines of four kinds, newest first, bounded, with repeats
//! of the same source coalesced within a window so that a busy run does not flood it.

use std::collections::VecDeque;

/// Kind of a log line (also its `data-log-kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LogKind {
    /// Fact changes applied to the display.
    Fact,
    /// A rule fired.
    Rule,
    /// Something about the run: start, stop, brew day steps.
    System,
    /// A fact left its control band.
    Anomaly,
}

impl LogKind {
    /// The kind's name.
    pub fn name(self) -> &'static str {
        match self {
            LogKind::Fact => "fact",
            LogKind::Rule => "rule",
            LogKind::System => "system",
            LogKind::Anomaly => "anomaly",
        }
    }
}

/// One line.
#[derive(Clone, Debug, PartialEq)]
pub struct LogLine {
    /// Unique, increasing.
    pub id: u64,
    /// Kind.
    pub kind: LogKind,
    /// What the line coalesces on (a rule id, a fact name); empty for lines never coalesced.
    pub source: String,
    /// Wall-clock time of its first occurrence, ms since the epoch: the coalescing window
    /// opens there.
    pub first_ms: f64,
    /// Wall-clock time of its latest occurrence, ms since the epoch.
    pub wall_ms: f64,
    /// Plant minute of its latest occurrence.
    pub minute: u64,
    /// Text of its latest occurrence.
    pub text: String,
    /// Occurrences coalesced into it.
    pub count: u32,
}

/// Window within which repeats of one source are coalesced.
pub const COALESCE_MS: f64 = 2000.0;
/// Lines kept.
pub const MAX_LINES: usize = 100;

/// The log.
#[derive(Clone, Debug, Default)]
pub struct EventLog {
    lines: VecDeque<LogLine>,
    next_id: u64,
    version: u64,
    /// Lines coalesce only within one run: a new run starts a new epoch.
    epoch: u64,
    epochs: VecDeque<u64>,
}

impl EventLog {
    /// Lines, newest first.
    pub fn lines(&self) -> &VecDeque<LogLine> {
        &self.lines
    }

    /// Changes whenever a line is added or updated.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Starts a new run: later occurrences never coalesce with lines of earlier runs.
    pub fn new_run(&mut self) {
        self.epoch += 1;
    }

    fn coalescing_index(&self, kind: LogKind, source: &str, wall_ms: f64) -> Option<usize> {
        if source.is_empty() {
            return None;
        }
        let i = self
            .lines
            .iter()
            .position(|l| l.kind == kind && l.source == source)?;
        let line = &self.lines[i];
        (self.epochs[i] == self.epoch && wall_ms - line.first_ms < COALESCE_MS).then_some(i)
    }

    /// Adds an occurrence. With a non-empty `source`, an occurrence of the same kind and source
    /// within [`COALESCE_MS`] of the line's first occurrence updates that line instead.
    pub fn push(&mut self, kind: LogKind, source: &str, wall_ms: f64, minute: u64, text: String) {
        self.version += 1;
        if let Some(i) = self.coalescing_index(kind, source, wall_ms) {
            // The updated line moves to the top, so the log stays newest first.
            let mut line = self.lines.remove(i).expect("the index is in range");
            self.epochs.remove(i);
            line.count += 1;
            line.wall_ms = wall_ms;
            line.minute = minute;
            line.text = text;
            self.lines.push_front(line);
            self.epochs.push_front(self.epoch);
            return;
        }
        self.next_id += 1;
        self.lines.push_front(LogLine {
            id: self.next_id,
            kind,
            source: source.to_owned(),
            first_ms: wall_ms,
            wall_ms,
            minute,
            text,
            count: 1,
        });
        self.epochs.push_front(self.epoch);
        self.lines.truncate(MAX_LINES);
        self.epochs.truncate(MAX_LINES);
    }

    /// Removes every line.
    pub fn clear(&mut self) {
        self.lines.clear();
        self.epochs.clear();
        self.version += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_of_one_rule_within_two_seconds_share_a_line() {
        let mut log = EventLog::default();
        log.push(LogKind::Rule, "R_07", 1000.0, 6, "R_07 fired".into());
        log.push(LogKind::Rule, "R_07", 2500.0, 12, "R_07 fired again".into());
        log.push(LogKind::Rule, "R_01", 2600.0, 12, "R_01 fired".into());
        assert_eq!(log.lines().len(), 2);
        let r07 = &log.lines()[1];
        assert_eq!(
            (r07.count, r07.minute, r07.text.as_str()),
            (2, 12, "R_07 fired again")
        );

        log.push(LogKind::Rule, "R_07", 3000.0, 18, "R_07 fired later".into());
        assert_eq!(
            log.lines().len(),
            3,
            "2 s after the first occurrence a new line starts"
        );
        assert_eq!(log.lines()[0].source, "R_07");
    }

    #[test]
    fn lines_without_a_source_are_never_coalesced() {
        let mut log = EventLog::default();
        log.push(LogKind::System, "", 0.0, 0, "Started".into());
        log.push(LogKind::System, "", 1.0, 0, "Started".into());
        assert_eq!(log.lines().len(), 2);
    }

    #[test]
    fn the_log_keeps_its_newest_lines_only() {
        let mut log = EventLog::default();
        for i in 0..(MAX_LINES as u64 + 50) {
            log.push(LogKind::System, "", i as f64, i, format!("line {i}"));
        }
        assert_eq!(log.lines().len(), MAX_LINES);
        assert_eq!(log.lines()[0].text, format!("line {}", MAX_LINES + 49));
        let version = log.version();
        log.clear();
        assert!(log.lines().is_empty());
        assert!(log.version() > version);
    }
}
