//! The film, opened once. A probe reads one file many ways: FFmpeg demuxes it several times
//! over (the header and the runtime, then a fresh demuxer for the sound, whose decoder's
//! priming a seek back would shift), the MP4 box walk, the XMP search and the C2PA reader read
//! its bytes, and the read-ahead advice names ranges of it. All of them go through one `Source`
//! instead of opening the path again: the file read is the one that was checked when it was
//! opened (a file replaced or renamed meanwhile is not half one, half the other), opening on a
//! slow or network disk is paid once, and the policy of when a fresh demuxer is needed lives
//! here rather than in every pass.
//!
//! Every reader gets a `Bytes` view of its own: a position of its own over the one open file,
//! read with positional reads (`pread`), so that views never move each other (a duplicated
//! descriptor would share one file offset between them) and a seek costs no system call.

use crate::watch::Watch;
use anyhow::Result;
use ffmpeg::format::context::Input;
use ffmpeg_next as ffmpeg;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// One film, open for reading.
pub struct Source {
    file: Arc<File>,
    size: u64,
    path: PathBuf,
    /// Told how far reads of the film have got.
    watch: Watch,
    /// The first error the system gave a read of the film, if any.
    failed: Failed,
}

/// The first error the system gave a read, shared by every view: a demuxer turns it into an
/// error of its own ("I/O error", "invalid data") that would read as the file's fault.
type Failed = Arc<Mutex<Option<String>>>;

impl Source {
    /// Opens `path` for reading: the one time the probe opens the film. A caller that must not
    /// block on a FIFO checks what the path is before (opening a FIFO waits for a writer).
    pub fn open(path: &Path) -> io::Result<Source> {
        let file = File::open(path)?;
        let size = file.metadata()?.len();
        Ok(Source {
            file: Arc::new(file),
            size,
            path: path.to_path_buf(),
            watch: Watch::default(),
            failed: Failed::default(),
        })
    }

    /// The same, with every read of the film told to `watch`.
    pub fn watched(self, watch: Watch) -> Source {
        Source { watch, ..self }
    }

    /// The system's error on a read of the film, when one failed: the disk or share failed,
    /// whatever the file holds.
    pub fn read_failure(&self) -> Option<String> {
        self.failed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The file's size when it was opened: where every view's end is.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The path it was opened from, for what is told by the name (the format FFmpeg's probe
    /// and the C2PA reader guess from the extension, files beside it).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The open file itself, for advice to the system about it (`ffi::os::read_ahead`).
    pub fn file(&self) -> &File {
        &self.file
    }

    /// The file's bytes from the start, as a `Read + Seek` of their own.
    pub fn bytes(&self) -> Bytes {
        Bytes {
            file: Arc::clone(&self.file),
            pos: 0,
            size: self.size,
            watch: self.watch.clone(),
            failed: Arc::clone(&self.failed),
            #[cfg(feature = "fault-injection")]
            fail_from: fault::fail_from(&self.path, self.size),
        }
    }

    /// A demuxer over the file from its first packet, with FFmpeg's error turned into a reason
    /// a person can act on.
    pub fn demuxer(&self) -> Result<Input> {
        self.open_demuxer(None).map_err(crate::ffmpeg::reason)
    }

    /// A demuxer that exports XMP packets as an `xmp` tag when `with_xmp` (for the provenance
    /// analyzer), falling back to one without when a demuxer will not take the option; says
    /// whether it did.
    pub fn demuxer_for_tags(&self, with_xmp: bool) -> Result<(Input, bool)> {
        if with_xmp {
            let mut opts = ffmpeg::Dictionary::new();
            opts.set("export_xmp", "1");
            if let Ok(input) = self.open_demuxer(Some(opts)) {
                return Ok((input, true));
            }
        }
        Ok((self.demuxer()?, false))
    }

    fn open_demuxer(&self, options: Option<ffmpeg::Dictionary>) -> Result<Input, ffmpeg::Error> {
        // FFmpeg is given the file's name with its bytes, as when it opened the path itself:
        // its format probe weighs the extension.
        let url = crate::ffmpeg::c_path(&self.path)?;
        crate::ffi::avio::open_input(self.bytes(), &url, options)
    }
}

/// A view of a `Source`'s bytes with a position of its own.
pub struct Bytes {
    file: Arc<File>,
    pos: u64,
    size: u64,
    watch: Watch,
    failed: Failed,
    /// Test hook: reads from this byte on fail as a failing disk's do.
    #[cfg(feature = "fault-injection")]
    fail_from: Option<u64>,
}

impl Read for Bytes {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        #[cfg(feature = "fault-injection")]
        let read = match self.fail_from {
            Some(at) if self.pos + buf.len() as u64 > at => Err(io::Error::from_raw_os_error(5)),
            _ => read_at(&self.file, buf, self.pos),
        };
        #[cfg(not(feature = "fault-injection"))]
        let read = read_at(&self.file, buf, self.pos);
        let n = match read {
            Ok(n) => n,
            Err(e) => {
                self.failed
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .get_or_insert_with(|| e.to_string());
                return Err(e);
            }
        };
        self.pos += n as u64;
        self.watch.reached(self.pos, self.size);
        Ok(n)
    }
}

impl Seek for Bytes {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let pos = match to {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
            SeekFrom::End(d) => self.size.checked_add_signed(d),
        };
        // Past the end is allowed (reads there give nothing), before the start is not: as a
        // file's own seek.
        let pos = pos
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before the start"))?;
        self.pos = pos;
        Ok(pos)
    }

