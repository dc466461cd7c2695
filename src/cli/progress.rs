//! A progress bar on a terminal, silence otherwise (scripts and pipes get no noise).

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

pub struct Bar {
    message: String,
    bar: Option<ProgressBar>,
    enabled: bool,
}

impl Bar {
    pub fn new(message: String) -> Bar {
        Bar {
            message,
            bar: None,
            enabled: std::io::stderr().is_terminal(),
        }
    }

    pub fn set(&mut self, done: u64, total: u64) {
        if !self.enabled {
            return;
        }
        let message = self.message.clone();
        let bar = self.bar.get_or_insert_with(|| {
            let bar = ProgressBar::new(total);
            if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {eta}") {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message(message);
            bar
        });
        bar.set_length(total);
        bar.set_position(done);
    }

    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
