//! Runs the two halves of the loudness measurement (gated loudness, and peaks) on threads of
//! their own, fed the decoded samples through bounded channels, so that metering one track
//! overlaps its decoding instead of following it.

use super::meter::{Meter, Part};
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
    Configure(Vec<Channel>, u32),
    Samples(Arc<Vec<Vec<f32>>>),
}

struct Worker {
    tx: Option<SyncSender<Msg>>,
    handle: Option<JoinHandle<Result<Loudness>>>,
}

impl Worker {
    fn spawn(part: Part) -> Result<Worker> {
        let (tx, rx) = sync_channel::<Msg>(QUEUE);
        let handle = std::thread::Builder::new()
            .name(format!("reelcheck-meter-{part:?}"))
            .spawn(move || {
                let mut meter = Meter::new(part);
                for msg in rx {
                    match msg {
                        Msg::Configure(map, rate) => meter.configure(&map, rate)?,
                        Msg::Samples(planes) => meter.add(&planes)?,
                    }
                }
                Ok(meter.finish())
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

    fn finish(mut self) -> Result<Loudness> {
        self.tx = None;
        match self.handle.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(anyhow!("the loudness meter failed unexpectedly")),
            None => Ok(Loudness::default()),
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

/// Both halves of one track's measurement.
pub struct Metering {
    loudness: Worker,
    peaks: Worker,
    /// Samples not sent yet, one plane per channel; the meters see the same samples in the
    /// same order whatever the batching, so their figures do not depend on it.
    pending: Vec<Vec<f32>>,
}

impl Metering {
    pub fn spawn() -> Result<Metering> {
        Ok(Metering {
            loudness: Worker::spawn(Part::Loudness)?,
            peaks: Worker::spawn(Part::Peaks)?,
            pending: Vec::new(),
        })
    }

    pub fn configure(&mut self, map: Vec<Channel>, rate: u32) {
        self.flush();
        self.loudness.send(Msg::Configure(map.clone(), rate));
        self.peaks.send(Msg::Configure(map, rate));
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

    pub fn finish(mut self) -> Result<Loudness> {
        self.flush();
        let Metering {
            loudness, peaks, ..
        } = self;
        let l = loudness.finish()?;
        let p = peaks.finish()?;
        Ok(Loudness {
            true_peak_dbtp: p.true_peak_dbtp,
            sample_peak_dbfs: p.sample_peak_dbfs,
            ..l
        })
    }
}
