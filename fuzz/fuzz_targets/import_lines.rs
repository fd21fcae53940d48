//! `tim import`'s inputs on arbitrary files, through the readers it uses: the first byte
//! picks friend relations as JSONL or CSV, or the accounts such a file names
//! (`--import-accounts`); the rest is the file. Never a panic; see `tim_rest_fuzz::read`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tim_rest_cli::input::Format;
use tim_rest_cli::migrate::jobs::{Accounts, Friends};
use tim_rest_cli::migrate::source::Input;
use tim_rest_fuzz::{read, scratch_file};

fuzz_target!(|data: &[u8]| {
    let Some((&which, file)) = data.split_first() else {
        return;
    };
    let path = scratch_file(file);
    match which % 4 {
        0 => read::<Friends>(&Input::Jsonl(path), file.len()),
        1 => read::<Friends>(&Input::Csv(path), file.len()),
        2 => read::<Accounts>(&Input::AccountsOf(path, Format::Jsonl), file.len()),
        _ => read::<Accounts>(&Input::AccountsOf(path, Format::Csv), file.len()),
    }
});
