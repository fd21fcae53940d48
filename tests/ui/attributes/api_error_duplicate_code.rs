// Two variants with one code: the error sits on the second code.

#[derive(Debug, tim_rest::ApiError)]
pub enum Error {
    #[code(30001, en = "bad request parameter")]
    InvalidParameter,
    #[code(30001, en = "bad parameter")]
    BadParameter,
    #[code(unknown)]
    Unknown(tim_rest::UnknownCode),
}

fn main() {}
