//! One 8-bit picture plane with its rows packed, no padding: the reduced grey pictures the
//! credits and black analyzers look at, and the planes of the video analyzer's small pictures,
//! so one analyzer's picture goes to another's measure as it is.

#[derive(Debug, Clone, Default)]
pub struct Plane {
    pub w: usize,
    pub h: usize,
    pub px: Vec<u8>,
}

impl Plane {
    /// Plane `i` of a frame the scaler made, its rows packed.
    pub fn of_frame(f: &ffmpeg_next::util::frame::Video, i: usize) -> anyhow::Result<Plane> {
        let (w, h) = (f.width() as usize, f.height() as usize);
        let stride = f.stride(i);
        let data = f.data(i);
        let mut px = Vec::with_capacity(w * h);
        for y in 0..h {
            let row = data
                .get(y * stride..y * stride + w)
                .ok_or_else(|| anyhow::anyhow!("scaled picture shorter than expected"))?;
            px.extend_from_slice(row);
        }
        Ok(Plane { w, h, px })
    }

    pub fn row(&self, y: usize) -> &[u8] {
        &self.px[y * self.w..(y + 1) * self.w]
    }
}
