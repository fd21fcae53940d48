//! `#[derive(WireDeserialize)]`, the lean `Deserialize` of the generated types, decodes as
//! serde's derive would: renamed and defaulted fields, unknown fields skipped, and the same
//! errors for a missing or duplicated field.

#[derive(Debug, PartialEq, tim_rest::WireDeserialize)]
struct Item {
    #[serde(rename = "To_Account")]
    to_account: String,
    #[serde(rename = "ResultCode", default)]
    result_code: u32,
    #[serde(rename = "Tags", default)]
    tags: Vec<String>,
    #[serde(rename = "Nick", default)]
    nick: Option<String>,
    r#type: Option<u8>,
}

fn decode(json: &str) -> Result<Item, String> {
    serde_json::from_str(json).map_err(|e| e.to_string())
}

#[test]
fn fields_by_wire_name_with_defaults() {
    let item = decode(r#"{"Nick":"Al","To_Account":"bob","Extra":{"x":[1,2]},"type":3}"#).unwrap();
    assert_eq!(
        item,
        Item {
            to_account: "bob".into(),
            result_code: 0,
            tags: Vec::new(),
            nick: Some("Al".into()),
            r#type: Some(3),
        }
    );
    assert_eq!(
        decode(r#"{"To_Account":"b","Nick":null}"#).unwrap().nick,
        None
    );
    assert_eq!(decode(r#"{"To_Account":"b"}"#).unwrap().r#type, None);
}

#[test]
fn errors_read_like_serdes() {
    let missing = decode(r#"{"ResultCode":1}"#).unwrap_err();
    assert!(
        missing.starts_with("missing field `To_Account`"),
        "{missing}"
    );
    let twice = decode(r#"{"To_Account":"a","To_Account":"b"}"#).unwrap_err();
    assert!(twice.starts_with("duplicate field `To_Account`"), "{twice}");
    let wrong = decode(r#"{"To_Account":7}"#).unwrap_err();
    assert!(wrong.contains("expected a string"), "{wrong}");
    let not_object = decode("[1]").unwrap_err();
    assert!(not_object.contains("a `Item` object"), "{not_object}");
}
