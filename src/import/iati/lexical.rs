//! Lexical checks of the XSD built-in types the IATI schema uses: dates, date-times, decimals,
//! integers, booleans, XML names, language tags and URIs. Each takes the value after its
//! whitespace rule and answers whether it is in the type's lexical space. Where libxml2
//! (xmllint, the reference IATI tests against) is stricter or looser than the XSD text, the
//! function says so and follows libxml2, so this validator and xmllint agree.

pub(crate) fn collapse(s: &str) -> String {
    s.split(super::reader::is_xml_space)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

pub(crate) fn decimal(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    match body.split_once('.') {
        Some((int, frac)) => {
            (int.is_empty() || all_digits(int))
                && (frac.is_empty() || all_digits(frac))
                && !(int.is_empty() && frac.is_empty())
        }
        None => all_digits(body),
    }
}

/// An integer's sign and its digits without leading zeros.
fn integer(s: &str) -> Option<(bool, &str)> {
    let (negative, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if !all_digits(body) {
        return None;
    }
    let digits = body.trim_start_matches('0');
    Some((negative && !digits.is_empty(), digits))
}

pub(crate) fn int(s: &str) -> bool {
    integer(s).is_some_and(|(neg, d)| {
        d.is_empty()
            || d.len() <= 10
                && d.parse::<i64>().is_ok_and(|v| {
                    if neg {
                        v <= 2_147_483_648
                    } else {
                        v <= 2_147_483_647
                    }
                })
    })
}

pub(crate) fn any_integer(s: &str) -> bool {
    integer(s).is_some()
}

pub(crate) fn non_negative_integer(s: &str) -> bool {
    integer(s).is_some_and(|(neg, _)| !neg)
}

pub(crate) fn positive_integer(s: &str) -> bool {
    integer(s).is_some_and(|(neg, d)| !neg && !d.is_empty())
}

pub(crate) fn boolean(s: &str) -> bool {
    matches!(s, "true" | "false" | "1" | "0")
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn two(s: &str) -> Option<u32> {
    (s.len() == 2 && all_digits(s))
        .then(|| s.parse().ok())
        .flatten()
}

/// `[-]YYYY-MM-DD` with a real day of that month; year 0000 is refused (XSD 1.0) and a year
/// of more than four digits may not start with 0.
fn date_part(s: &str) -> Option<()> {
    let (neg, body) = s.strip_prefix('-').map_or((false, s), |b| (true, b));
    let mut parts = body.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() < 4 || !all_digits(y) || (y.len() > 4 && y.starts_with('0')) {
        return None;
    }
    let year: i64 = y.parse().ok()?;
    if year == 0 {
        return None;
    }
    let (month, day) = (two(m)?, two(d)?);
    let year = if neg { -year } else { year };
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&day).then_some(())
}

/// Splits a trailing time zone (`Z`, `+hh:mm`, `-hh:mm`, at most 14:00) off `s`.
fn split_zone(s: &str) -> Option<&str> {
    if let Some(rest) = s.strip_suffix('Z') {
        return Some(rest);
    }
    if s.len() > 6 && s.is_char_boundary(s.len() - 6) {
        let (rest, tz) = s.split_at(s.len() - 6);
        if let Some(hm) = tz
            .strip_prefix(['+', '-'])
            .filter(|hm| hm.as_bytes()[2] == b':')
        {
            let (h, m) = hm.split_once(':')?;
            let (h, m) = (two(h)?, two(m)?);
            return (h < 14 && m < 60 || h == 14 && m == 0).then_some(rest);
        }
    }
    Some(s)
}

pub(crate) fn date(s: &str) -> bool {
    split_zone(s).and_then(date_part).is_some()
}

pub(crate) fn date_time(s: &str) -> bool {
    let Some(body) = split_zone(s) else {
        return false;
    };
    let Some((d, t)) = body.split_once('T') else {
        return false;
    };
    if date_part(d).is_none() {
        return false;
    }
    let mut parts = t.splitn(3, ':');
    let (Some(h), Some(m), Some(sec)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let (whole, frac) = sec.split_once('.').unwrap_or((sec, ""));
    if sec.contains('.') && !all_digits(frac) {
        return false;
    }
    let (Some(h), Some(m), Some(s)) = (two(h), two(m), two(whole)) else {
        return false;
    };
    let end_of_day = h == 24 && m == 0 && s == 0 && frac.bytes().all(|b| b == b'0');
    (h < 24 && m < 60 && s < 60) || end_of_day
}

fn is_name_start(c: char) -> bool {
    matches!(c, ':' | 'A'..='Z' | '_' | 'a'..='z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}'
        | '\u{F8}'..='\u{2FF}' | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}'
        | '\u{200C}'..='\u{200D}' | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}'
        | '\u{3001}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}'
        | '\u{10000}'..='\u{EFFFF}')
}

fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

pub(crate) fn nmtoken(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_name_char)
}

