// A key given twice in #[code(...)]: the error sits on the second one, not a silent override.

#[derive(Debug, tim_rest::ApiError)]
pub enum Error {
    #[code(30008, retry = conflict, en = "write conflict", retry = never)]
    WriteConflict,
    #[code(unknown)]
    Unknown(tim_rest::UnknownCode),
}

fn main() {}
