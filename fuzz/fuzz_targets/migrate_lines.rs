//! `tim migrate`'s files on arbitrary input, for each of the ten kinds: the first byte picks
//! the kind (in `Kind::ALL` order), the rest is its JSONL file, read through the kind's own
//! `Job::records`. Never a panic; see `tim_rest_fuzz::read`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tim_rest_cli::migrate::jobs;
use tim_rest_cli::migrate::kind::Kind;
use tim_rest_cli::migrate::source::Input;
use tim_rest_fuzz::{read, scratch_file};

fuzz_target!(|data: &[u8]| {
    let Some((&which, file)) = data.split_first() else {
        return;
    };
    let input = Input::Jsonl(scratch_file(file));
    let n = file.len();
    match Kind::ALL[usize::from(which) % Kind::ALL.len()] {
        Kind::Accounts => read::<jobs::Accounts>(&input, n),
        Kind::Profiles => read::<jobs::Profiles>(&input, n),
        Kind::Friends => read::<jobs::Friends>(&input, n),
        Kind::Blocklists => read::<jobs::Blocklists>(&input, n),
        Kind::Groups => read::<jobs::Groups>(&input, n),
        Kind::GroupMembers => read::<jobs::GroupMembers>(&input, n),
        Kind::GroupMessages => read::<jobs::GroupMessages>(&input, n),
        Kind::GroupUnread => read::<jobs::GroupUnread>(&input, n),
        Kind::C2cMessages => read::<jobs::C2cMessages>(&input, n),
        Kind::C2cRead => read::<jobs::C2cRead>(&input, n),
    }
});
