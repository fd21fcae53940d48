//! Input readers: JSONL and CSV files of friend relations, read one record at a time.
//!
//! Each line (JSONL) or row (CSV) holds one relation: the fields of a friend_import
//! `AddFriendItem` (`To_Account`, `AddSource`, `Remark`, `RemarkTime`, `GroupName`,
//! `AddWording`, `AddTime`, `CustomItem`) plus `From_Account`. A record that cannot be read or
//! breaks a rule of the schema becomes a [`BadLine`] with its line number and the reason; it
//! never stops the reader. Memory stays bounded: one line at a time, lines longer than
//! [`MAX_LINE_BYTES`] are skipped without being held.

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};
use tim_rest::sns::friend_import::{AddFriendItem, CustomItem, Request};
use tim_rest::validate::Path as JsonPath;
use tim_rest::Validate;

/// Longest line accepted; a longer one is reported as bad and skipped.
pub const MAX_LINE_BYTES: usize = 1 << 20;
/// Most bytes of a bad line kept in the failures report.
const MAX_TEXT_BYTES: usize = 400;

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

/// One valid relation of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    /// 1-based line number where the record starts.
    pub line: u64,
    /// `From_Account`: whose friend list receives the friend.
    pub from: String,
    /// The friend, as friend_import sends it.
    pub item: AddFriendItem,
}

/// A relation as written in the input and in the failures report: `From_Account` plus the
/// fields of `AddFriendItem`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelationRecord<'a> {
    /// `From_Account`.
    #[serde(rename = "From_Account")]
    pub from: &'a str,
    /// The item's own fields.
    #[serde(flatten)]
    pub item: &'a AddFriendItem,
}

/// A record that could not be turned into a valid relation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// 1-based line number where the record starts.
    pub line: u64,
    /// Why it was refused.
    pub reason: String,
    /// The start of the record's text.
    pub text: String,
}

/// What the reader yields for each record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    /// A valid relation.
    Relation(Relation),
    /// A record refused, with the reason.
    Bad(BadLine),
}

impl Record {
    /// The line the record starts on.
    pub fn line(&self) -> u64 {
        match self {
            Record::Relation(r) => r.line,
            Record::Bad(b) => b.line,
        }
    }
}

/// Reads records from a JSONL or CSV source.
pub struct InputReader {
    inner: Inner,
}

enum Inner {
    Jsonl(JsonlReader<Box<dyn BufRead + Send>>),
    Csv(CsvReader<Box<dyn Read + Send>>),
}

impl InputReader {
    /// Opens `path` in `format`.
    pub fn open(path: &Path, format: Format) -> anyhow::Result<Self> {
        let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        Self::from_reader(Box::new(BufReader::with_capacity(256 * 1024, file)), format)
            .with_context(|| format!("cannot read {}", path.display()))
    }

    /// Reads `format` from any reader (tests, pipes).
    pub fn from_reader(reader: Box<dyn BufRead + Send>, format: Format) -> anyhow::Result<Self> {
        let inner = match format {
            Format::Jsonl => Inner::Jsonl(JsonlReader::new(reader)),
            Format::Csv => Inner::Csv(CsvReader::new(Box::new(reader) as Box<dyn Read + Send>)?),
        };
        Ok(InputReader { inner })
    }

    /// The next record, `None` at the end. An `Err` is an I/O failure of the source itself.
    pub fn next_record(&mut self) -> io::Result<Option<Record>> {
        match &mut self.inner {
            Inner::Jsonl(r) => r.next_record(),
            Inner::Csv(r) => r.next_record(),
        }
    }
}

impl Iterator for InputReader {
    type Item = io::Result<Record>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_record().transpose()
    }
}

/// Checks a relation against the schema: the item with its generated `validate()`, and
/// `From_Account` by the rules of the generated request, as friend_import would check the
/// single-item request.
/// The reason lists every violation with its field path (`Remark must be at most 96 bytes
/// (found ...)`).
pub fn validate_relation(from: &str, item: &AddFriendItem) -> Result<(), String> {
    RelationCheck::default().check(from, item)
}

/// [`validate_relation`] for a stream of relations: the verdict on a `From_Account` is kept
/// while the next relations have the same one (in sorted input, all of an account's), and an
/// item is checked where it is, not moved into a request and out again.
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

