//! `--format chart`: a result's numeric columns drawn over its time column in the terminal, one
//! bar chart per column (or per `--y`), as wide as the terminal; axes in human units (bytes as
//! KiB/MiB/GiB, counts as k/M/G, times in UTC or `--tz`). Unicode eighth blocks, or `#` with
//! `--ascii`. It draws what it is given and must not run queries.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::engine::{Column, Kind};

/// How a chart is drawn.
#[derive(Debug, Clone)]
pub struct ChartOptions {
    /// The columns to draw (every numeric one when empty).
    pub y: Vec<String>,
    pub ascii: bool,
    pub tz: TimeZone,
    /// Characters across, axis labels included.
    pub width: usize,
}

impl ChartOptions {
    /// Unicode, UTC, 80 characters.
    pub fn plain() -> ChartOptions {
        ChartOptions { y: Vec::new(), ascii: false, tz: TimeZone::UTC, width: 80 }
    }
}

/// Rows of text a series' bars take.
const HEIGHT: usize = 8;
const EIGHTHS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// Why a result cannot be drawn.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct NotChartable(pub String);

/// A time as flow-log results print it: `2026-11-22 10:00:00.000`, with a zone as Athena prints
/// a timestamp with time zone (`2026-11-22 10:00:00.000 UTC`, `… America/New_York`), ISO 8601,
/// or epoch seconds.
pub fn parse_time(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    if let Some((civil, zone)) = s.rsplit_once(' ').filter(|(c, _)| c.contains(' '))
        && let Ok(tz) = TimeZone::get(zone)
    {
        let d = civil.replacen(' ', "T", 1).parse::<jiff::civil::DateTime>().ok()?;
        return d.to_zoned(tz).ok().map(|z| z.timestamp());
    }
    if let Ok(n) = s.parse::<i64>() {
        // Epoch seconds in a plausible range (2001–2286), not a count.
        return (1_000_000_000..10_000_000_000)
            .contains(&n)
            .then(|| Timestamp::from_second(n).ok())
            .flatten();
    }
    let iso = s.replacen(' ', "T", 1);
    iso.parse::<Timestamp>().ok().or_else(|| {
        iso.parse::<jiff::civil::DateTime>()
            .ok()
            .and_then(|d| d.to_zoned(TimeZone::UTC).ok())
            .map(|z| z.timestamp())
    })
}

/// The time column: the first whose every value is a time.
fn time_column(columns: &[Column], rows: &[Vec<Option<String>>]) -> Option<usize> {
    (0..columns.len()).find(|&i| {
        let mut any = false;
        let all = rows.iter().all(|r| match r.get(i).and_then(Option::as_deref) {
            Some(v) => {
                any = true;
                parse_time(v).is_some()
            }
            None => true,
        });
        all && any && (columns[i].kind == Kind::Text || looks_like_time(&columns[i].name))
    })
}

fn looks_like_time(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    ["time", "bucket", "start", "hour", "day", "minute"].iter().any(|w| n.contains(w))
}

/// `3.2 GiB` for byte columns, `1.5M` for other numbers.
fn human(value: f64, bytes: bool) -> String {
    if bytes {
        return crate::engine::human_bytes(value.round() as i64);
    }
    let (v, unit) = match value.abs() {
        a if a >= 1e12 => (value / 1e12, "T"),
        a if a >= 1e9 => (value / 1e9, "G"),
        a if a >= 1e6 => (value / 1e6, "M"),
        a if a >= 1e4 => (value / 1e3, "k"),
        _ => (value, ""),
    };
    if unit.is_empty() && v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v:.1}{unit}") }
}

/// A result as time series: the time column, the times in order, and one series per number column
/// (or per `y` column). A value is None where the row has none (NULL, NaN): a gap, never a zero.
pub struct TimeSeries {
    pub time_column: usize,
    pub times: Vec<Timestamp>,
    pub series: Vec<(String, Vec<Option<f64>>)>,
}

