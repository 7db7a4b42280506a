//! Writes a large, deterministic incidents CSV for measuring `msr run` on big data.
//!
//! The file has the columns that `benches/incidents.msr` declares: `id`, `opened_at`,
//! `detected_at`, `resolved_at` (empty for open tickets), `severity`, `category`,
//! `business_unit` and `cost` (empty when not assessed). The same row count always gives
//! the same bytes: the values come from a fixed-seed splitmix64 generator, and no clock or
//! environment is read.
//!
//! ```sh
//! cargo bench --bench generate_incidents -- --rows 1000000 --out benches/data/incidents_1m.csv
//! ```
//!
//! Run without arguments (as a plain `cargo bench` does) it only prints its usage.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: generate_incidents --rows N --out FILE.csv";

const SEED: u64 = 0x2700_4155_0000_0001;

/// 2025-01-01T00:00:00Z, in seconds since the Unix epoch.
const YEAR_START: i64 = 1_735_689_600;
const YEAR_SECONDS: i64 = 365 * 86_400;

const SEVERITIES: [&str; 4] = ["low", "medium", "high", "critical"];
/// Out of 100: most incidents are minor.
const SEVERITY_WEIGHTS: [u64; 4] = [45, 33, 17, 5];
/// Mean time to resolve by severity, in hours, before a unit's factor.
const RESOLVE_MEAN_HOURS: [f64; 4] = [90.0, 55.0, 30.0, 12.0];
/// Mean direct cost of an assessed incident by severity, in EUR.
const COST_MEAN_EUR: [f64; 4] = [200.0, 1_100.0, 7_500.0, 45_000.0];

const CATEGORIES: [&str; 8] = [
    "phishing",
    "malware",
    "unauthorised_access",
    "policy_violation",
    "lost_device",
    "data_leakage",
    "vulnerability_exploitation",
    "denial_of_service",
];

