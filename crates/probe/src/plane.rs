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
    pub fn row(&self, y: usize) -> &[u8] {
        &self.px[y * self.w..(y + 1) * self.w]
    }
}
