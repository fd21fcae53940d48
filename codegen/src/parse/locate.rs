//! Finds the line and column of a value in JSON text by its semantic path, so that errors the
//! check stage finds (long after serde is done) still point into the file.

use std::fmt;

/// One step of a semantic path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A semantic path such as `types.AddFriendItem.fields[2].rules`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SemPath(pub Vec<Seg>);

impl SemPath {
    pub fn root() -> Self {
        SemPath(Vec::new())
    }

    pub fn key(&self, key: &str) -> Self {
        let mut next = self.clone();
        next.0.push(Seg::Key(key.to_owned()));
        next
    }

    pub fn index(&self, index: usize) -> Self {
        let mut next = self.clone();
        next.0.push(Seg::Index(index));
        next
    }
}

impl fmt::Display for SemPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if i == 0 => f.write_str(k)?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// 1-based line and column of the value at `path`, or of the deepest part of it that exists.
pub fn locate(text: &str, path: &SemPath) -> Option<(usize, usize)> {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        pos: 0,
    };
    scanner.skip_ws();
    let mut found = scanner.pos;
    for seg in &path.0 {
        match scanner.enter(seg) {
            Some(pos) => found = pos,
            None => break,
        }
    }
    Some(line_col(text, found))
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.pos += 1;
        }
    }

    /// Moves to the value of `seg` inside the container at the cursor; returns its offset.
    fn enter(&mut self, seg: &Seg) -> Option<usize> {
        match (self.peek()?, seg) {
            (b'{', Seg::Key(want)) => {
                self.pos += 1;
                loop {
                    self.skip_ws();
                    if self.peek()? == b'}' {
                        return None;
                    }
                    let key = self.string()?;
                    self.skip_ws();
                    if self.peek()? != b':' {
                        return None;
                    }
                    self.pos += 1;
                    self.skip_ws();
                    if key == *want {
                        return Some(self.pos);
                    }
                    self.skip_value()?;
                    self.skip_ws();
                    if self.peek()? == b',' {
                        self.pos += 1;
                    }
                }
            }
            (b'[', Seg::Index(want)) => {
                self.pos += 1;
                let mut i = 0;
                loop {
                    self.skip_ws();
                    if self.peek()? == b']' {
                        return None;
                    }
                    if i == *want {
                        return Some(self.pos);
                    }
                    self.skip_value()?;
                    self.skip_ws();
                    if self.peek()? == b',' {
                        self.pos += 1;
                    }
                    i += 1;
                }
            }
            _ => None,
        }
    }

    /// Reads a string at the cursor, decoding the escapes a key may use.
    fn string(&mut self) -> Option<String> {
        if self.peek()? != b'"' {
            return None;
        }
        self.pos += 1;
        let mut out = Vec::new();
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let esc = self.peek()?;
                    self.pos += 1;
                    match esc {
                        b'u' => {
                            let hex = std::str::from_utf8(self.bytes.get(self.pos..self.pos + 4)?)
                                .ok()?;
                            let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)
                                .unwrap_or('\u{fffd}');
                            out.extend_from_slice(c.to_string().as_bytes());
                            self.pos += 4;
                        }
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'r' => out.push(b'\r'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        other => out.push(other),
                    }
                }
                other => out.push(other),
            }
        }
        None
    }

    fn skip_value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                self.pos += 1;
                loop {
                    self.skip_ws();
                    match self.peek()? {
                        c if c == close => {
                            self.pos += 1;
                            return Some(());
                        }
                        b',' | b':' => self.pos += 1,
                        _ => self.skip_value()?,
                    }
                }
            }
            _ => {
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')
                ) {
                    self.pos += 1;
                }
                Some(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_values() {
        let text = "{\n  \"a\": 1,\n  \"b\": [\n    {\"c\": \"x\"},\n    {\"c\": \"y\", \"d\": {\"e\": true}}\n  ]\n}";
        let path = SemPath::root().key("b").index(1).key("d").key("e");
        assert_eq!(locate(text, &path), Some((5, 27)));
        assert_eq!(locate(text, &SemPath::root().key("a")), Some((2, 8)));
    }

    #[test]
    fn stops_at_the_deepest_existing_part() {
        let text = "{\"a\": {\"b\": 1}}";
        assert_eq!(
            locate(text, &SemPath::root().key("a").key("zzz")),
            Some((1, 7))
        );
    }

    #[test]
    fn renders_paths() {
        let path = SemPath::root()
            .key("request")
            .key("fields")
            .index(3)
            .key("rules");
        assert_eq!(path.to_string(), "request.fields[3].rules");
    }
}
