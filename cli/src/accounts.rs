//! The accounts a file of friend relations names (`tim import --import-accounts`): every
//! distinct `From_Account` and `To_Account` of its valid relations, in the order the file
//! first names them, each numbered by that order (the checkpoint settles these numbers as it
//! settles the lines of an accounts file). Bad lines are skipped here: the friend pass
//! reports them.
//!
//! Memory: the accounts already named are kept as 64-bit hashes (8 bytes each plus the
//! table's overhead; about 100 MB for 10 million distinct accounts). Two accounts whose hashes
//! collide (odds around 1 in 10^7 for 10 million accounts) would leave the second unimported;
//! its relations would then be refused with 30003 and land in the failures report, never
//! silently lost.

use std::path::Path;

use tim_rest::im_open_login_svc::multiaccount_import::AccountItem;

use crate::hash::{account_hash, HashSet64};
use crate::input::Format;
use crate::migrate::job::Job;
use crate::migrate::jobs::Friends;
use crate::migrate::source::{Input, Numbered, Records};

/// The distinct accounts of the relations in `path`, read as `format`.
pub fn accounts_of(path: &Path, format: Format) -> anyhow::Result<Records<AccountItem>> {
    let relations = Friends::records(&match format {
        Format::Jsonl => Input::Jsonl(path.to_owned()),
        Format::Csv => Input::Csv(path.to_owned()),
    })?;
    let mut seen = HashSet64::default();
    let mut next = 0u64;
    let mut new_account = move |account: &str| {
        seen.insert(account_hash(account)).then(|| {
            next += 1;
            Numbered {
                line: next,
                record: AccountItem::new(account),
            }
        })
    };
    Ok(Box::new(relations.flat_map(move |read| {
        let accounts: Vec<_> = match read {
            Err(e) => vec![Err(e)],
            Ok(Err(_bad)) => Vec::new(),
            Ok(Ok(relation)) => [
                relation.record.from_account.as_str(),
                relation.record.item.to_account.as_str(),
            ]
            .into_iter()
            .filter_map(&mut new_account)
            .map(|n| Ok(Ok(n)))
            .collect(),
        };
        accounts
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_account_once_in_the_order_first_named_and_bad_lines_skipped() {
        let dir = std::env::temp_dir().join(format!("tim-accounts-of-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("rel.jsonl");
        std::fs::write(
            &path,
            concat!(
                r#"{"From_Account":"a","To_Account":"b","AddSource":"AddSource_Type_X"}"#,
                "\nnot json\n",
                r#"{"From_Account":"b","To_Account":"c","AddSource":"AddSource_Type_X"}"#,
                "\n",
                r#"{"From_Account":"a","To_Account":"c","AddSource":"AddSource_Type_X"}"#,
                "\n"
            ),
        )
        .unwrap();
        let got: Vec<(u64, String)> = accounts_of(&path, Format::Jsonl)
            .unwrap()
            .map(|r| {
                let n = r.unwrap().unwrap();
                (n.line, n.record.user_id)
            })
            .collect();
        assert_eq!(
            got,
            [(1, "a".into()), (2, "b".into()), (3, "c".into())],
            "numbered by first mention"
        );
    }
}
