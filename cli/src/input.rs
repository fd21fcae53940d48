//! Friend relations as `tim import` reads them: the input formats, the check of a relation
//! against the schema, and CSV (JSONL is read as every kind's own file is, `migrate::source`).
//!
//! Each CSV row holds one relation: the fields of a friend_import `AddFriendItem`
//! (`To_Account`, `AddSource`, `Remark`, `RemarkTime`, `GroupName`, `AddWording`, `AddTime`,
//! `CustomItem`) plus `From_Account`. A record that cannot be read or breaks a rule of the
//! schema becomes a bad line with its line number and the reason; it never stops the reader.

use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use anyhow::{bail, Context};
use serde::Serialize;
use tim_rest::sns::friend_import::{AddFriendItem, CustomItem, Request};
use tim_rest::validate::Path as JsonPath;
use tim_rest::Validate;

use crate::migrate::jobs::OfAccount;
use crate::migrate::source::{snippet, BadLine, Numbered, Read as Decoded, Records};

/// A relation: `From_Account` beside friend_import's item.
pub type Relation = OfAccount<AddFriendItem>;

/// The format of an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated values with a header row naming the columns.
    Csv,
}

impl Format {
    /// The format an extension suggests: `.jsonl`, `.ndjson`, `.json` or `.csv`.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "jsonl" | "ndjson" | "json" => Some(Format::Jsonl),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    /// `jsonl` or `csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Checks a relation against the schema: the item with its generated `validate()`, and
/// `From_Account` by the rules of the generated request, as friend_import would check the
/// single-item request.
/// The reason lists every violation with its field path (`Remark must be at most 96 bytes
/// (found ...)`).
pub fn validate_relation(from: &str, item: &AddFriendItem) -> Result<(), String> {
    thread_local! {
        // The reader thread checks one relation after another, mostly of the same account.
        static CHECK: std::cell::RefCell<RelationCheck> = std::cell::RefCell::default();
    }
    CHECK.with(|check| check.borrow_mut().check(from, item))
}

/// [`validate_relation`]'s checker: the verdict on a `From_Account` is kept while the next
/// relations have the same one, and an item is checked where it is, not moved into a request
/// and out again.
#[derive(Default)]
struct RelationCheck {
    /// The last `From_Account` checked and what is wrong with it.
    from: Option<(String, Vec<String>)>,
}

impl RelationCheck {
    fn check(&mut self, from: &str, item: &AddFriendItem) -> Result<(), String> {
        let from_reasons = match &self.from {
            Some((last, reasons)) if last == from => reasons,
            _ => &self.from.insert((from.to_owned(), from_violations(from))).1,
        };
        let mut violations = Vec::new();
        // At the root, the paths read `To_Account`, `CustomItem[0].Tag`: as in the request,
        // without its `AddFriendItem[0].`.
        item.validate_at(&JsonPath::Root, &mut violations);
        if from_reasons.is_empty() && violations.is_empty() {
            return Ok(());
        }
        let reasons: Vec<String> = from_reasons
            .iter()
            .cloned()
            .chain(
                violations
                    .iter()
                    .map(|v| format!("{} {} (found {})", v.path, v.rule, v.value)),
            )
            .collect();
        Err(format!("invalid: {}", reasons.join("; ")))
    }
}

/// What the generated request's rules say about `from` as its `From_Account`.
fn from_violations(from: &str) -> Vec<String> {
    let request = Request {
        from_account: from.to_owned(),
        add_friend_item: Vec::new(),
    };
    match request.validate() {
        Ok(()) => Vec::new(),
        Err(e) => e
            .violations()
            .iter()
            // The empty item list breaks its own rule; only From_Account is asked about.
            .filter(|v| v.path == "From_Account")
            .map(|v| format!("{} {} (found {})", v.path, v.rule, v.value))
            .collect(),
    }
}

/// What a CSV column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Column {
    From,
    To,
    AddSource,
    Remark,
    RemarkTime,
    GroupName,
    AddWording,
    AddTime,
    /// A JSON array of `{Tag, Value}` objects.
    CustomItem,
    /// A column named after a custom field (`Tag_SNS_Custom_Level`): its cell is the value.
    Tag(String),
}

