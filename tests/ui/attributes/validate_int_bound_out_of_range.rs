// A bound is written in the field's own integer type, so one the field cannot hold does not
// compile: a negative bound on a u32, a bound past i32::MAX on the items of a Vec<i32>.

#[derive(tim_rest::Validate)]
pub struct Add {
    #[validate(min = -1)]
    pub force_add_flags: u32,
    #[validate(each(max = 3000000000))]
    pub ids: Vec<i32>,
}

fn main() {}
