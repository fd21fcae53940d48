// No #[code(unknown)] variant for the codes the enum does not list.

#[derive(Debug, tim_rest::ApiError)]
pub enum Error {
    #[code(30001, en = "bad request parameter")]
    InvalidParameter,
}

fn main() {}