/// Business units with a factor on their time to resolve, so their results differ.
const BUSINESS_UNITS: [(&str, f64); 20] = [
    ("Retail Banking", 1.2),
    ("Corporate Banking", 0.9),
    ("Wealth Management", 1.4),
    ("Payments", 0.6),
    ("Treasury", 0.8),
    ("Risk", 1.0),
    ("Compliance", 1.3),
    ("Legal", 2.2),
    ("Finance", 0.9),
    ("Human Resources", 1.8),
    ("Procurement", 1.6),
    ("Marketing", 1.5),
    ("Sales", 1.4),
    ("Customer Service", 1.1),
    ("IT Operations", 0.5),
    ("Engineering", 0.7),
    ("Data Platform", 0.8),
    ("Security Operations", 0.4),
    ("Facilities", 2.0),
    ("Internal Audit", 1.2),
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match Options::parse(&args) {
        Ok(Some(options)) => options,
        Ok(None) => {
            eprintln!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(problem) => {
            eprintln!("generate_incidents: {problem}\n{USAGE}");
            return ExitCode::from(2);
        }
    };

    match write_incidents(&options) {
        Ok(bytes) => {
            eprintln!(
                "wrote {} incidents ({bytes} bytes) to {}",
                options.rows,
                options.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("generate_incidents: {}: {err}", options.out.display());
            ExitCode::FAILURE
        }
    }
}

struct Options {
    rows: u64,
    out: PathBuf,
}

impl Options {
    /// The options, or `None` when nothing was asked for.
    fn parse(args: &[String]) -> Result<Option<Options>, String> {
        let mut rows = None;
        let mut out = None;
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            match arg.as_str() {
                "--rows" => {
                    let value = iter.next().ok_or("`--rows` needs a number")?;
                    let n = value
                        .replace('_', "")
                        .parse::<u64>()
                        .map_err(|_| format!("`{value}` is not a row count"))?;
                    rows = Some(n);
                }
                "--out" => {
                    let value = iter.next().ok_or("`--out` needs a file name")?;
                    out = Some(PathBuf::from(value));
                }
                // cargo passes `--bench` to every bench target it runs.
                "--bench" => {}
                other => return Err(format!("unknown argument `{other}`")),
            }
        }
        match (rows, out) {
            (None, None) => Ok(None),
            (Some(rows), Some(out)) => Ok(Some(Options { rows, out })),
            (None, Some(_)) => Err("`--rows` is missing".into()),
            (Some(_), None) => Err("`--out` is missing".into()),
        }
    }
}

/// Writes the file and returns its size in bytes.
fn write_incidents(options: &Options) -> std::io::Result<u64> {
    if let Some(dir) = options.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut out = BufWriter::with_capacity(1 << 20, File::create(&options.out)?);
    let header = b"id,opened_at,detected_at,resolved_at,severity,category,business_unit,cost\n";
    out.write_all(header)?;

    let mut rng = SplitMix64(SEED);
    let mut line = Vec::with_capacity(256);
    let mut written = header.len() as u64;
    // Tickets are opened in order across the year, each within its own slot.
    let slot = (YEAR_SECONDS / options.rows.max(1) as i64).max(1);
    for n in 0..options.rows {
        line.clear();
        incident(&mut rng, n, slot, &mut line);
        out.write_all(&line)?;
        written += line.len() as u64;
    }
    out.flush()?;
    Ok(written)
}

/// Appends one CSV line for incident number `n`.
fn incident(rng: &mut SplitMix64, n: u64, slot: i64, line: &mut Vec<u8>) {
    let severity = rng.weighted(&SEVERITY_WEIGHTS);
    let category = rng.below(CATEGORIES.len() as u64) as usize;
    let (unit, unit_factor) = BUSINESS_UNITS[rng.below(BUSINESS_UNITS.len() as u64) as usize];

    let start = (n as i64 * slot) % YEAR_SECONDS;
    let opened = YEAR_START + start + rng.below(slot as u64) as i64;
    // Detection mostly follows within hours; a few tickets never record it.
    let detected = rng
        .chance(97)
        .then(|| opened + rng.exponential(6.0 * 3600.0));
    // Work starts once the incident is confirmed, so resolution follows detection.
    let resolve_mean = RESOLVE_MEAN_HOURS[severity] * unit_factor * 3600.0;
    let work_from = detected.unwrap_or(opened);
    let resolved = rng
        .chance(96)
        .then(|| work_from + rng.exponential(resolve_mean));
    let cost_cents = rng
        .chance(40)
        .then(|| rng.exponential(COST_MEAN_EUR[severity] * 100.0));

    line.extend_from_slice(b"INC-");
    push_padded(line, n + 1, 8);
    line.push(b',');
    push_timestamp(line, opened);
    line.push(b',');
    if let Some(t) = detected {
        push_timestamp(line, t);
    }
    line.push(b',');
    if let Some(t) = resolved {
        push_timestamp(line, t);
    }
    line.push(b',');
    line.extend_from_slice(SEVERITIES[severity].as_bytes());
    line.push(b',');
    line.extend_from_slice(CATEGORIES[category].as_bytes());
    line.push(b',');
    line.extend_from_slice(unit.as_bytes());
    line.push(b',');
    if let Some(cents) = cost_cents {
        push_number(line, (cents / 100) as u64);
        line.push(b'.');
        push_padded(line, (cents % 100) as u64, 2);
    }
    line.push(b'\n');
}

/// The splitmix64 generator: tiny, fast, and good enough for synthetic data.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`; the slight bias of the modulo does not matter here.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// A uniform float in `(0, 1]`, from the top 53 bits.
    fn unit(&mut self) -> f64 {
        ((self.next() >> 11) + 1) as f64 / (1u64 << 53) as f64
    }

    /// An exponentially distributed whole number with the given mean.
    fn exponential(&mut self, mean: f64) -> i64 {
        (-self.unit().ln() * mean) as i64
    }

    /// An index drawn with the given weights.
    fn weighted(&mut self, weights: &[u64]) -> usize {
        let total: u64 = weights.iter().sum();
        let mut pick = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if pick < w {
                return i;
            }
            pick -= w;
        }
        weights.len() - 1
    }
}

/// Appends seconds since the epoch as `YYYY-MM-DDTHH:MM:SSZ`.
fn push_timestamp(line: &mut Vec<u8>, seconds: i64) {
    let days = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400) as u64;
    let (year, month, day) = civil_date(days);

    push_padded(line, year as u64, 4);
    line.push(b'-');
    push_padded(line, month as u64, 2);
    line.push(b'-');
    push_padded(line, day as u64, 2);
    line.push(b'T');
    push_padded(line, of_day / 3600, 2);
    line.push(b':');
    push_padded(line, of_day / 60 % 60, 2);
    line.push(b':');
    push_padded(line, of_day % 60, 2);
    line.push(b'Z');
}

/// The proleptic Gregorian date of a day count since 1970-01-01.
///
/// Counting in 400-year eras that start on 1 March makes the leap day the last day of its
/// year, so the month lengths from March onwards repeat in a fixed 153-day pattern.
fn civil_date(days: i64) -> (i64, u32, u32) {
    let shifted = days + 719_468; // days from 0000-03-01 to 1970-01-01
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u32;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Appends `value` in decimal, left-padded with zeros to `width` digits.
fn push_padded(line: &mut Vec<u8>, value: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut i = digits.len();
    let mut v = value;
    loop {
        i -= 1;
        digits[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    let len = digits.len() - i;
    line.extend(std::iter::repeat_n(b'0', width.saturating_sub(len)));
    line.extend_from_slice(&digits[i..]);
}

fn push_number(line: &mut Vec<u8>, value: u64) {
    push_padded(line, value, 1);
}