    fn stream_position(&mut self) -> io::Result<u64> {
        Ok(self.pos)
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, at)
}

/// Windows reads at an offset too; it also moves the handle's own position, which no view uses.
#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, at)
}

/// `REELCHECK_FAULT=eio:NAME` (test builds): reads of the second half of a file whose name
/// contains NAME fail with the system's I/O error, as a failing disk's do.
#[cfg(feature = "fault-injection")]
mod fault {
    pub fn fail_from(path: &std::path::Path, size: u64) -> Option<u64> {
        let spec = std::env::var("REELCHECK_FAULT").ok()?;
        let name = path.file_name()?.to_string_lossy().into_owned();
        spec.split(',')
            .filter_map(|item| item.split_once(':'))
            .any(|(what, needle)| what == "eio" && !needle.is_empty() && name.contains(needle))
            .then_some(size / 2)
    }
}

/// Opens a file and a demuxer over it, turning FFmpeg's error codes into reasons a person can
/// act on. The file is opened once; a caller that needs more than one demuxer over it (or its
/// bytes too) opens a `Source` and asks it.
pub fn open_input(path: &Path) -> Result<Input> {
    Source::open(path)
        .map_err(|e| crate::io_reason(&e))?
        .demuxer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn views_keep_positions_of_their_own() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(b"0123456789").unwrap();
        let source = Source::open(f.path()).unwrap();
        assert_eq!(source.size(), 10);
        let (mut a, mut b) = (source.bytes(), source.bytes());
        let mut two = [0u8; 2];
        a.seek(SeekFrom::Start(4)).unwrap();
        a.read_exact(&mut two).unwrap();
        assert_eq!(&two, b"45");
        b.read_exact(&mut two).unwrap();
        assert_eq!(&two, b"01", "another view's reads do not move this one");
        assert_eq!(a.seek(SeekFrom::End(-1)).unwrap(), 9);
        let mut rest = Vec::new();
        a.read_to_end(&mut rest).unwrap();
        assert_eq!(rest, b"9");
        assert_eq!(a.seek(SeekFrom::Current(5)).unwrap(), 15);
        assert_eq!(a.read(&mut two).unwrap(), 0, "nothing past the end");
        assert!(a.seek(SeekFrom::Current(-16)).is_err());
    }
}
