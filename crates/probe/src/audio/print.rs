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
    /// The fingerprinter panicked: the sound goes without a fingerprint, and its loudness and
    /// levels, measured on the same thread, are kept.
    broken: bool,
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
            broken: false,
            mono: Vec::new(),
        }
    }

    /// Runs `f` on the fingerprinter, which is another crate's code fed the file's samples: a
    /// panic there ends the fingerprint, not the measuring thread.
    fn guarded<T>(&mut self, f: impl FnOnce(&mut Fingerprinter) -> T) -> Option<T> {
        if self.broken {
            return None;
        }
        let printer = &mut self.printer;
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(printer))) {
            Ok(v) => Some(v),
            Err(_) => {
                self.broken = true;
                self.started = false;
                None
            }
        }
    }

    /// The samples that follow come at `rate`. A rate Chromaprint cannot take (under 1 kHz)
    /// leaves the rest of the track unheard.
    pub fn configure(&mut self, rate: u32) {
        self.close();
        self.started = self.guarded(|p| p.start(rate, 1).is_ok()) == Some(true);
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
        let mono = std::mem::take(&mut self.mono);
        self.guarded(|p| p.consume(&mono));
        self.mono = mono;
    }

    fn close(&mut self) {
        if self.started {
            if let Some(items) = self.guarded(|p| {
                p.finish();
                p.fingerprint().to_vec()
            }) {
                self.done.extend(items);
            }
            self.started = false;
        }
    }

    /// The fingerprint of sound starting at `start_s` on the film's timeline; `None` when no
    /// item came (less than about three seconds of sound).
    pub fn finish(mut self, start_s: f64) -> Option<SoundPrint> {
        self.close();
        if self.broken {
            return None;
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `seconds` of noise at `rate`, two channels.
    fn noise(rate: u32, seconds: f64, seed: u32) -> Vec<Vec<f32>> {
        let n = (f64::from(rate) * seconds) as usize;
        let mut noise = super::super::test_noise::Noise::new(seed);
        let left: Vec<f32> = (0..n).map(|_| noise.next_sample()).collect();
        let right = left.iter().map(|s| s * 0.5).collect();
        vec![left, right]
    }

    fn print(rate: u32, planes: &[Vec<f32>]) -> Option<SoundPrint> {
        let mut p = Printer::new();
        p.configure(rate);
        for chunk in 0..planes[0].len().div_ceil(4096) {
            let at = chunk * 4096;
            let to = (at + 4096).min(planes[0].len());
            let refs: Vec<&[f32]> = planes.iter().map(|c| &c[at..to]).collect();
            p.add(&refs);
        }
        p.finish(0.0)
    }

    #[test]
    fn ten_seconds_of_sound_give_an_item_every_eighth_of_a_second_after_the_first_window() {
        let fp = print(48_000, &noise(48_000, 10.0, 1)).expect("a fingerprint");
        let blocks = fp.blocks().expect("blocks");
        // (10 s - the 2.6 s an item hears) / 0.124 s, give or take the edges.
        assert!((55..=65).contains(&blocks.len()), "{}", blocks.len());
        assert!((fp.block_s - 0.12381).abs() < 1e-5, "{}", fp.block_s);
        // Placed at the middle of what the first item hears.
        assert!((fp.start_s - 1.3).abs() < 0.1, "{}", fp.start_s);
        // The same sound prints the same; other noise does not.
        assert_eq!(print(48_000, &noise(48_000, 10.0, 1)), Some(fp.clone()));
        let other = print(48_000, &noise(48_000, 10.0, 2)).expect("a fingerprint");
        assert_ne!(other.blocks, fp.blocks);
    }

    #[test]
    fn too_little_sound_or_a_rate_chromaprint_cannot_take_gives_none() {
        assert_eq!(print(48_000, &noise(48_000, 1.0, 1)), None);
        assert_eq!(print(800, &noise(800, 20.0, 1)), None);
    }
}
