//! The switch for the batch fast path ([`super::elide`] and
//! [`super::plain`]): with it off, [`super::Document::parse_once`] parses
//! every piece whole, as [`super::Document::parse`] does, so that a
//! difference between the two can be bisected. Off when the environment
//! variable `COMITY_NO_FAST_PATH` is set to anything but `0` or empty, or
//! after [`set_fast_path`]`(false)` (`comity check --no-fast-path`).

use std::sync::atomic::{AtomicU8, Ordering};

const UNKNOWN: u8 = 0;
const ON: u8 = 1;
const OFF: u8 = 2;

static STATE: AtomicU8 = AtomicU8::new(UNKNOWN);

/// Whether `parse_once` may read groups of lines without the parser and
/// elide plain text.
pub fn fast_path_enabled() -> bool {
    match STATE.load(Ordering::Relaxed) {
        ON => true,
        OFF => false,
        _ => {
            let off =
                std::env::var_os("COMITY_NO_FAST_PATH").is_some_and(|v| !v.is_empty() && v != "0");
            STATE.store(if off { OFF } else { ON }, Ordering::Relaxed);
            !off
        }
    }
}

/// Turns the fast path on or off for the rest of the process.
pub fn set_fast_path(on: bool) {
    STATE.store(if on { ON } else { OFF }, Ordering::Relaxed);
}
