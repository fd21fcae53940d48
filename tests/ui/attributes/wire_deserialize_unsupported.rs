// A serde attribute the lean Deserialize does not implement is an error, never ignored.

#[derive(tim_rest::WireDeserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    #[serde(rename = "To_Account", alias = "to")]
    pub to_account: String,
    #[serde(default = "seven")]
    pub code: u32,
}

fn main() {}