fn finish_record(
    check: &mut RelationCheck,
    line: u64,
    from: String,
    item: AddFriendItem,
    text: impl FnOnce() -> String,
) -> Record {
    match check.check(&from, &item) {
        Ok(()) => Record::Relation(Relation { line, from, item }),
        Err(reason) => Record::Bad(BadLine {
            line,
            reason,
            text: text(),
        }),
    }
}

/// Cuts `text` to at most [`MAX_TEXT_BYTES`] bytes on a character boundary.
fn snippet(text: &str) -> String {
    if text.len() <= MAX_TEXT_BYTES {
        return text.to_owned();
    }
    let mut end = MAX_TEXT_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// The JSON form of one input line.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonRelation {
    #[serde(rename = "From_Account")]
    from: String,
    #[serde(rename = "To_Account")]
    to: String,
    #[serde(rename = "AddSource")]
    add_source: String,
    #[serde(rename = "Remark", default)]
    remark: Option<String>,
    #[serde(rename = "RemarkTime", default)]
    remark_time: Option<u64>,
    #[serde(rename = "GroupName", default)]
    group_name: Option<Vec<String>>,
    #[serde(rename = "AddWording", default)]
    add_wording: Option<String>,
    #[serde(rename = "AddTime", default)]
    add_time: Option<u64>,
    #[serde(rename = "CustomItem", default)]
    custom_item: Option<Vec<CustomItem>>,
}

impl JsonRelation {
    fn into_parts(self) -> (String, AddFriendItem) {
        let mut item = AddFriendItem::new(self.to, self.add_source);
        item.remark = self.remark;
        item.remark_time = self.remark_time;
        item.group_name = self.group_name;
        item.add_wording = self.add_wording;
        item.add_time = self.add_time;
        item.custom_item = self.custom_item;
        (self.from, item)
    }
}

/// Reads JSON Lines: one object per line; blank lines are skipped.
pub struct JsonlReader<R> {
    reader: R,
    line: u64,
    buf: Vec<u8>,
    check: RelationCheck,
}

impl<R: BufRead> JsonlReader<R> {
    /// A reader over `reader`.
    pub fn new(reader: R) -> Self {
        JsonlReader {
            reader,
            line: 0,
            buf: Vec::with_capacity(1024),
            check: RelationCheck::default(),
        }
    }

    /// The next record, `None` at the end.
    pub fn next_record(&mut self) -> io::Result<Option<Record>> {
        loop {
            self.buf.clear();
            let n = (&mut self.reader)
                .take(MAX_LINE_BYTES as u64 + 1)
                .read_until(b'\n', &mut self.buf)?;
            if n == 0 {
                return Ok(None);
            }
            self.line += 1;
            let line = self.line;
            if self.buf.last() != Some(&b'\n') && self.buf.len() > MAX_LINE_BYTES {
                let text = String::from_utf8_lossy(&self.buf[..MAX_TEXT_BYTES]).into_owned();
                skip_line(&mut self.reader)?;
                return Ok(Some(Record::Bad(BadLine {
                    line,
                    reason: format!("line longer than {MAX_LINE_BYTES} bytes"),
                    text: snippet(&text),
                })));
            }
            let bytes = trim_ascii(&self.buf);
            if bytes.is_empty() {
                continue;
            }
            let text = match std::str::from_utf8(bytes) {
                Ok(t) => t,
                Err(e) => {
                    return Ok(Some(Record::Bad(BadLine {
                        line,
                        reason: format!("not valid UTF-8: {e}"),
                        text: snippet(&String::from_utf8_lossy(bytes)),
                    })))
                }
            };
            // Good lines take the plain parser; only a bad one is parsed again, with path
            // tracking, to name the field in its report.
            let parsed = serde_json::from_str::<JsonRelation>(text).map_err(|_| {
                let mut de = serde_json::Deserializer::from_str(text);
                match serde_path_to_error::deserialize::<_, JsonRelation>(&mut de) {
                    Err(e) => {
                        let path = e.path().to_string();
                        let inner = json_error(e.inner());
                        if path.is_empty() || path == "." || path == "?" {
                            inner
                        } else {
                            format!("{path}: {inner}")
                        }
                    }
                    Ok(_) => match de.end() {
                        Err(e) => json_error(&e),
                        Ok(()) => "not a relation".to_owned(),
                    },
                }
            });
            let record = match parsed {
                Ok(rel) => {
                    let (from, item) = rel.into_parts();
                    finish_record(&mut self.check, line, from, item, || snippet(text))
                }
                Err(reason) => Record::Bad(BadLine {
                    line,
                    reason: format!("not a relation: {reason}"),
                    text: snippet(text),
                }),
            };
            return Ok(Some(record));
        }
    }
}

