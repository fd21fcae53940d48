// Setters take the field's type: RemarkTime is a u64 of unix seconds, not text.

use tim_rest::sns::friend_import::AddFriendItem;

fn main() {
    let _ = AddFriendItem::new("bob", "AddSource_Type_Android").remark_time("yesterday");
}
