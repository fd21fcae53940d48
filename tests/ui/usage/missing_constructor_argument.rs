// Required fields are constructor arguments: a request without its AddFriendItem list does
// not compile.

fn main() {
    let _ = tim_rest::sns::friend_import::Request::new("alice");
}
