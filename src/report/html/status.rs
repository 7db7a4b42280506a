//! How a status looks. The statuses are the designer's own words, from the decision
//! criteria; the well-known ones (green, amber or yellow, red, insufficient data) have
//! their colours, and any other status a neutral one. The word is always written beside the
//! colour, so that colour is never the only signal.

use crate::eval::INSUFFICIENT_DATA;

use super::markup::Markup;

/// What an indicator has when no band of its criteria holds.
pub const NO_BAND: &str = "no band holds";

/// The colour family of a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Green,
    Amber,
    Red,
    Insufficient,
    /// A status of the designer's own that has no conventional colour.
    Other,
    /// No band of the criteria holds.
    NoBand,
}

impl Tone {
    /// The class of the style sheet that colours it.
    pub fn class(self) -> &'static str {
        match self {
            Tone::Green => "st-green",
            Tone::Amber => "st-amber",
            Tone::Red => "st-red",
            Tone::Insufficient => "st-insufficient",
            Tone::Other => "st-other",
            Tone::NoBand => "st-none",
        }
    }
}

/// The tone of a status, read without regard to case, spaces at its ends, or `_` and `-`
/// written for spaces (`Insufficient_Data`).
pub fn tone(status: Option<&str>) -> Tone {
    let Some(status) = status else {
        return Tone::NoBand;
    };
    let word = status.trim().to_lowercase().replace(['_', '-'], " ");
    match word.as_str() {
        "green" => Tone::Green,
        "amber" | "yellow" => Tone::Amber,
        "red" => Tone::Red,
        INSUFFICIENT_DATA => Tone::Insufficient,
        _ => Tone::Other,
    }
}

/// The word a status is shown by.
pub fn word(status: Option<&str>) -> &str {
    status.unwrap_or(NO_BAND)
}

/// A status as a coloured badge carrying its word.
pub fn badge(m: &mut Markup, status: Option<&str>) {
    let class = format!("badge {}", tone(status).class());
    m.leaf("span", &[("class", &class)], word(status));
}

/// How many results have a status, as a coloured badge: `22 green`.
pub fn counted(m: &mut Markup, status: Option<&str>, count: usize) {
    let class = format!("badge {}", tone(status).class());
    m.leaf(
        "span",
        &[("class", &class)],
        &format!("{count} {}", word(status)),
    );
}

/// How many results have each status: the well-known statuses first in the order green,
/// amber, red, insufficient data, then the others as they first appear, then results for
/// which no band holds. Statuses that no result has are left out.
pub fn tally<'a>(
    statuses: impl IntoIterator<Item = Option<&'a str>>,
) -> Vec<(Option<&'a str>, usize)> {
    let mut counts: Vec<(Option<&str>, usize)> = Vec::new();
    for status in statuses {
        match counts.iter_mut().find(|(s, _)| *s == status) {
            Some((_, n)) => *n += 1,
            None => counts.push((status, 1)),
        }
    }
    let rank = |status: Option<&str>| match tone(status) {
        Tone::Green => 0,
        Tone::Amber => 1,
        Tone::Red => 2,
        Tone::Insufficient => 3,
        Tone::Other => 4,
        Tone::NoBand => 5,
    };
    // A stable sort keeps the statuses of one rank in the order they first appear.
    counts.sort_by_key(|(s, _)| rank(*s));
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_known_statuses_have_their_colours() {
        assert_eq!(tone(Some("green")), Tone::Green);
        assert_eq!(tone(Some("amber")), Tone::Amber);
        assert_eq!(tone(Some("yellow")), Tone::Amber);
        assert_eq!(tone(Some("red")), Tone::Red);
        assert_eq!(tone(Some("insufficient data")), Tone::Insufficient);
        assert_eq!(tone(Some(" Insufficient_Data ")), Tone::Insufficient);
        assert_eq!(tone(Some("RED")), Tone::Red);
        assert_eq!(tone(None), Tone::NoBand);
    }

    #[test]
    fn other_statuses_are_neutral() {
        for status in ["fail", "pass", "on track", "greenish", "", "redundant"] {
            assert_eq!(tone(Some(status)), Tone::Other, "{status}");
        }
        assert_eq!(Tone::Other.class(), "st-other");
    }

    #[test]
    fn a_badge_carries_its_word() {
        let mut m = Markup::new();
        badge(&mut m, Some("amber"));
        badge(&mut m, Some("<fail>"));
        badge(&mut m, None);
        assert_eq!(
            m.finish(),
            "<span class=\"badge st-amber\">amber</span>\
             <span class=\"badge st-other\">&lt;fail&gt;</span>\
             <span class=\"badge st-none\">no band holds</span>"
        );
    }

    #[test]
    fn tally_orders_well_known_statuses_first() {
        let statuses = [
            Some("fail"),
            Some("red"),
            None,
            Some("green"),
            Some("insufficient data"),
            Some("green"),
            Some("watch"),
            Some("amber"),
        ];
        assert_eq!(
            tally(statuses),
            vec![
                (Some("green"), 2),
                (Some("amber"), 1),
                (Some("red"), 1),
                (Some("insufficient data"), 1),
                (Some("fail"), 1),
                (Some("watch"), 1),
                (None, 1),
            ]
        );
        assert!(tally([]).is_empty());
    }
}