const CSV_COLUMNS: &str = "From_Account, To_Account, AddSource, Remark, RemarkTime, GroupName, \
                           AddWording, AddTime, CustomItem, and Tag_SNS_* custom field columns";

/// Reads CSV with a header row. `GroupName` holds names separated by `;`; `CustomItem` a JSON
/// array; a column named `Tag_SNS_...` holds that custom field's string value. Empty cells
/// are absent fields.
pub struct CsvReader<R> {
    reader: csv::Reader<R>,
    columns: Vec<Column>,
    record: csv::ByteRecord,
    check: RelationCheck,
}

/// The relations of the CSV file `path`.
pub fn csv_relations(path: &Path) -> anyhow::Result<Records<Relation>> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut reader = CsvReader::new(BufReader::with_capacity(256 * 1024, file))
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(Box::new(std::iter::from_fn(move || {
        reader.next_record().transpose()
    })))
}

impl<R: Read> CsvReader<R> {
    /// Reads the header of `reader`; fails on an unknown or missing column.
    pub fn new(reader: R) -> anyhow::Result<Self> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .buffer_capacity(256 * 1024)
            .from_reader(reader);
        let header = reader
            .byte_headers()
            .context("cannot read the CSV header")?
            .clone();
        let mut columns = Vec::with_capacity(header.len());
        for name in header.iter() {
            let name = String::from_utf8_lossy(name);
            let name = name.trim().trim_start_matches('\u{feff}');
            let column = match name {
                "From_Account" => Column::From,
                "To_Account" => Column::To,
                "AddSource" => Column::AddSource,
                "Remark" => Column::Remark,
                "RemarkTime" => Column::RemarkTime,
                "GroupName" => Column::GroupName,
                "AddWording" => Column::AddWording,
                "AddTime" => Column::AddTime,
                "CustomItem" => Column::CustomItem,
                tag if tag.starts_with("Tag_SNS_") => Column::Tag(tag.to_owned()),
                other => bail!("unknown CSV column {other:?}; the columns are {CSV_COLUMNS}"),
            };
            if columns.contains(&column) {
                bail!("CSV column {name:?} appears twice in the header");
            }
            columns.push(column);
        }
        for (required, name) in [
            (Column::From, "From_Account"),
            (Column::To, "To_Account"),
            (Column::AddSource, "AddSource"),
        ] {
            if !columns.contains(&required) {
                bail!("the CSV header has no {name} column (required)");
            }
        }
        Ok(CsvReader {
            reader,
            columns,
            record: csv::ByteRecord::new(),
            check: RelationCheck::default(),
        })
    }

    /// The next record, `None` at the end.
    pub fn next_record(&mut self) -> io::Result<Option<Decoded<Relation>>> {
        loop {
            match self.reader.read_byte_record(&mut self.record) {
                Ok(false) => return Ok(None),
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map(|p| p.line()).unwrap_or(0);
                    match e.into_kind() {
                        csv::ErrorKind::Io(io) => return Err(io),
                        kind => {
                            return Ok(Some(Err(BadLine {
                                line,
                                reason: format!("unreadable CSV record: {kind:?}"),
                                text: String::new(),
                            })))
                        }
                    }
                }
            }
            let line = self.record.position().map(|p| p.line()).unwrap_or(0);
            if self.record.len() == 1 && self.record.get(0).unwrap_or_default().is_empty() {
                continue; // a blank line
            }
            return Ok(Some(self.parse(line)));
        }
    }

    fn text(&self) -> String {
        let cells: Vec<String> = self
            .record
            .iter()
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect();
        snippet(&cells.join(","))
    }

    fn parse(&mut self, line: u64) -> Decoded<Relation> {
        let checked = self
            .parse_fields()
            .and_then(|(from, item)| self.check.check(&from, &item).map(|()| (from, item)));
        match checked {
            Ok((from_account, item)) => Ok(Numbered {
                line,
                record: OfAccount::new(from_account, item),
            }),
            Err(reason) => Err(BadLine {
                line,
                reason,
                text: self.text(),
            }),
        }
    }

    fn parse_fields(&self) -> Result<(String, AddFriendItem), String> {
        if self.record.len() != self.columns.len() {
            return Err(format!(
                "{} cells where the header has {} columns",
                self.record.len(),
                self.columns.len()
            ));
        }
        let mut from = None;
        let mut to = None;
        let mut add_source = None;
        let mut item = AddFriendItem::new("", "");
        let mut tags: Vec<CustomItem> = Vec::new();
        for (column, cell) in self.columns.iter().zip(self.record.iter()) {
            let name = column_name(column);
            let cell =
                std::str::from_utf8(cell).map_err(|e| format!("{name}: not valid UTF-8: {e}"))?;
            if cell.is_empty() {
                continue;
            }
            match column {
                Column::From => from = Some(cell.to_owned()),
                Column::To => to = Some(cell.to_owned()),
                Column::AddSource => add_source = Some(cell.to_owned()),
                Column::Remark => item.remark = Some(cell.to_owned()),
                Column::AddWording => item.add_wording = Some(cell.to_owned()),
                Column::RemarkTime => item.remark_time = Some(parse_u64(name, cell)?),
                Column::AddTime => item.add_time = Some(parse_u64(name, cell)?),
                Column::GroupName => {
                    item.group_name = Some(cell.split(';').map(str::to_owned).collect())
                }
                Column::CustomItem => {
                    let parsed: Vec<CustomItem> = serde_json::from_str(cell).map_err(|e| {
                        format!("CustomItem: not a JSON array of {{\"Tag\",\"Value\"}}: {e}")
                    })?;
                    tags.extend(parsed);
                }
                Column::Tag(tag) => tags.push(CustomItem::new(tag.as_str(), cell)),
            }
        }
        let missing = |what: &str| format!("missing field `{what}`");
        item.to_account = to.ok_or_else(|| missing("To_Account"))?;
        item.add_source = add_source.ok_or_else(|| missing("AddSource"))?;
        if !tags.is_empty() {
            item.custom_item = Some(tags);
        }
        Ok((from.ok_or_else(|| missing("From_Account"))?, item))
    }
}

