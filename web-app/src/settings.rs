//! The run's settings and how they travel in the URL: `?seed=42&scenario=monte-carlo&speed=max
//! &view=table&tick=1200`, plus `&page=fbe&fbe=FBE_05` for the detail page of one piece of
//! equipment. Pages live in the query so that a static host needs no rewrite rules.
//!
//! Parsing never fails: every value that cannot be used is replaced by its default and reported
//! in a plain sentence, which the page shows.

use twin::catalog::FBES;
use twin::Scenario;

/// Plant ticks per wall-clock interval.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Speed {
    /// One tick every this many milliseconds.
    Interval(u32),
    /// As many ticks as fit in each frame's budget.
    Max,
}

/// The reference's pace: one tick every 1.5 s.
pub const DEFAULT_SPEED: Speed = Speed::Interval(1500);

/// Speeds offered in the speed control, slowest first.
pub const SPEED_CHOICES: [(Speed, &str); 6] = [
    (Speed::Interval(1500), "1.5 s per tick (the original pace)"),
    (Speed::Interval(500), "0.5 s per tick"),
    (Speed::Interval(100), "0.1 s per tick"),
    (Speed::Interval(20), "20 ms per tick"),
    (Speed::Interval(1), "1 ms per tick"),
    (Speed::Max, "As fast as possible"),
];

impl Speed {
    /// The URL form: milliseconds per tick, or `max`.
    pub fn to_param(self) -> String {
        match self {
            Speed::Interval(ms) => ms.to_string(),
            Speed::Max => "max".to_owned(),
        }
    }

    /// Reads the URL form.
    pub fn from_param(text: &str) -> Result<Speed, String> {
        if text.eq_ignore_ascii_case("max") {
            return Ok(Speed::Max);
        }
        match text.parse::<i64>() {
            Ok(ms) if (1..=60_000).contains(&ms) => Ok(Speed::Interval(ms as u32)),
            Ok(ms) if ms <= 0 => Err(format!(
                "The speed {ms} is not possible: a tick needs a positive number of milliseconds."
            )),
            Ok(ms) => Err(format!(
                "The speed {ms} ms per tick is slower than one tick a minute."
            )),
            Err(_) => Err(format!(
                "The speed \"{text}\" is not a number of milliseconds per tick or \"max\"."
            )),
        }
    }
}

/// The console's views.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// Facts grouped by FBE.
    Table,
    /// The process pipeline and the rule graph.
    Diagrams,
    /// The plant in 3D.
    ThreeD,
    /// Monte Carlo ensembles run in Web Workers.
    Ensemble,
    /// Charts and figures over the run's history.
    Bi,
}

/// The views offered in the tab strip, in order.
pub const VIEWS: [(View, &str, &str); 5] = [
    (View::Table, "table", "Table"),
    (View::Diagrams, "diagrams", "Diagrams"),
    (View::ThreeD, "3d", "3D"),
    (View::Bi, "bi", "BI"),
    (View::Ensemble, "ensemble", "Ensemble"),
];

impl View {
    /// The URL and `data-view` name.
    pub fn name(self) -> &'static str {
        VIEWS
            .iter()
            .find(|(v, _, _)| *v == self)
            .map(|(_, name, _)| *name)
            .unwrap_or("table")
    }

    /// The view called `name`.
    pub fn from_name(name: &str) -> Option<View> {
        VIEWS
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(v, _, _)| *v)
    }
}

/// The page the link opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    /// The console with its views.
    Console,
    /// The detail page of one FBE (an index into [`FBES`]).
    Fbe(usize),
    /// The models trained on the run's history.
    Predictions,
}

/// The FBE called `id` (`FBE_05`, in any case), as an index into [`FBES`].
pub fn fbe_from_id(id: &str) -> Option<usize> {
    FBES.iter().position(|f| f.id.eq_ignore_ascii_case(id))
}

/// Everything that makes a run reproducible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunSettings {
    /// Seed of the twin's random generator.
    pub seed: u64,
    /// Scenario.
    pub scenario: Scenario,
    /// Pace.
    pub speed: Speed,
    /// Active view.
    pub view: View,
    /// Tick to replay to on load.
    pub tick: Option<u64>,
    /// The page shown.
    pub page: Page,
}

