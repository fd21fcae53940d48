// A downstream schema names a type tim-rest shares (`common/types/`): the generated field is
// `tim_rest::types::DeleteType`, the one type every endpoint uses, not a copy.

#[derive(tim_rest::Endpoint)]
#[endpoint(schema = "tests/ui/pass/fixtures/delete_some.json")]
pub struct DeleteSome;

fn main() {
    let request = delete_some::Request::new("a", tim_rest::types::DeleteType::Both);
    let sent = serde_json::to_string(&request).unwrap();
    assert_eq!(sent, r#"{"From_Account":"a","DeleteType":"Delete_Type_Both"}"#);
    // The same type as the built-in endpoint's field.
    let builtin = tim_rest::sns::friend_delete_all::Request::new("a").delete_type(request.delete_type.clone());
    assert_eq!(builtin.delete_type, Some(tim_rest::types::DeleteType::Both));
}
