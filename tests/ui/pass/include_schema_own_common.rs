// include_schema! over a directory with a common/ of its own: its catalog replaces the
// built-in one (the expansion defines its own `CommonError`), its shared types are defined once
// in its own `types` module, and a service other than sns gets its own module.

tim_rest::include_schema!("tests/ui/pass/fixtures/own_common");

use tim_rest::{ApiError, Endpoint, Validate};
use group_open_http_svc::get_group_info::{CustomItem, Error, GetGroupInfo, Request};

fn main() {
    assert_eq!(GetGroupInfo::PATH, "v4/group_open_http_svc/get_group_info");
    let request = Request::new(["@TGS#1"]).custom([CustomItem::new("Tag_1", 7u64), CustomItem::new("Tag_2", "short")]);
    request.validate().unwrap();
    let too_long = Request::new(["@TGS#1"]).custom([CustomItem::new("bad tag", "more than sixteen bytes")]);
    assert_eq!(too_long.validate().unwrap_err().violations().len(), 2);

    // A shared type is one type wherever it is named, and keeps its rules.
    let item = types::AppDefinedDataItem::new("k", "v");
    let request = Request::new(["@TGS#1"]).app_defined_data([item.clone()]);
    request.validate().unwrap();
    let bad = Request::new(["@TGS#1"]).app_defined_data([types::AppDefinedDataItem::new("", "v")]);
    let violations = bad.validate().unwrap_err();
    assert_eq!(violations.violations()[0].path, "AppDefinedData[0].Key");
    let reply: group_open_http_svc::get_group_info::Response =
        serde_json::from_str(r#"{"ActionStatus": "OK", "ErrorCode": 0, "AppDefinedData": [{"Key": "k", "Value": "v"}]}"#).unwrap();
    assert_eq!(reply.app_defined_data, Some(vec![item]));
    assert_eq!(types::Unused::from_wire("A_Two"), types::Unused::Two);

    assert_eq!(Error::from_code(10004), Error::InvalidParameter);
    assert_eq!(Error::from_code(60007), Error::Common(CommonError::RestRateLimited));
    assert_eq!(Error::from_code(60007).common(), Some(CommonError::RestRateLimited));
    assert_eq!(CommonError::ALL.len(), 2);
    assert_ne!(CommonError::ALL.len(), tim_rest::CommonError::ALL.len());
    // 60002 is in the built-in catalog, not in this one.
    assert_eq!(Error::from_code(60002).code(), 60002);
    assert!(matches!(Error::from_code(60002), Error::Unknown(_)));
}
