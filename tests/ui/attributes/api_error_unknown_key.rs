// An unknown key in #[code(...)]: the error sits on the key.

#[derive(Debug, tim_rest::ApiError)]
pub enum Error {
    #[code(30008, retry = conflict, message = "write conflict", en = "write conflict")]
    WriteConflict,
    #[code(unknown)]
    Unknown(tim_rest::UnknownCode),
}

fn main() {}
