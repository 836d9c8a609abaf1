//! Runs the measurements of one track on threads of their own, fed the decoded samples through
//! bounded channels, so that measuring overlaps decoding instead of following it: the gated
//! loudness on one thread, the peaks and the sample-level scan (silence, clipping, identical
//! channels) on another.

use super::levels::{LevelFacts, Levels};
use super::meter::{Meter, Part};
use super::AudioOptions;
use crate::facts::Loudness;
use anyhow::{anyhow, Result};
use ebur128::Channel;
use std::sync::mpsc::{sync_channel, SyncSender};
use std::sync::Arc;
use std::thread::JoinHandle;

/// Batches in flight per meter: enough to ride out scheduling jitter, little memory.
const QUEUE: usize = 8;
/// Samples per channel gathered before a batch is sent. A decoder hands out about a thousand
/// at a time; sending each on its own costs more in waking threads than metering them does.
const BATCH: usize = 16_384;

enum Msg {
    /// The channel weights and rate of the samples that follow, and where on the file's
    /// timeline the track's first sample lies.
    Configure(Vec<Channel>, u32, f64),
    Samples(Arc<Vec<Vec<f32>>>),
}

/// What one thread measured.
type Measured = (Loudness, Option<LevelFacts>);

struct Worker {
    tx: Option<SyncSender<Msg>>,
    handle: Option<JoinHandle<Result<Measured>>>,
}

impl Worker {
    /// A thread for one part of the meter; the peaks thread also scans levels when given the
    /// options to.
    fn spawn(part: Part, levels: Option<AudioOptions>) -> Result<Worker> {
        let (tx, rx) = sync_channel::<Msg>(QUEUE);
        let handle = std::thread::Builder::new()
            .name(format!("reelcheck-meter-{part:?}"))
            .spawn(move || {
                let mut meter = Meter::new(part);
                let mut scan: Option<Levels> = None;
                let mut rate = 0;
                for msg in rx {
                    match msg {
                        Msg::Configure(map, r, origin) => {
                            meter.configure(&map, r)?;
                            rate = r;
                            if let (None, Some(opts)) = (&scan, &levels) {
                                scan = Some(Levels::new(opts, origin));
                            }
                        }
                        Msg::Samples(planes) => {
                            if let Some(scan) = scan.as_mut() {
                                let refs: Vec<&[f32]> = planes.iter().map(Vec::as_slice).collect();
                                scan.push(&refs, rate);
                            }
                            meter.add(&planes)?
                        }
                    }
                }
                Ok((meter.finish(), scan.map(Levels::finish)))
            })
            .map_err(|e| anyhow!("cannot start a loudness meter thread: {e}"))?;
        Ok(Worker {
            tx: Some(tx),
            handle: Some(handle),
        })
    }

    fn send(&self, msg: Msg) {
        // A meter that stopped has an error waiting in `finish`; further samples are moot.
        if let Some(tx) = &self.tx {
            let _ = tx.send(msg);
        }
    }

    fn finish(mut self) -> Result<Measured> {
        self.tx = None;
        match self.handle.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(anyhow!("the loudness meter failed unexpectedly")),
            None => Ok((Loudness::default(), None)),
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // Close the queue before joining, or the thread would wait for samples forever.
        self.tx = None;
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// Every measurement of one track's samples.
pub struct Metering {
    loudness: Worker,
    peaks: Worker,
    /// Samples not sent yet, one plane per channel; the meters see the same samples in the
    /// same order whatever the batching, so their figures do not depend on it.
    pending: Vec<Vec<f32>>,
}

impl Metering {
    pub fn spawn(opts: &AudioOptions) -> Result<Metering> {
        Ok(Metering {
            loudness: Worker::spawn(Part::Loudness, None)?,
            peaks: Worker::spawn(Part::Peaks, Some(opts.clone()))?,
            pending: Vec::new(),
        })
    }

    /// Sets the format of the samples that follow; `origin_s` is where the track's first
    /// sample lies on the file's timeline (only the first call's counts).
    pub fn configure(&mut self, map: Vec<Channel>, rate: u32, origin_s: f64) {
        self.flush();
        self.loudness
            .send(Msg::Configure(map.clone(), rate, origin_s));
        self.peaks.send(Msg::Configure(map, rate, origin_s));
    }

    pub fn add(&mut self, planes: Vec<Vec<f32>>) {
        if self.pending.is_empty() {
            self.pending = planes;
        } else {
            for (p, more) in self.pending.iter_mut().zip(planes) {
                p.extend_from_slice(&more);
            }
        }
        if self.pending.first().map_or(0, Vec::len) >= BATCH {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.pending.first().is_some_and(|p| !p.is_empty()) {
            let planes = Arc::new(std::mem::take(&mut self.pending));
            self.loudness.send(Msg::Samples(Arc::clone(&planes)));
            self.peaks.send(Msg::Samples(planes));
        }
    }

    /// The loudness figures, and the sample-level facts if any sample was measured.
    pub fn finish(mut self) -> Result<(Loudness, Option<LevelFacts>)> {
        self.flush();
        let Metering {
            loudness, peaks, ..
        } = self;
        let (l, _) = loudness.finish()?;
        let (p, levels) = peaks.finish()?;
        let loudness = Loudness {
            true_peak_dbtp: p.true_peak_dbtp,
            sample_peak_dbfs: p.sample_peak_dbfs,
            ..l
        };
        Ok((loudness, levels))
    }
}
