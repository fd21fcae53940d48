//! `validate()` of a valid request allocates nothing: the JSON path of each value is a chain of
//! borrowed links, rendered only for a violation. Counted by this test binary's allocator, on
//! this thread only (the harness's own threads allocate as they like).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use tim_rest::sns::friend_import::{AddFriendItem, CustomItem, Request};
use tim_rest::Validate;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn allocations_during(f: impl FnOnce()) -> u64 {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

fn full_request() -> Request {
    Request::new(
        "alice",
        (0..1000).map(|i| {
            AddFriendItem::new(format!("user{i}"), "AddSource_Type_Android")
                .remark("remark")
                .group_name(["朋友", "同事"])
                .add_wording("hello")
                .custom_item([
                    CustomItem::new("Tag_SNS_Custom_Level", 3u64),
                    CustomItem::new("Tag_SNS_Custom_Name", "x"),
                ])
        }),
    )
}

#[test]
fn validating_a_valid_request_allocates_nothing() {
    let request = full_request();
    let mut result = None;
    let count = allocations_during(|| result = Some(request.validate()));
    assert_eq!(result, Some(Ok(())));
    assert_eq!(
        count, 0,
        "validate() of a valid 1000-item request allocated {count} times"
    );

    // The counter works: an invalid request does allocate, for its report.
    let mut bad = full_request();
    bad.add_friend_item[7].add_source = "nope".into();
    let count = allocations_during(|| assert!(bad.validate().is_err()));
    assert!(count > 0);
}

#[test]
fn integer_bounds_allocate_nothing_when_met() {
    use tim_rest::sns::{black_list_get, friend_add};
    let page = black_list_get::Request::new("alice", 0, 1000, 0);
    let add = friend_add::Request::new(
        "alice",
        [friend_add::AddFriendItem::new(
            "bob",
            "AddSource_Type_Android",
        )],
    )
    .force_add_flags(1);
    let count = allocations_during(|| {
        assert_eq!(page.validate(), Ok(()));
        assert_eq!(add.validate(), Ok(()));
    });
    assert_eq!(
        count, 0,
        "validate() with integer bounds allocated {count} times"
    );
}

mod constructs {
    tim_rest::include_schema!("tests/fixtures/constructs");
}

#[test]
fn message_bodies_maps_groups_and_json_size_allocate_nothing_when_met() {
    use constructs::demo::send::{Condition, MuteTime, ProfileItem, Request};
    use constructs::types::{MsgElem, PushFlag};
    let attrs = [("a".to_owned(), "1".to_owned())].into();
    let request = Request::new([MsgElem::text("hi"), MsgElem::location(1.5, 2.5)])
        .condition(Condition::new().attrs_and(attrs))
        .push_flag(PushFlag::Push)
        .desc("shown")
        .mute_time(MuteTime::FOREVER)
        .profile([
            ProfileItem::nick("bob"),
            ProfileItem::level(3),
            ProfileItem::custom("Tag_Profile_Custom_X", "y"),
        ]);
    let mut result = None;
    let count = allocations_during(|| result = Some(request.validate()));
    assert_eq!(result, Some(Ok(())));
    assert_eq!(count, 0, "validate() allocated {count} times");
}
