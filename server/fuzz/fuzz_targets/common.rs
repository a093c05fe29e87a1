//! Shared by the targets: turning fuzz bytes into a text and edits.

/// Splits the input into a text and a list of edits. Layout: the text, then
/// after a `0xFF` byte (never in UTF-8) a sequence of edits, each
/// `[at, del, len, bytes...]` where `at` is a fraction of the text length.
pub fn text_and_edits(data: &[u8]) -> (String, Vec<(f64, usize, String)>) {
    let (head, tail) = match data.iter().position(|&b| b == 0xFF) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let text = String::from_utf8_lossy(head).into_owned();
    let mut edits = Vec::new();
    let mut rest = tail;
    while rest.len() >= 3 && edits.len() < 16 {
        let at = f64::from(rest[0]) / 255.0;
        let del = usize::from(rest[1]);
        let len = usize::from(rest[2] % 48).min(rest.len() - 3);
        let ins = String::from_utf8_lossy(&rest[3..3 + len]).into_owned();
        edits.push((at, del, ins));
        rest = &rest[3 + len..];
    }
    (text, edits)
}

pub fn floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}
