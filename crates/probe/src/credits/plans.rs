//! Runnable plans of a compiled-in ONNX model, one per input shape: tract optimises a model
//! for fixed input dimensions, so the detector (one plan per picture shape) and the reader
//! (one per padded line width) each keep the plans they have made. Plans are immutable once
//! made and shared by every analysis in the process.

use anyhow::{anyhow, Result};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tract_onnx::prelude::*;

pub type Plan = TypedRunnableModel;

pub struct Plans {
    model: &'static [u8],
    /// What the model is, for errors ("the text model").
    what: &'static str,
    made: Mutex<HashMap<(usize, usize), Arc<Plan>>>,
}

impl Plans {
    pub fn new(model: &'static [u8], what: &'static str) -> Plans {
        Plans {
            model,
            what,
            made: Mutex::new(HashMap::new()),
        }
    }

    /// The plan for inputs of 1 × 3 × `h` × `w`, made on first use of that shape.
    pub fn get(&self, w: usize, h: usize) -> Result<Arc<Plan>> {
        let what = self.what;
        let mut made = self
            .made
            .lock()
            .map_err(|_| anyhow!("{what}'s plans are poisoned"))?;
        if let Some(p) = made.get(&(w, h)) {
            return Ok(p.clone());
        }
        let plan = tract_onnx::onnx()
            .model_for_read(&mut std::io::Cursor::new(self.model))
            .map_err(|e| anyhow!("{what} cannot be read: {e}"))?
            .with_input_fact(0, f32::fact([1, 3, h, w]).into())
            .and_then(|m| m.into_optimized())
            .and_then(|m| m.into_runnable())
            .map_err(|e| anyhow!("{what} cannot be prepared: {e}"))?;
        made.insert((w, h), plan.clone());
        Ok(plan)
    }
}
