//! The unit tests' noise: a seeded xorshift, so every run meters the same signal.

pub struct Noise(u32);

impl Noise {
    pub fn new(seed: u32) -> Noise {
        Noise(seed.wrapping_mul(2_654_435_761).max(1))
    }

    /// The next sample, in [-0.5, 0.5].
    pub fn next_sample(&mut self) -> f32 {
        let x = &mut self.0;
        *x ^= *x << 13;
        *x ^= *x >> 17;
        *x ^= *x << 5;
        *x as f32 / u32::MAX as f32 - 0.5
    }
}