fn column_name(column: &Column) -> &str {
    match column {
        Column::From => "From_Account",
        Column::To => "To_Account",
        Column::AddSource => "AddSource",
        Column::Remark => "Remark",
        Column::RemarkTime => "RemarkTime",
        Column::GroupName => "GroupName",
        Column::AddWording => "AddWording",
        Column::AddTime => "AddTime",
        Column::CustomItem => "CustomItem",
        Column::Tag(tag) => tag,
    }
}

fn parse_u64(name: &str, cell: &str) -> Result<u64, String> {
    cell.trim()
        .parse()
        .map_err(|_| format!("{name}: {cell:?} is not a non-negative integer"))
}

/// Counts the non-blank lines of `path` (a quick pass for the progress bar's total; a CSV
/// header counts as one).
pub fn count_lines(path: &Path) -> io::Result<u64> {
    let mut file = File::open(path)?;
    let mut buf = vec![0u8; 1 << 20];
    let mut count = 0u64;
    let mut blank = true;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        for &b in &buf[..n] {
            if b == b'\n' {
                if !blank {
                    count += 1;
                }
                blank = true;
            } else if !b.is_ascii_whitespace() {
                blank = false;
            }
        }
    }
    if !blank {
        count += 1;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(text: &str) -> Vec<Decoded<Relation>> {
        let mut reader = CsvReader::new(io::Cursor::new(text.as_bytes().to_vec())).unwrap();
        std::iter::from_fn(|| reader.next_record().unwrap()).collect()
    }

    fn bad(record: &Decoded<Relation>) -> &BadLine {
        match record {
            Err(b) => b,
            Ok(r) => panic!("expected a bad line, got {r:?}"),
        }
    }

    #[test]
    fn from_account_and_item_are_both_checked_as_in_the_request() {
        let long = "x".repeat(33);
        // The same reasons as the one-item request's validate() gives, its item prefix cut.
        let expected = |from: &str, item: AddFriendItem| {
            let e = Request::new(from, [item]).validate().unwrap_err();
            let reasons: Vec<String> = e
                .violations()
                .iter()
                .map(|v| {
                    let path = v.path.strip_prefix("AddFriendItem[0].").unwrap_or(&v.path);
                    format!("{path} {} (found {})", v.rule, v.value)
                })
                .collect();
            format!("invalid: {}", reasons.join("; "))
        };
        let one = AddFriendItem::new("b", "AddSource_Type_Web");
        assert_eq!(
            validate_relation(&long, &one).unwrap_err(),
            expected(&long, one.clone())
        );
        let two = AddFriendItem::new("", "Web");
        let reason = validate_relation(&long, &two).unwrap_err();
        assert_eq!(reason, expected(&long, two));
        assert!(reason.contains("; "));
        assert!(validate_relation("a", &one).is_ok());
    }

    #[test]
    fn csv_columns_groups_and_custom_fields() {
        let text = "From_Account,To_Account,AddSource,Remark,GroupName,AddTime,CustomItem,Tag_SNS_Custom_City\n\
                    a,b,AddSource_Type_Web,Bee,x;y,1420000001,\"[{\"\"Tag\"\":\"\"Tag_SNS_Custom_Lv\"\",\"\"Value\"\":2}]\",Paris\n\
                    a,c,AddSource_Type_Web,,,,,\n\
                    a,d,AddSource_Type_Web,,,soon,,\n\
                    a,e\n";
        let records = csv(text);
        assert_eq!(records.len(), 4);
        let r = records[0].as_ref().unwrap();
        assert_eq!(r.line, 2);
        assert_eq!(
            r.record.item.group_name,
            Some(vec!["x".to_owned(), "y".to_owned()])
        );
        assert_eq!(r.record.item.add_time, Some(1420000001));
        let custom = r.record.item.custom_item.as_ref().unwrap();
        assert_eq!(custom.len(), 2);
        assert_eq!(custom[1].tag, "Tag_SNS_Custom_City");
        assert_eq!(custom[1].value.as_str(), Some("Paris"));
        let r = records[1].as_ref().unwrap();
        assert_eq!((r.line, r.record.item.remark.clone()), (3, None));
        let b = bad(&records[2]);
        assert_eq!(b.line, 4);
        assert!(b.reason.contains("AddTime"), "{}", b.reason);
        assert_eq!(bad(&records[3]).line, 5);
    }

    #[test]
    fn csv_header_errors() {
        let err = CsvReader::new(io::Cursor::new("From_Account,To_Account,Remarks\n"))
            .err()
            .unwrap();
        assert!(
            err.to_string().contains("unknown CSV column \"Remarks\""),
            "{err}"
        );
        let err = CsvReader::new(io::Cursor::new("From_Account,To_Account\n"))
            .err()
            .unwrap();
        assert!(err.to_string().contains("AddSource"), "{err}");
    }

    #[test]
    fn format_from_extension() {
        assert_eq!(
            Format::from_path(Path::new("a/b.JSONL")),
            Some(Format::Jsonl)
        );
        assert_eq!(Format::from_path(Path::new("b.csv")), Some(Format::Csv));
        assert_eq!(Format::from_path(Path::new("b.txt")), None);
    }

    #[test]
    fn a_relation_serializes_like_the_input() {
        let relation = OfAccount::new(
            "a",
            AddFriendItem::new("b", "AddSource_Type_Web").remark("r"),
        );
        assert_eq!(
            serde_json::to_string(&relation).unwrap(),
            r#"{"From_Account":"a","To_Account":"b","Remark":"r","AddSource":"AddSource_Type_Web"}"#
        );
    }
}