/// The result's time series, or why it has none.
pub fn time_series(
    columns: &[Column],
    rows: &[Vec<Option<String>>],
    y: &[String],
) -> Result<TimeSeries, NotChartable> {
    let hint = "a chart needs a time column and a number column, as `athq run bytes-over-time` gives";
    if rows.is_empty() {
        return Ok(TimeSeries { time_column: 0, times: Vec::new(), series: Vec::new() });
    }
    let Some(t) = time_column(columns, rows) else {
        return Err(NotChartable(format!("this result has no time column to draw against: {hint}")));
    };
    // A row per host (`port-scan`'s scanners, with when each was first seen) is no series over
    // time: its times are one of its columns, not its buckets.
    let is_time = |i: usize| {
        rows.iter().all(|r| r.get(i).and_then(Option::as_deref).is_none_or(|v| parse_time(v).is_some()))
    };
    if let Some(key) = (0..columns.len()).find(|&i| i != t && columns[i].kind == Kind::Text && !is_time(i)) {
        return Err(NotChartable(format!(
            "this result has a row per {}, not per time ({} is one of its columns): {hint}",
            columns[key].name, columns[t].name
        )));
    }
    let numeric: Vec<usize> = (0..columns.len())
        .filter(|&i| i != t && matches!(columns[i].kind, Kind::Integer | Kind::Float))
        .collect();
    let series: Vec<usize> = if y.is_empty() {
        numeric
    } else {
        let mut chosen = Vec::new();
        for name in y {
            match columns.iter().position(|c| c.name.eq_ignore_ascii_case(name)) {
                Some(i) if numeric.contains(&i) => chosen.push(i),
                Some(_) => return Err(NotChartable(format!("--y {name}: the column is not a number"))),
                None => {
                    let names: Vec<&str> = numeric.iter().map(|&i| columns[i].name.as_str()).collect();
                    return Err(NotChartable(format!(
                        "--y {name}: no such column; numbers here: {}",
                        names.join(", ")
                    )));
                }
            }
        }
        chosen
    };
    if series.is_empty() {
        return Err(NotChartable(format!("this result has no number column to draw: {hint}")));
    }
    // The points in time order; a row without a time is left out.
    let mut points: Vec<(Timestamp, &Vec<Option<String>>)> =
        rows.iter().filter_map(|r| Some((parse_time(r.get(t)?.as_deref()?)?, r))).collect();
    points.sort_by_key(|(ts, _)| *ts);
    let series = series
        .iter()
        .map(|&s| {
            let values = points
                .iter()
                .map(|(_, r)| {
                    r.get(s)
                        .and_then(Option::as_deref)
                        .and_then(|v| v.parse::<f64>().ok())
                        .filter(|v| v.is_finite())
                })
                .collect();
            (columns[s].name.clone(), values)
        })
        .collect();
    Ok(TimeSeries { time_column: t, times: points.iter().map(|(ts, _)| *ts).collect(), series })
}

/// Draws the chart, or says why this result cannot be drawn.
pub fn render(
    columns: &[Column],
    rows: &[Vec<Option<String>>],
    opts: &ChartOptions,
) -> Result<String, NotChartable> {
    let ts = time_series(columns, rows, &opts.y)?;
    if ts.times.is_empty() {
        return Ok("(no rows to draw)\n".into());
    }
    // Local times show their offset when it changes within the chart (a daylight-saving change).
    let offsets = |t: &Timestamp| opts.tz.to_offset(*t);
    let shifts = ts.times.windows(2).any(|w| offsets(&w[0]) != offsets(&w[1]));
    // Bars stand on zero: a value below it cannot be drawn as one, and is not drawn as zero.
    for (name, values) in &ts.series {
        if let Some((at, v)) =
            ts.times.iter().zip(values).find_map(|(t, v)| v.filter(|v| *v < 0.0).map(|v| (t, v)))
        {
            return Err(NotChartable(format!(
                "column {name} has a value below zero ({v} at {}): a bar chart draws amounts from zero; \
                 choose other columns with --y, or print it with --format table",
                stamp(*at, &opts.tz, shifts)
            )));
        }
    }
    let mut out = String::new();
    for (name, values) in &ts.series {
        out.push_str(&series_chart(name, &ts.times, values, opts, shifts));
        out.push('\n');
    }
    Ok(out)
}