/// The seed used when the URL gives none.
pub const DEFAULT_SEED: u64 = 42;

/// Longest replay the URL may ask for.
pub const MAX_REPLAY_TICKS: u64 = 10_000_000;

impl Default for RunSettings {
    fn default() -> RunSettings {
        RunSettings {
            seed: DEFAULT_SEED,
            scenario: Scenario::MonteCarlo,
            speed: DEFAULT_SPEED,
            view: View::Table,
            tick: None,
            page: Page::Console,
        }
    }
}

/// Decodes `%xx` escapes and `+` in a query component; invalid escapes are kept as they are.
fn decode(text: &str) -> String {
    fn hex(b: u8) -> Option<u8> {
        (b as char).to_digit(16).map(|d| d as u8)
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(high), Some(low)) => {
                    out.push(high * 16 + low);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads the settings from a query string (with or without its leading `?`). Returns the
/// settings and one sentence per value that was replaced by its default.
pub fn parse_query(query: &str) -> (RunSettings, Vec<String>) {
    let mut settings = RunSettings::default();
    let mut notices = Vec::new();
    let query = query.strip_prefix('?').unwrap_or(query);
    let mut seen: Vec<String> = Vec::new();
    // The page and its FBE are read together once every pair is known.
    let (mut page, mut fbe): (Option<String>, Option<String>) = (None, None);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let (key, value) = (decode(key), decode(value));
        if key.is_empty() {
            continue;
        }
        if seen.contains(&key) {
            notices.push(format!(
                "The link sets \"{}\" more than once; only its first value is used.",
                shorten(&key)
            ));
            continue;
        }
        seen.push(key.clone());
        let shown = shorten(&value);
        match key.as_str() {
            "seed" => match value.trim().parse::<u64>() {
                Ok(seed) => settings.seed = seed,
                Err(_) => notices.push(format!(
                    "The seed \"{shown}\" is not a whole number from 0 to {}; using seed {DEFAULT_SEED}.",
                    u64::MAX
                )),
            },
            "scenario" => match Scenario::from_name(value.trim()) {
                Some(scenario) => settings.scenario = scenario,
                None => notices.push(format!(
                    "There is no scenario called \"{shown}\"; the choices are \"scripted\" and \
                     \"monte-carlo\". Using Monte Carlo."
                )),
            },
            "speed" => match Speed::from_param(value.trim()) {
                Ok(speed) => settings.speed = speed,
                Err(message) => notices.push(format!("{message} Using 1.5 s per tick.")),
            },
            "view" => match View::from_name(value.trim()) {
                Some(view) => settings.view = view,
                None => notices.push(format!(
                    "There is no view called \"{shown}\"; showing the table."
                )),
            },
            "tick" => match value.trim().parse::<u64>() {
                Ok(tick) if tick <= MAX_REPLAY_TICKS => settings.tick = Some(tick),
                _ => notices.push(format!(
                    "The tick \"{shown}\" is not a tick this console can replay to (a whole \
                     number from 0 to {MAX_REPLAY_TICKS}); starting at tick 0."
                )),
            },
            "page" => page = Some(value.trim().to_owned()),
            "fbe" => fbe = Some(value.trim().to_owned()),
            _ => notices.push(format!(
                "The link's setting \"{}\" is not one this console knows; it was ignored.",
                shorten(&key)
            )),
        }
    }
    settings.page = read_page(page.as_deref(), fbe.as_deref(), &mut notices);
    notices.dedup();
    if notices.len() > MAX_NOTICES {
        let more = notices.len() - MAX_NOTICES;
        notices.truncate(MAX_NOTICES);
        notices.push(format!("…and {more} more problems with the link."));
    }
    (settings, notices)
}

/// The page named by the link's `page` and `fbe` values; anything unusable is reported and
/// gives the console.
fn read_page(page: Option<&str>, fbe: Option<&str>, notices: &mut Vec<String>) -> Page {
    let found = fbe.map(|id| (id, fbe_from_id(id)));
    match (page, found) {
        (None | Some("console"), None) => Page::Console,
        (Some("predictions"), None) => Page::Predictions,
        (Some("predictions"), Some((id, _))) => {
            notices.push(format!(
                "The predictions page is not about one piece of equipment; \"{}\" is ignored.",
                shorten(id)
            ));
            Page::Predictions
        }
        (None | Some("console"), Some((id, _))) => {
            notices.push(format!(
                "The link names the equipment \"{}\" without \"page=fbe\"; showing the console.",
                shorten(id)
            ));
            Page::Console
        }
        (Some("fbe"), Some((_, Some(index)))) => Page::Fbe(index),
        (Some("fbe"), Some((id, None))) => {
            notices.push(format!(
                "There is no equipment called \"{}\"; the detail pages are FBE_01 to FBE_11. \
                 Showing the console.",
                shorten(id)
            ));
            Page::Console
        }
        (Some("fbe"), None) => {
            notices.push(
                "The link asks for a detail page without saying which equipment (for example \
                 \"fbe=FBE_05\"); showing the console."
                    .to_owned(),
            );
            Page::Console
        }
        (Some(other), _) => {
            notices.push(format!(
                "There is no page called \"{}\"; the pages are \"console\", \"fbe\" and \
                 \"predictions\". Showing the console.",
                shorten(other)
            ));
            Page::Console
        }
    }
}

/// Notices shown for one link at most; the rest are counted.
const MAX_NOTICES: usize = 8;

fn shorten(text: &str) -> String {
    const LIMIT: usize = 40;
    if text.chars().count() <= LIMIT {
        text.to_owned()
    } else {
        let head: String = text.chars().take(LIMIT).collect();
        format!("{head}…")
    }
}

/// The query string that reproduces `settings`.
pub fn to_query(settings: &RunSettings) -> String {
    let mut query = format!(
        "?seed={}&scenario={}&speed={}&view={}",
        settings.seed,
        settings.scenario.name(),
        settings.speed.to_param(),
        settings.view.name()
    );
    if let Some(tick) = settings.tick {
        query.push_str(&format!("&tick={tick}"));
    }
    match settings.page {
        Page::Console => {}
        Page::Fbe(index) => {
            if let Some(fbe) = FBES.get(index) {
                query.push_str(&format!("&page=fbe&fbe={}", fbe.id));
            }
        }
        Page::Predictions => query.push_str("&page=predictions"),
    }
    query
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_through_the_query() {
        let settings = RunSettings {
            seed: 18_446_744_073_709_551_615,
            scenario: Scenario::Scripted,
            speed: Speed::Max,
            view: View::Diagrams,
            tick: Some(1200),
            page: Page::Console,
        };
        assert_eq!(parse_query(&to_query(&settings)), (settings, vec![]));
        let detail = RunSettings {
            view: View::ThreeD,
            page: Page::Fbe(4),
            ..RunSettings::default()
        };
        assert_eq!(
            to_query(&detail),
            "?seed=42&scenario=monte-carlo&speed=1500&view=3d&page=fbe&fbe=FBE_05"
        );
        assert_eq!(parse_query(&to_query(&detail)), (detail, vec![]));
        let plain = RunSettings {
            speed: Speed::Interval(20),
            ..RunSettings::default()
        };
        assert_eq!(parse_query(&to_query(&plain)), (plain, vec![]));
    }

    #[test]
    fn an_empty_query_gives_the_defaults() {
        assert_eq!(parse_query(""), (RunSettings::default(), vec![]));
        assert_eq!(parse_query("?"), (RunSettings::default(), vec![]));
    }

    #[test]
    fn bad_values_are_reported_and_replaced_by_defaults() {
        let (settings, notices) =
            parse_query("?seed=abc&scenario=brewday&speed=-5&view=graph&tick=x&colour=red");
        assert_eq!(settings, RunSettings::default());
        assert_eq!(notices.len(), 6);
        assert_eq!(
            notices[0],
            "The seed \"abc\" is not a whole number from 0 to 18446744073709551615; using seed 42."
        );
        assert!(notices[2].starts_with("The speed -5 is not possible"));
        assert!(notices[3].contains("\"graph\""));
    }

    #[test]
    fn garbage_never_panics() {
        for query in [
            "%",
            "%%%",
            "seed=%zz",
            "&&&=",
            "=5",
            "seed=%F0%9F",
            "speed=99999999999999999999",
            "tick=99999999999",
        ] {
            let (settings, _) = parse_query(query);
            assert_eq!(settings.view, View::Table);
        }
        let (_, notices) = parse_query(&format!("seed={}", "9".repeat(500)));
        assert!(
            notices[0].len() < 200,
            "long values are shortened in notices"
        );
    }

    #[test]
    fn repeated_and_empty_settings_are_handled_plainly() {
        let (settings, notices) = parse_query("?seed=1&seed=abc&&=x");
        assert_eq!(settings.seed, 1);
        assert_eq!(
            notices,
            ["The link sets \"seed\" more than once; only its first value is used."]
        );
        let (_, notices) = parse_query(&"x=1&".repeat(3000));
        assert_eq!(notices.len(), 2, "{notices:?}");
        let (_, notices) = parse_query(
            &(0..30)
                .map(|i| format!("k{i}=1"))
                .collect::<Vec<_>>()
                .join("&"),
        );
        assert_eq!(notices.len(), MAX_NOTICES + 1);
        assert_eq!(notices[MAX_NOTICES], "…and 22 more problems with the link.");
        let (settings, notices) = parse_query("tick=-5");
        assert_eq!(settings.tick, None);
        assert!(notices[0].starts_with("The tick \"-5\" is not a tick this console can replay to"));
    }

    #[test]
    fn a_detail_link_opens_that_fbe() {
        assert_eq!(parse_query("?page=fbe&fbe=FBE_11").0.page, Page::Fbe(10));
        assert_eq!(parse_query("?fbe=fbe_01&page=fbe").0.page, Page::Fbe(0));
        assert_eq!(parse_query("?page=console").0.page, Page::Console);
        let (predictions, notices) = parse_query("?seed=3&page=predictions");
        assert_eq!((predictions.page, notices.len()), (Page::Predictions, 0));
        assert_eq!(
            to_query(&predictions),
            "?seed=3&scenario=monte-carlo&speed=1500&view=table&page=predictions"
        );
        let (ignored, notices) = parse_query("?page=predictions&fbe=FBE_01");
        assert_eq!(ignored.page, Page::Predictions);
        assert!(notices[0].contains("\"FBE_01\" is ignored"), "{notices:?}");
        assert_eq!(
            parse_query("?page=console"),
            (RunSettings::default(), vec![])
        );
    }

    #[test]
    fn a_bad_page_or_fbe_falls_back_to_the_console_with_a_notice() {
        let cases = [
            (
                "?page=fbe&fbe=FBE_12",
                "There is no equipment called \"FBE_12\"",
            ),
            (
                "?page=fbe",
                "The link asks for a detail page without saying which equipment",
            ),
            ("?page=fbe&fbe=", "There is no equipment called \"\""),
            ("?page=map&fbe=FBE_02", "There is no page called \"map\""),
            (
                "?fbe=FBE_02",
                "The link names the equipment \"FBE_02\" without \"page=fbe\"",
            ),
        ];
        for (query, start) in cases {
            let (settings, notices) = parse_query(query);
            assert_eq!(settings.page, Page::Console, "{query}");
            assert_eq!(notices.len(), 1, "{query}: {notices:?}");
            assert!(notices[0].starts_with(start), "{query}: {}", notices[0]);
            assert!(
                notices[0].ends_with("Showing the console.")
                    || notices[0].ends_with("showing the console.")
            );
        }
    }

    #[test]
    fn escapes_are_decoded() {
        assert_eq!(
            parse_query("scenario=monte%2Dcarlo").0.scenario,
            Scenario::MonteCarlo
        );
        assert_eq!(parse_query("speed=MAX").0.speed, Speed::Max);
    }
}
