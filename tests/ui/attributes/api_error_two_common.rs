// Two variants nesting the common catalog: which one would `from_code(60007)` pick?

#[derive(Debug, tim_rest::ApiError)]
pub enum Error {
    #[code(common)]
    Common(tim_rest::CommonError),
    #[code(common)]
    Shared(tim_rest::CommonError),
    #[code(unknown)]
    Unknown(tim_rest::UnknownCode),
}

fn main() {}