fn series_chart(
    name: &str,
    times: &[Timestamp],
    values: &[Option<f64>],
    opts: &ChartOptions,
    offsets: bool,
) -> String {
    let bytes = name.to_ascii_lowercase().contains("bytes");
    let max = values.iter().flatten().cloned().fold(0.0, f64::max);
    let labels = [human(max, bytes), human(max / 2.0, bytes), "0".to_string()];
    let label_width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(1);
    let plot = opts.width.saturating_sub(label_width + 2).max(10);
    // Buckets to columns: more buckets than columns share them out evenly (a column shows the
    // largest of its one or two or more), fewer are widened to fill the width.
    let n = values.len();
    let per_column = n.div_ceil(plot);
    let merged: Vec<(Timestamp, Option<f64>)> = match n > plot {
        true => (0..plot)
            .map(|c| {
                let (from, to) = (c * n / plot, (c + 1) * n / plot);
                let most = values[from..to].iter().flatten().cloned().reduce(f64::max);
                (times[from], most)
            })
            .collect(),
        false => times.iter().cloned().zip(values.iter().cloned()).collect(),
    };
    let repeat = (plot / merged.len()).max(1);
    let cols: Vec<(Timestamp, Option<f64>)> =
        merged.iter().flat_map(|p| std::iter::repeat_n(*p, repeat)).collect();

    let peak =
        merged.iter().filter_map(|(t, v)| Some((*t, (*v)?))).fold(None::<(Timestamp, f64)>, |best, p| {
            match best {
                Some(b) if b.1 >= p.1 => Some(b),
                _ => Some(p),
            }
        });
    let mut out = name.to_string();
    if let Some((at, v)) = peak {
        out.push_str(&format!("  (max {} at {})", human(v, bytes), stamp(at, &opts.tz, offsets)));
    }
    let gaps = merged.iter().any(|(_, v)| v.is_none());
    out.push('\n');
    for row in 0..HEIGHT {
        let label = match row {
            0 => &labels[0],
            r if r == HEIGHT / 2 => &labels[1],
            _ => "",
        };
        let bars: String = cols
            .iter()
            .map(|(_, v)| {
                let v = v.unwrap_or(0.0);
                let eighths = if max > 0.0 { (v / max * (HEIGHT * 8) as f64).round() as usize } else { 0 };
                let level = (HEIGHT - row - 1) * 8;
                let fill = eighths.saturating_sub(level).min(8);
                match (opts.ascii, fill) {
                    (false, f) => EIGHTHS[f],
                    (true, 0) => ' ',
                    (true, 8) => '#',
                    (true, _) => '.',
                }
            })
            .collect();
        let tick = if opts.ascii { '|' } else { '┤' };
        out.push_str(format!("{label:>label_width$} {tick}{bars}").trim_end());
        out.push('\n');
    }
    let (corner, rule) = if opts.ascii { ('+', '-') } else { ('└', '─') };
    // A time without a value is marked on the axis, so a gap is not read as a zero.
    let axis_line: String = cols.iter().map(|(_, v)| if v.is_none() { ' ' } else { rule }).collect();
    out.push_str(&format!("{:>label_width$} {corner}{axis_line}\n", labels[2]));
    // Time labels under the axis, each where its column starts, as many as fit apart.
    let mut axis = vec![' '; label_width + 2 + cols.len() + 16];
    let mut next_free = 0;
    for (i, (at, _)) in cols.iter().enumerate() {
        if i > 0 && cols[i - 1].0 == *at {
            continue;
        }
        let text = stamp(*at, &opts.tz, offsets);
        let pos = label_width + 2 + i;
        if pos < next_free || pos + text.chars().count() > label_width + 2 + cols.len() + 1 {
            continue;
        }
        for (k, c) in text.chars().enumerate() {
            axis[pos + k] = c;
        }
        next_free = pos + text.chars().count() + 3;
    }
    out.push_str(axis.iter().collect::<String>().trim_end());
    out.push('\n');
    let zone = opts.tz.iana_name().unwrap_or("UTC");
    let indent = " ".repeat(label_width + 2);
    let mut note = format!("{indent}times in {zone}");
    if gaps {
        note.push_str("; a gap in the axis is a time without a value");
    }
    if per_column > 1 {
        let merged = format!("a column is the largest of up to {per_column} rows");
        match note.chars().count() + 2 + merged.chars().count() <= opts.width {
            true => note.push_str(&format!("; {merged}")),
            false => note.push_str(&format!("\n{indent}{merged}")),
        }
    }
    out.push_str(&note);
    out.push('\n');
    out
}