pub(crate) fn ncname(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| is_name_start(c) && c != ':')
        && chars.all(|c| is_name_char(c) && c != ':')
}

/// A language tag by the XSD pattern `[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*` (libxml2 checks the
/// same pattern, not the stricter BCP 47 grammar: "e" and "a-b" pass, "en_US" does not).
pub(crate) fn language(s: &str) -> bool {
    let mut tags = s.split('-');
    let ok = |t: &str, alpha_only: bool| {
        (1..=8).contains(&t.len())
            && t.bytes()
                .all(|b| b.is_ascii_alphabetic() || (!alpha_only && b.is_ascii_digit()))
    };
    tags.next().is_some_and(|t| ok(t, true)) && tags.all(|t| ok(t, false))
}

/// An `xsd:anyURI` as libxml2 checks it: characters that may not appear in a URI (spaces,
/// non-ASCII, `<>"{}|\^` and so on) are first replaced by `_`, then the value must parse as an
/// RFC 3986 URI reference; libxml2 also lets `[` and `]` through in a fragment. Empty is valid.
pub(crate) fn any_uri(s: &str) -> bool {
    let cleaned: String = s
        .chars()
        .map(|c| {
            if (c as u32) < 32 || (c as u32) >= 127 || " <>\"{}|\\^`'".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let (rest, fragment) = cleaned.split_once('#').unwrap_or((&cleaned, ""));
    let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
    if !uri_chars(fragment, "/?[]") || !uri_chars(query, "/?") {
        return false;
    }
    let scheme_end = rest.find(':').filter(|&i| {
        let scheme = &rest[..i];
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    let hier = match scheme_end {
        Some(i) => &rest[i + 1..],
        None => {
            // A relative reference's first segment may not hold ':' (RFC 3986 path-noscheme).
            let first = rest.split('/').next().unwrap_or("");
            if !rest.starts_with('/') && first.contains(':') {
                return false;
            }
            rest
        }
    };
    let path = if let Some(after) = hier.strip_prefix("//") {
        let end = after.find('/').unwrap_or(after.len());
        if !authority(&after[..end]) {
            return false;
        }
        &after[end..]
    } else {
        hier
    };
    path.split('/').all(|seg| uri_chars(seg, ""))
}

fn authority(a: &str) -> bool {
    let (user, hostport) = a.rsplit_once('@').unwrap_or(("", a));
    if !uri_chars(user, "") {
        return false;
    }
    let (host, port) = if let Some(lit) = hostport.strip_prefix('[') {
        match lit.split_once(']') {
            Some((_, after)) => ("", after),
            None => return false,
        }
    } else {
        match hostport.split_once(':') {
            Some((h, _)) => (h, &hostport[h.len()..]),
            None => (hostport, ""),
        }
    };
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()));
    port_ok && !host.contains(':') && !host.contains('@') && uri_chars(host, "")
}

/// Path characters (`pchar`: unreserved, `%XX`, sub-delims, `:` and `@`) plus `extra`.
fn uri_chars(s: &str, extra: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i] as char;
        if c == '%' {
            if !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
            {
                return false;
            }
            i += 3;
            continue;
        }
        let ok = c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@".contains(c) || extra.contains(c);
        if !ok {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_follow_the_calendar() {
        assert!(date("2024-02-29") && date("2013-11-27Z") && date("2013-11-27+07:00"));
        assert!(!date("2023-02-29") && !date("2013-13-01") && !date("0000-01-01"));
        assert!(!date("2013-1-01") && !date("27/11/2013") && !date(""));
        assert!(date_time("2013-11-27T10:00:00") && date_time("2013-11-27T10:00:00.5Z"));
        assert!(!date_time("2013-11-27") && !date_time("2013-11-27T25:00:00"));
        assert!(!date("2013-11-2é") && !date("é2013-11-27Zé") && !date_time("2013-11-27T10:00:0€"));
    }

    #[test]
    fn numbers_and_names() {
        assert!(
            decimal("1.") && decimal(".5") && decimal("-10.25") && !decimal("") && !decimal("1,5")
        );
        assert!(int("-2147483648") && !int("2147483648") && int("0") && int("-000"));
        assert!(positive_integer("007") && !int("1.0"));
        assert!(!positive_integer("0") && non_negative_integer("0") && !non_negative_integer("-1"));
        assert!(language("en") && language("en-GB") && language("vi") && language("e"));
        assert!(
            !language("en_US") && !language("abcdefghi") && !language("1a") && !language("en--GB")
        );
        assert!(any_uri("http://example.org/a b") && any_uri("") && !any_uri("http://x/%zz"));
        assert!(!any_uri("1a:b") && any_uri("./1a:b"));
    }
}
