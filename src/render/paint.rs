//! Terminal styling, on or off.
//!
//! Only a handful of styles are needed, so they are ANSI codes written here;
//! when colour is off every method returns the text unchanged.

/// Applies ANSI styles when enabled.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    /// Whether to emit escape codes.
    pub enabled: bool,
}

impl Paint {
    fn wrap(self, code: &str, s: &str) -> String {
        if self.enabled {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    /// Bold.
    pub fn bold(self, s: &str) -> String {
        self.wrap("1", s)
    }

    /// Dim (secondary text).
    pub fn dim(self, s: &str) -> String {
        self.wrap("2", s)
    }

    /// Green (held, recommended).
    pub fn green(self, s: &str) -> String {
        self.wrap("32", s)
    }

    /// Red (failed, forbidden).
    pub fn red(self, s: &str) -> String {
        self.wrap("31", s)
    }

    /// Yellow (warnings, indeterminate).
    pub fn yellow(self, s: &str) -> String {
        self.wrap("33", s)
    }

    /// Cyan (names).
    pub fn cyan(self, s: &str) -> String {
        self.wrap("36", s)
    }
}