/// A time as the axis shows it, with its UTC offset when `offset` (the zone's offset changes).
fn stamp(at: Timestamp, tz: &TimeZone, offset: bool) -> String {
    let format = if offset { "%m-%d %H:%M%:z" } else { "%m-%d %H:%M" };
    at.to_zoned(tz.clone()).strftime(format).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(name: &str, kind: Kind) -> Column {
        Column { name: name.into(), kind }
    }

    fn opts(width: usize, ascii: bool) -> ChartOptions {
        ChartOptions { y: vec![], ascii, tz: TimeZone::UTC, width }
    }

    #[test]
    fn times_and_units() {
        assert!(parse_time("2026-11-22 10:00:00.000").is_some());
        assert!(parse_time("2026-11-22T10:00:00Z").is_some());
        // Athena's timestamp with time zone: the same instant in each spelling.
        let utc = parse_time("2026-11-22 10:00:00.000 UTC").unwrap();
        assert_eq!(Some(utc), parse_time("2026-11-22 10:00:00.000"));
        assert_eq!(Some(utc), parse_time("2026-11-22 05:00:00.000 America/New_York"));
        assert!(parse_time("2026-11-22 10:00:00.000 Mars/Olympus").is_none());
        assert!(parse_time("1795083960").is_some());
        assert!(parse_time("42").is_none());
        assert!(parse_time("10.0.0.1").is_none());
        assert_eq!(human(3.5 * 1024.0 * 1024.0 * 1024.0, true), "3.5 GiB");
        assert_eq!(human(1_500_000.0, false), "1.5M");
        assert_eq!(human(12.0, false), "12");
    }

    #[test]
    fn a_row_per_host_is_not_a_series_over_time() {
        let cols = [
            col("srcaddr", Kind::Text),
            col("distinct_ports", Kind::Integer),
            col("first_seen", Kind::Text),
            col("last_seen", Kind::Text),
        ];
        let rows = vec![
            vec![
                Some("192.0.2.23".into()),
                Some("1000".into()),
                Some("2026-11-21 10:00:00.000".into()),
                Some("2026-11-21 11:00:00.000".into()),
            ],
            vec![
                Some("192.0.2.24".into()),
                Some("20".into()),
                Some("2026-11-21 09:00:00.000".into()),
                Some("2026-11-21 12:00:00.000".into()),
            ],
        ];
        let e = render(&cols, &rows, &opts(80, false)).unwrap_err();
        assert!(
            e.0.contains("a row per srcaddr, not per time (first_seen is one of its columns)"),
            "{}",
            e.0
        );
    }

    #[test]
    fn a_result_without_a_time_says_what_to_run() {
        let cols = [col("srcaddr", Kind::Text), col("flows", Kind::Integer)];
        let rows = vec![vec![Some("10.0.0.1".to_string()), Some("3".to_string())]];
        let e = render(&cols, &rows, &opts(60, false)).unwrap_err();
        assert!(e.0.contains("bytes-over-time"), "{e}");
    }

    #[test]
    fn fits_the_width_and_draws_the_peak_full() {
        let cols = [col("bucket_start", Kind::Text), col("total_bytes", Kind::Integer)];
        let rows: Vec<Vec<Option<String>>> = (0..200)
            .map(|h| {
                let t = Timestamp::from_second(1_795_000_000 + h * 3600).unwrap();
                let v = if h == 100 { 10_000_000 } else { 1_000 + h * 10 };
                vec![Some(t.strftime("%Y-%m-%d %H:%M:%S.000").to_string()), Some(v.to_string())]
            })
            .collect();
        for ascii in [false, true] {
            let text = render(&cols, &rows, &opts(60, ascii)).unwrap();
            assert!(text.lines().all(|l| l.chars().count() <= 60), "{text}");
            assert!(text.contains("max 9.5 MiB"), "{text}");
            assert!(text.contains("a column is the largest of up to 4 rows"), "{text}");
            // Every column of the plot is used.
            assert_eq!(
                text.lines().nth(9).unwrap().chars().filter(|c| *c == '─' || *c == '-').count(),
                51,
                "{text}"
            );
            let full = if ascii { '#' } else { '█' };
            assert!(text.lines().nth(1).unwrap().contains(full), "{text}");
        }
    }
}
