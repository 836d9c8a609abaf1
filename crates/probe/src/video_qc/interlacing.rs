//! Whether the picture is interlaced, from the decode: how each frame was coded (the
//! decoder's flags) and, where that says progressive, what the picture shows (the scan
//! analysis). A header that is silent gets an answer; a header that the coded frames
//! contradict (a MOV `fiel` atom saying interlaced over ProRes frames coded progressive) is
//! overruled, since the coded frames are what a decoder shows, and the disagreement is noted.

/// Codecs whose frame headers say whether a frame is coded as two fields. Others (VP9, AV1 …)
/// have no such flag, so their frames' "progressive" contradicts no header.
const SIGNALS_FIELDS: &[&str] = &[
    "mpeg2video",
    "h264",
    "hevc",
    "prores",
    "dvvideo",
    "dnxhd",
    "mpeg4",
    "vc1",
];

/// The coding of the frames decoded so far.
#[derive(Debug, Default)]
pub struct Coding {
    frames: u64,
    fields: u64,
    top_first: u64,
}

/// The interlacing fact and, when it is not simply the header's, why.
#[derive(Debug, PartialEq)]
pub struct Judged {
    pub interlaced: Option<bool>,
    pub note: Option<String>,
}

impl Coding {
    /// One decoded frame: coded as interlaced fields, top field first.
    pub fn push(&mut self, (interlaced, tff): (bool, bool)) {
        self.frames += 1;
        if interlaced {
            self.fields += 1;
            if tff {
                self.top_first += 1;
            }
        }
    }

    /// `header` is what the container or stream header says; `scan` what the picture shows.
    pub fn judge(&self, codec: &str, header: Option<bool>, scan: Option<&str>) -> Judged {
        let keep = Judged {
            interlaced: header,
            note: None,
        };
        if self.frames == 0 {
            return keep;
        }
        let shows_fields = matches!(scan, Some("interlaced_tff" | "interlaced_bff"));
        let said = |h: bool| if h { "interlaced" } else { "progressive" };
        if SIGNALS_FIELDS.contains(&codec) {
            // At least half the frames coded as fields: an interlaced stream, whatever a few
            // progressive frames (stills, titles) in it say.
            let coded = 2 * self.fields >= self.frames;
            let coding = if coded {
                let order = if 2 * self.top_first >= self.fields {
                    "top"
                } else {
                    "bottom"
                };
                format!(
                    "{} of {} decoded frames are coded as interlaced fields, {order} field first",
                    self.fields, self.frames
                )
            } else if self.fields == 0 {
                format!("all {} decoded frames are coded progressive", self.frames)
            } else {
                format!(
                    "{} of {} decoded frames are coded progressive",
                    self.frames - self.fields,
                    self.frames
                )
            };
            let (value, picture) = if !coded && shows_fields {
                (
                    true,
                    "; the picture shows two moments in each frame (interlaced fields)",
                )
            } else {
                (coded, "")
            };
            return match header {
                Some(h) if h == value => keep,
                Some(h) => Judged {
                    interlaced: Some(value),
                    note: Some(format!(
                        "the header says {}, but {coding}{picture}; the coded frames win",
                        said(h)
                    )),
                },
                None => Judged {
                    interlaced: Some(value),
                    note: Some(format!("the header does not say; {coding}{picture}")),
                },
            };
        }
        match (header, scan) {
            (None, Some("progressive")) => Judged {
                interlaced: Some(false),
                note: Some(format!(
                    "the header does not say; {codec} codes whole frames and the picture shows \
                     one moment in each"
                )),
            },
            (None, _) if shows_fields => Judged {
                interlaced: Some(true),
                note: Some(format!(
                    "the header does not say; {codec} codes whole frames, but the picture shows \
                     two moments in each (interlaced fields)"
                )),
            },
            _ => keep,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coding(frames: u64, fields: u64) -> Coding {
        let mut c = Coding::default();
        for n in 0..frames {
            c.push((n < fields, true));
        }
        c
    }

    #[test]
    fn coded_frames_answer_a_silent_header() {
        let j = coding(25, 25).judge("dvvideo", None, None);
        assert_eq!(j.interlaced, Some(true));
        assert!(j.note.unwrap().contains("25 of 25"));
        let j = coding(25, 0).judge("h264", None, Some("progressive"));
        assert_eq!(j.interlaced, Some(false));
    }

    #[test]
    fn coded_frames_overrule_the_container() {
        let j = coding(10, 0).judge("prores", Some(true), Some("progressive"));
        assert_eq!(j.interlaced, Some(false));
        let note = j.note.unwrap();
        assert!(
            note.contains("header says interlaced") && note.contains("coded progressive"),
            "{note}"
        );
        // Agreement leaves the header's answer alone, without a note.
        assert_eq!(
            coding(10, 10).judge("prores", Some(true), None),
            Judged {
                interlaced: Some(true),
                note: None
            }
        );
    }

    #[test]
    fn codecs_without_fields_contradict_no_header() {
        let j = coding(10, 0).judge("vp9", Some(true), Some("progressive"));
        assert_eq!(j.interlaced, Some(true));
        assert!(j.note.is_none());
        let j = coding(10, 0).judge("vp9", None, Some("interlaced_tff"));
        assert_eq!(j.interlaced, Some(true));
        assert_eq!(coding(10, 0).judge("vp9", None, None).interlaced, None);
    }
}
