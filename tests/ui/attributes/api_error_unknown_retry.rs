// A retry class that does not exist: the error sits on the class.

#[derive(Debug, tim_rest::ApiError)]
pub enum Error {
    #[code(30008, retry = sometimes, en = "write conflict")]
    WriteConflict,
    #[code(unknown)]
    Unknown(tim_rest::UnknownCode),
}

fn main() {}
