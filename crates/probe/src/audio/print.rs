//! The sound's fingerprint (`reelcheck_facts::fingerprint::SoundPrint`): Chromaprint, the
//! AcoustID fingerprinter (through `rusty-chromaprint`), fed the main track's samples mixed
//! down to one channel on the measuring thread, in the one pass that meters the sound.

use reelcheck_facts::fingerprint::SoundPrint;
use rusty_chromaprint::{Configuration, Fingerprinter};

pub struct Printer {
    config: Configuration,
    printer: Fingerprinter,
    /// Items of the stretches before a change of rate (each restarts Chromaprint).
    done: Vec<u32>,
    started: bool,
    mono: Vec<i16>,
}

impl Printer {
    pub fn new() -> Printer {
        let config = Configuration::preset_test2();
        Printer {
            printer: Fingerprinter::new(&config),
            config,
            done: Vec::new(),
            started: false,
            mono: Vec::new(),
        }
    }

    /// The samples that follow come at `rate`. A rate Chromaprint cannot take (under 1 kHz)
    /// leaves the rest of the track unheard.
    pub fn configure(&mut self, rate: u32) {
        self.close();
        self.started = self.printer.start(rate, 1).is_ok();
    }

    /// Takes samples, one slice per channel, averaged into one.
    pub fn add(&mut self, planes: &[&[f32]]) {
        if !self.started || planes.is_empty() {
            return;
        }
        let n = planes.iter().map(|p| p.len()).min().unwrap_or(0);
        let k = planes.len() as f32;
        self.mono.clear();
        self.mono.extend((0..n).map(|i| {
            let sum: f32 = planes.iter().map(|p| p[i]).sum();
            // Saturating: a sample over full scale is clipped, never wrapped.
            (sum / k * 32_767.0).clamp(-32_768.0, 32_767.0) as i16
        }));
        self.printer.consume(&self.mono);
    }

    fn close(&mut self) {
        if self.started {
            self.printer.finish();
            self.done.extend_from_slice(self.printer.fingerprint());
            self.started = false;
        }
    }

    /// The fingerprint of sound starting at `start_s` on the film's timeline; `None` when no
    /// item came (less than about three seconds of sound).
    pub fn finish(mut self, start_s: f64) -> Option<SoundPrint> {
        self.close();
        // An item hears the `delay` samples (2.6 s) that end one item after it starts: it is
        // placed at their middle, where the sound it describes lies.
        let middle = self.config.delay() as f64 / 2.0 / f64::from(self.config.sample_rate());
        (!self.done.is_empty()).then(|| {
            SoundPrint::new(
                start_s + middle,
                f64::from(self.config.item_duration_in_seconds()),
                &self.done,
            )
        })
    }
}
