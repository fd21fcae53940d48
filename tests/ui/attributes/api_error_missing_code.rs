// A variant without #[code(...)]. The enum still gets a minimal impl, so the use in main
// reports nothing more.

use tim_rest::ApiError;

#[derive(Debug, tim_rest::ApiError)]
pub enum Error {
    #[code(30001, en = "bad request parameter")]
    InvalidParameter,
    WriteConflict,
    #[code(unknown)]
    Unknown(tim_rest::UnknownCode),
}

fn main() {
    let _ = Error::from_code(30001).is_retryable();
}
