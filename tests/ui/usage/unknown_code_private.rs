// Only `ApiError::from_code` builds an UnknownCode: outside code cannot make one up, so
// matching on the unknown variant never hides a documented code.

fn main() {
    let _ = tim_rest::sns::friend_import::Error::Unknown(tim_rest::UnknownCode(5));
}
