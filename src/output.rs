//! Where a report goes: stdout, or `--output FILE` written atomically (a temporary file in the
//! same folder, renamed over the target when complete), so a reader never sees half a report.

use anyhow::{anyhow, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

pub enum Sink {
    Stdout,
    File {
        tmp: tempfile::NamedTempFile,
        target: PathBuf,
    },
}

impl Sink {
    pub fn open(output: Option<&Path>) -> Result<Sink> {
        let Some(target) = output else {
            return Ok(Sink::Stdout);
        };
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let tmp = tempfile::Builder::new()
            .prefix(".reelcheck-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| anyhow!("cannot write in {}: {e}", dir.display()))?;
        Ok(Sink::File {
            tmp,
            target: target.to_path_buf(),
        })
    }

    pub fn write(&mut self, text: &str) -> Result<()> {
        match self {
            // A closed pipe (`| head`) is not an error worth a message.
            Sink::Stdout => {
                let mut out = std::io::stdout().lock();
                let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
            }
            Sink::File { tmp, target } => tmp
                .write_all(text.as_bytes())
                .map_err(|e| anyhow!("cannot write {}: {e}", target.display()))?,
        }
        Ok(())
    }

    /// Puts the finished file in place; dropping a sink unfinished leaves the target untouched.
    pub fn finish(self) -> Result<()> {
        if let Sink::File { tmp, target } = self {
            let failed = |e: std::io::Error| anyhow!("cannot write {}: {e}", target.display());
            tmp.as_file().sync_all().map_err(failed)?;
            // Temporary files are private (0600); a report is meant to be shared.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let _ = tmp
                    .as_file()
                    .set_permissions(std::fs::Permissions::from_mode(0o644));
            }
            tmp.persist(&target).map_err(|e| failed(e.error))?;
        }
        Ok(())
    }
}
