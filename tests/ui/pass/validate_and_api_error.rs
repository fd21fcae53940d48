// Hand-written types with the derives the generated code uses: they compile, and they work.

use tim_rest::{ApiError, RetryClass, Validate};

#[derive(Debug, tim_rest::Validate)]
pub struct Profile {
    #[validate(non_empty, max_bytes = 32)]
    pub account: String,
    #[validate(max_bytes = 96)]
    pub nick: Option<String>,
    #[validate(pattern(prefix = "AddSource_Type_", chars = "A-Za-z", min = 1, max = 8))]
    pub source: String,
    #[validate(charset = "A-Za-z0-9_")]
    pub tag: String,
    #[validate(max_items = 2, each(non_empty, max_bytes = 4))]
    pub groups: Vec<String>,
    #[validate(min_items = 1, each(nested))]
    pub children: Vec<Child>,
}

#[derive(Debug, tim_rest::Validate)]
pub struct Tagged {
    #[validate(pattern(prefix = ["Tag_SNS_Custom_", "Tag_SNS_IM_"], chars = "A-Za-z", max = 8))]
    pub tag: String,
}

#[derive(Debug, tim_rest::Validate)]
pub struct Child {
    #[validate(non_empty)]
    pub name: String,
    pub note: String,
}

#[derive(Debug, PartialEq, tim_rest::ApiError)]
pub enum Error {
    #[code(30001, en = "bad request parameter", zh = "请求参数错误")]
    InvalidParameter,
    #[code(30008, retry = conflict, en = "write conflict")]
    WriteConflict,
    #[code(70001, retry = credentials, en = "the UserSig has expired")]
    UserSigExpired,
    #[code(unknown)]
    Unknown(tim_rest::UnknownCode),
}

/// Nests the catalog every endpoint shares, as generated `Error` enums do.
#[derive(Debug, PartialEq, tim_rest::ApiError)]
pub enum InviteError {
    #[code(40001, retry = transient, en = "the inviter is busy")]
    InviterBusy,
    #[code(common)]
    Common(tim_rest::CommonError),
    #[code(unknown)]
    Unknown(tim_rest::UnknownCode),
}

fn main() {
    let good = Profile {
        account: "alice".into(),
        nick: Some("Al".into()),
        source: "AddSource_Type_Web".into(),
        tag: "Tag_1".into(),
        groups: vec!["abc".into()],
        children: vec![Child { name: "bob".into(), note: String::new() }],
    };
    good.validate().unwrap();

    let bad = Profile {
        account: String::new(),
        nick: Some("x".repeat(97)),
        source: "AddSource_Type_".into(),
        tag: "no spaces".into(),
        groups: vec!["toolong".into(), String::new(), "c".into()],
        children: vec![Child { name: String::new(), note: String::new() }],
    };
    let err = bad.validate().unwrap_err();
    let paths: Vec<&str> = err.violations().iter().map(|v| v.path.as_str()).collect();
    assert_eq!(
        paths,
        ["account", "nick", "source", "tag", "groups", "groups[0]", "groups[1]", "children[0].name"],
        "{err}"
    );

    assert_eq!(Error::from_code(30008), Error::WriteConflict);
    assert_eq!(Error::WriteConflict.retry_class(), RetryClass::Conflict);
    assert!(Error::UserSigExpired.is_retryable());
    assert!(!Error::InvalidParameter.is_retryable());
    assert_eq!(Error::InvalidParameter.message_zh(), "请求参数错误");
    assert_eq!(Error::WriteConflict.message_zh(), "write conflict");
    let unknown = Error::from_code(99999);
    assert_eq!(unknown.code(), 99999);
    assert!(matches!(unknown, Error::Unknown(_)));
    assert_eq!(Error::WriteConflict.to_string(), "error 30008: write conflict");
    let _: &dyn std::error::Error = &unknown;

    use tim_rest::CommonError;
    assert_eq!(InviteError::from_code(40001), InviteError::InviterBusy);
    let throttled = InviteError::from_code(60007);
    assert_eq!(throttled, InviteError::Common(CommonError::RestRateLimited));
    assert_eq!(throttled.common(), Some(CommonError::RestRateLimited));
    assert_eq!(throttled.code(), 60007);
    assert_eq!(throttled.retry_class(), RetryClass::Throttling);
    assert_eq!(throttled.message(), CommonError::RestRateLimited.message());
    assert_eq!(throttled.message_zh(), CommonError::RestRateLimited.message_zh());
    assert_eq!(InviteError::InviterBusy.common(), None);
    assert!(matches!(InviteError::from_code(12345), InviteError::Unknown(_)));

    let tag = |t: &str| Tagged { tag: t.into() }.validate();
    tag("Tag_SNS_Custom_Level").unwrap();
    tag("Tag_SNS_IM_Nick").unwrap();
    let wrong = tag("Tag_SNS_Other_X").unwrap_err();
    assert_eq!(
        wrong.violations()[0].to_string(),
        "tag must be one of \"Tag_SNS_Custom_\", \"Tag_SNS_IM_\" followed by 1 to 8 of [A-Za-z] (found \"Tag_SNS_Other_X\")"
    );
}
