//! `min` / `max` on integers: from the schema (black_list_get's page size, friend_add's flag)
//! and from `#[validate(...)]` on hand-written types. A value out of range is a violation with
//! its path; the bounds themselves pass.

use tim_rest::sns::{black_list_get, friend_add};
use tim_rest::{Rule, Validate, Violation};

fn violations(value: &impl Validate) -> Vec<Violation> {
    value
        .validate()
        .err()
        .map(|e| e.into_violations())
        .unwrap_or_default()
}

fn paths_and_rules(value: &impl Validate) -> Vec<(String, Rule)> {
    violations(value)
        .into_iter()
        .map(|v| (v.path, v.rule))
        .collect()
}

#[test]
fn black_list_get_pages_hold_1_to_1000() {
    for limit in [1, 2, 999, 1000] {
        let request = black_list_get::Request::new("alice", 0, limit, 0);
        assert_eq!(request.validate(), Ok(()), "MaxLimited {limit}");
    }
    let empty = black_list_get::Request::new("alice", 0, 0, 0);
    assert_eq!(
        violations(&empty),
        [Violation {
            path: "MaxLimited".into(),
            rule: Rule::Min(1),
            value: "0".into(),
        }]
    );
    for limit in [1001, u64::MAX] {
        let request = black_list_get::Request::new("alice", 0, limit, 0);
        assert_eq!(
            violations(&request),
            [Violation {
                path: "MaxLimited".into(),
                rule: Rule::Max(1000),
                value: limit.to_string(),
            }]
        );
    }
}

#[test]
fn an_out_of_range_integer_reads_like_the_other_rules() {
    let err = black_list_get::Request::new("alice", 0, 5000, 0)
        .validate()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid request: 1 violation\n  - MaxLimited must be at most 1000 (found 5000)"
    );
    assert_eq!(Rule::Min(-3).to_string(), "must be at least -3");
}

#[test]
fn friend_add_force_flag_is_0_or_1() {
    let request = |flag: Option<u32>| {
        let request = friend_add::Request::new(
            "alice",
            [friend_add::AddFriendItem::new(
                "bob",
                "AddSource_Type_Android",
            )],
        );
        match flag {
            Some(flag) => request.force_add_flags(flag),
            None => request,
        }
    };
    for flag in [None, Some(0), Some(1)] {
        assert_eq!(request(flag).validate(), Ok(()), "ForceAddFlags {flag:?}");
    }
    assert_eq!(
        paths_and_rules(&request(Some(2))),
        [("ForceAddFlags".to_owned(), Rule::Max(1))]
    );
}

/// Every integer type, bounds at the ends of their ranges, optional fields and items.
#[derive(Debug, Validate, serde::Serialize)]
struct Bounded {
    #[validate(min = -5, max = 5)]
    #[serde(rename = "Offset")]
    offset: i32,
    #[validate(min = -9223372036854775808, max = 0)]
    below: i64,
    #[validate(max = 18446744073709551614)]
    almost_all: u64,
    #[validate(min = 1)]
    page: Option<u32>,
    #[validate(max_items = 3, each(min = 10, max = 20))]
    ids: Vec<u16>,
    #[validate(min = 1, max = 100)]
    count: usize,
}

fn bounded() -> Bounded {
    Bounded {
        offset: 0,
        below: i64::MIN,
        almost_all: u64::MAX - 1,
        page: None,
        ids: vec![10, 20],
        count: 100,
    }
}

#[test]
fn hand_written_bounds_check_every_integer_type() {
    assert_eq!(bounded().validate(), Ok(()));
    let ends = Bounded {
        offset: -5,
        below: 0,
        page: Some(1),
        ..bounded()
    };
    assert_eq!(ends.validate(), Ok(()));

    let broken = Bounded {
        offset: 6,
        below: 1,
        almost_all: u64::MAX,
        page: Some(0),
        ids: vec![10, 9, 21, 15],
        count: 0,
    };
    assert_eq!(
        violations(&broken),
        [
            ("Offset", Rule::Max(5), "6"),
            ("below", Rule::Max(0), "1"),
            (
                "almost_all",
                Rule::Max(18446744073709551614),
                "18446744073709551615"
            ),
            ("page", Rule::Min(1), "0"),
            ("ids", Rule::MaxItems(3), "4 items"),
            ("ids[1]", Rule::Min(10), "9"),
            ("ids[2]", Rule::Max(20), "21"),
            ("count", Rule::Min(1), "0"),
        ]
        .map(|(path, rule, value)| Violation {
            path: path.into(),
            rule,
            value: value.into(),
        })
    );
}
