//! Pictures grabbed for people to look at, as they travel from a worker to a report: what to
//! grab, and each picture grabbed. The grabbing itself is the probe's; these are plain data.

use base64::Engine as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    Jpeg,
    Png,
}

/// What to grab: the moments (seconds), how, and at most how wide.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grab {
    pub times: Vec<f64>,
    pub encoding: Encoding,
    pub max_width: u32,
    /// Boxes to outline on the picture of the moment at the same index (the text detector's,
    /// for `credits --explain`): [left, top, right, bottom] in shares of the picture.
    #[serde(default)]
    pub boxes: Vec<Vec<[f64; 4]>>,
}

/// One grabbed picture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Still {
    /// Base64 in JSON, as it ends up in the HTML report's `data:` URIs.
    #[serde(serialize_with = "to_base64", deserialize_with = "from_base64")]
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// Where in the film, in seconds.
    pub at_s: f64,
}

pub fn to_base64<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(bytes))
}

pub fn from_base64<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    let text = String::deserialize(d)?;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(serde::de::Error::custom)
}