/// serde_json's message without its " at line 1 column N" tail when the line is known anyway.
fn json_error(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    match msg.rfind(" at line ") {
        Some(i) => format!("{} (column {})", &msg[..i], e.column()),
        None => msg,
    }
}

fn skip_line<R: BufRead>(reader: &mut R) -> io::Result<()> {
    loop {
        let (done, used) = {
            let buf = reader.fill_buf()?;
            if buf.is_empty() {
                return Ok(());
            }
            match buf.iter().position(|&b| b == b'\n') {
                Some(i) => (true, i + 1),
                None => (false, buf.len()),
            }
        };
        reader.consume(used);
        if done {
            return Ok(());
        }
    }
}

fn trim_ascii(mut bytes: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = bytes {
        if first.is_ascii_whitespace() {
            bytes = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = bytes {
        if last.is_ascii_whitespace() {
            bytes = rest;
        } else {
            break;
        }
    }
    bytes
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
    pub fn next_record(&mut self) -> io::Result<Option<Record>> {
        loop {
            match self.reader.read_byte_record(&mut self.record) {
                Ok(false) => return Ok(None),
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map(|p| p.line()).unwrap_or(0);
                    match e.into_kind() {
                        csv::ErrorKind::Io(io) => return Err(io),
                        kind => {
                            return Ok(Some(Record::Bad(BadLine {
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

    fn parse(&mut self, line: u64) -> Record {
        match self.parse_fields() {
            Ok((from, item)) => {
                let mut check = std::mem::take(&mut self.check);
                let record = finish_record(&mut check, line, from, item, || self.text());
                self.check = check;
                record
            }
            Err(reason) => Record::Bad(BadLine {
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

    fn read_all(text: &str, format: Format) -> Vec<Record> {
        let reader =
            InputReader::from_reader(Box::new(io::Cursor::new(text.as_bytes().to_vec())), format)
                .unwrap();
        reader.map(|r| r.unwrap()).collect()
    }

    #[test]
    fn from_account_and_item_are_both_checked_as_in_the_request() {
        let long = "x".repeat(33);
        let text = format!(
            "{{\"From_Account\":\"{long}\",\"To_Account\":\"b\",\"AddSource\":\"AddSource_Type_Web\"}}\n\
             {{\"From_Account\":\"{long}\",\"To_Account\":\"\",\"AddSource\":\"Web\"}}\n\
             {{\"From_Account\":\"a\",\"To_Account\":\"b\",\"AddSource\":\"AddSource_Type_Web\"}}\n"
        );
        let records = read_all(&text, Format::Jsonl);
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
        assert_eq!(
            bad(&records[0]).reason,
            expected(&long, AddFriendItem::new("b", "AddSource_Type_Web"))
        );
        assert_eq!(
            bad(&records[1]).reason,
            expected(&long, AddFriendItem::new("", "Web"))
        );
        assert!(bad(&records[1]).reason.contains("; "));
        assert!(matches!(records[2], Record::Relation(_)));
    }

    fn bad(record: &Record) -> &BadLine {
        match record {
            Record::Bad(b) => b,
            Record::Relation(r) => panic!("expected a bad line, got {r:?}"),
        }
    }

    #[test]
    fn jsonl_good_and_bad_lines_with_numbers() {
        let text = r#"{"From_Account":"a","To_Account":"b","AddSource":"AddSource_Type_Web","Remark":"Bee","GroupName":["x","y"],"CustomItem":[{"Tag":"Tag_SNS_Custom_Lv","Value":3}]}

{"From_Account":"a","To_Account":"c"}
not json
{"From_Account":"a","To_Account":"d","AddSource":"Web"}
{"From_Account":"a","To_Account":"e","AddSource":"AddSource_Type_Web","Remarks":"typo"}
{"From_Account":"","To_Account":"f","AddSource":"AddSource_Type_Web"}
"#;
        let records = read_all(text, Format::Jsonl);
        assert_eq!(records.len(), 6);
        let Record::Relation(r) = &records[0] else {
            panic!()
        };
        assert_eq!((r.line, r.from.as_str()), (1, "a"));
        assert_eq!(r.item.remark.as_deref(), Some("Bee"));
        assert_eq!(r.item.group_name.as_ref().unwrap().len(), 2);
        assert_eq!(
            r.item.custom_item.as_ref().unwrap()[0].value.as_u64(),
            Some(3)
        );
        let b = bad(&records[1]);
        assert_eq!(b.line, 3);
        assert!(
            b.reason.contains("missing field `AddSource`"),
            "{}",
            b.reason
        );
        assert_eq!(bad(&records[2]).line, 4);
        let b = bad(&records[3]);
        assert_eq!(b.line, 5);
        assert!(b.reason.starts_with("invalid: AddSource"), "{}", b.reason);
        let b = bad(&records[4]);
        assert!(b.reason.contains("unknown field `Remarks`"), "{}", b.reason);
        let one = read_all(
            r#"{"From_Account":"a","To_Account":"b","AddSource":"AddSource_Type_Web","AddTime":-1}"#,
            Format::Jsonl,
        );
        assert!(
            bad(&one[0]).reason.contains("AddTime: invalid value"),
            "{}",
            bad(&one[0]).reason
        );
        let b = bad(&records[5]);
        assert_eq!(b.line, 7);
        assert!(b.reason.contains("From_Account"), "{}", b.reason);
    }

    #[test]
    fn jsonl_overlong_line_is_skipped_not_held() {
        let long = "x".repeat(MAX_LINE_BYTES + 10);
        let text = format!(
            "{long}\n{}\n",
            r#"{"From_Account":"a","To_Account":"b","AddSource":"AddSource_Type_Web"}"#
        );
        let records = read_all(&text, Format::Jsonl);
        assert_eq!(records.len(), 2);
        assert!(bad(&records[0]).reason.contains("longer than"));
        assert!(bad(&records[0]).text.len() <= MAX_TEXT_BYTES + 3);
        assert_eq!(records[1].line(), 2);
    }

    #[test]
    fn csv_columns_groups_and_custom_fields() {
        let text = "From_Account,To_Account,AddSource,Remark,GroupName,AddTime,CustomItem,Tag_SNS_Custom_City\n\
                    a,b,AddSource_Type_Web,Bee,x;y,1420000001,\"[{\"\"Tag\"\":\"\"Tag_SNS_Custom_Lv\"\",\"\"Value\"\":2}]\",Paris\n\
                    a,c,AddSource_Type_Web,,,,,\n\
                    a,d,AddSource_Type_Web,,,soon,,\n\
                    a,e\n";
        let records = read_all(text, Format::Csv);
        assert_eq!(records.len(), 4);
        let Record::Relation(r) = &records[0] else {
            panic!("{:?}", records[0])
        };
        assert_eq!(r.line, 2);
        assert_eq!(
            r.item.group_name,
            Some(vec!["x".to_owned(), "y".to_owned()])
        );
        assert_eq!(r.item.add_time, Some(1420000001));
        let custom = r.item.custom_item.as_ref().unwrap();
        assert_eq!(custom.len(), 2);
        assert_eq!(custom[1].tag, "Tag_SNS_Custom_City");
        assert_eq!(custom[1].value.as_str(), Some("Paris"));
        let Record::Relation(r) = &records[1] else {
            panic!()
        };
        assert_eq!((r.line, r.item.remark.clone()), (3, None));
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
    fn relation_record_serializes_like_the_input() {
        let item = AddFriendItem::new("b", "AddSource_Type_Web").remark("r");
        let json = serde_json::to_string(&RelationRecord {
            from: "a",
            item: &item,
        })
        .unwrap();
        assert_eq!(
            json,
            r#"{"From_Account":"a","To_Account":"b","Remark":"r","AddSource":"AddSource_Type_Web"}"#
        );
    }
}
