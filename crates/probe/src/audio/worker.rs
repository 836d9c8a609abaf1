//! Measures one track on a thread of its own, fed the decoded samples in batches through a
//! bounded channel, so that measuring overlaps decoding instead of following it. One thread
//! does all the measuring (loudness, peaks, silence, clipping, identical channels): it costs
//! a fraction of the decoding, so a second would only add wake-ups, and in a batch run every
//! core is busy anyway.

use super::levels::{LevelFacts, Levels};
use super::meter::{Meter, Weight};
use super::print::Printer;
use super::samples;
use super::AudioOptions;
use anyhow::{anyhow, Result};
use ffmpeg_next as ffmpeg;
use reelcheck_facts::fingerprint::SoundPrint;
use reelcheck_facts::Loudness;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;

/// Batches in flight: enough to ride out scheduling jitter, little memory.
const QUEUE: usize = 4;
/// Samples per channel gathered before a batch is sent. A decoder hands out about a thousand
/// at a time; sending each on its own costs more in waking threads than metering them does.
const BATCH: usize = 16_384;

enum Msg {
    /// The channel weights and rate of the samples that follow, and where on the file's
    /// timeline the track's first sample lies.
    Configure(Vec<Weight>, u32, f64),
    Samples(Vec<Vec<f32>>),
}

/// What the thread measured: loudness and peaks, the sample-level facts if any sample came,
/// and the sound's fingerprint when asked for and heard.
type Measured = (Loudness, Option<LevelFacts>, Option<SoundPrint>);

/// Every measurement of one track's samples.
pub struct Metering {
    tx: Option<SyncSender<Msg>>,
    handle: Option<JoinHandle<Result<Measured>>>,
    /// Batches the thread is done with, to be filled again rather than allocated anew.
    spent: Receiver<Vec<Vec<f32>>>,
    /// Samples not sent yet, one plane per channel; the meters see the same samples in the
    /// same order whatever the batching, so their figures do not depend on it.
    pending: Vec<Vec<f32>>,
}

impl Metering {
    /// `print`: the sound's fingerprint is taken too (of the main track only: it is what
    /// tells two films' sound apart, and a print costs about as much as the meters).
    pub fn spawn(opts: &AudioOptions, print: bool) -> Result<Metering> {
        let (tx, rx) = sync_channel::<Msg>(QUEUE);
        // Unbounded, but it never holds more than the batches in flight.
        let (spent_tx, spent) = std::sync::mpsc::channel();
        let opts = opts.clone();
        let handle = std::thread::Builder::new()
            .name("reelcheck-audio-meter".into())
            .spawn(move || {
                let mut meter = Meter::default();
                let mut scan: Option<Levels> = None;
                let mut rate = 0;
                let mut printer = print.then(Printer::new);
                let mut first: Option<f64> = None;
                for msg in rx {
                    match msg {
                        Msg::Configure(map, r, origin) => {
                            meter.configure(&map, r)?;
                            rate = r;
                            first.get_or_insert(origin);
                            if let Some(p) = printer.as_mut() {
                                p.configure(r);
                            }
                            scan.get_or_insert_with(|| Levels::new(&opts, origin));
                        }
                        Msg::Samples(planes) => {
                            let refs: Vec<&[f32]> = planes.iter().map(Vec::as_slice).collect();
                            if let Some(scan) = scan.as_mut() {
                                scan.push(&refs, rate);
                            }
                            meter.add(&refs)?;
                            if let Some(p) = printer.as_mut() {
                                p.add(&refs);
                            }
                            // The decoding side may have finished and gone: nothing to return.
                            let _ = spent_tx.send(planes);
                        }
                    }
                }
                let print = printer.and_then(|p| p.finish(first.unwrap_or(0.0)));
                Ok((meter.finish(), scan.map(Levels::finish), print))
            })
            .map_err(|e| anyhow!("cannot start a loudness meter thread: {e}"))?;
        Ok(Metering {
            tx: Some(tx),
            handle: Some(handle),
            spent,
            pending: Vec::new(),
        })
    }

    fn send(&self, msg: Msg) {
        // A meter that stopped has an error waiting in `finish`; further samples are moot.
        if let Some(tx) = &self.tx {
            let _ = tx.send(msg);
        }
    }

    /// Sets the format of the samples that follow; `origin_s` is where the track's first
    /// sample lies on the file's timeline (only the first call's counts).
    pub fn configure(&mut self, map: Vec<Weight>, rate: u32, origin_s: f64) {
        self.flush();
        self.send(Msg::Configure(map, rate, origin_s));
    }

    /// Appends a decoded frame's samples (as `f32`, one plane per channel) to the batch, and
    /// returns where in its planes they start.
    pub fn add(&mut self, frame: &ffmpeg::frame::Audio) -> Result<usize> {
        let channels = usize::from(frame.channels());
        if self.pending.len() != channels {
            self.flush();
            self.pending = self.fresh(channels);
        }
        let start = self.pending.first().map_or(0, Vec::len);
        samples::append_planar(frame, &mut self.pending)?;
        Ok(start)
    }

    /// The batch's samples from `start` on, one slice per channel.
    pub fn since(&self, start: usize) -> Vec<&[f32]> {
        self.pending.iter().map(|p| &p[start..]).collect()
    }

    /// Sends the batch once it is full.
    pub fn send_if_full(&mut self) {
        if self.pending.first().map_or(0, Vec::len) >= BATCH {
            self.flush();
        }
    }

    /// Empty planes for a new batch, from a spent one when there is one of the right shape.
    fn fresh(&self, channels: usize) -> Vec<Vec<f32>> {
        let mut planes = self
            .spent
            .try_recv()
            .ok()
            .filter(|p: &Vec<Vec<f32>>| p.len() == channels)
            .unwrap_or_else(|| vec![Vec::with_capacity(BATCH + 4096); channels]);
        planes.iter_mut().for_each(Vec::clear);
        planes
    }

    fn flush(&mut self) {
        if self.pending.first().is_some_and(|p| !p.is_empty()) {
            let next = self.fresh(self.pending.len());
            let planes = std::mem::replace(&mut self.pending, next);
            self.send(Msg::Samples(planes));
        }
    }

    /// The loudness figures, and the sample-level facts if any sample was measured.
    pub fn finish(mut self) -> Result<Measured> {
        self.flush();
        self.tx = None;
        match self.handle.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(anyhow!("the loudness meter failed unexpectedly")),
            None => Ok((Loudness::default(), None, None)),
        }
    }
}

impl Drop for Metering {
    fn drop(&mut self) {
        // Close the queue before joining, or the thread would wait for samples forever.
        self.tx = None;
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}
