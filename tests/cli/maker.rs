//! The shared media maker (`fixtures/media.rs`) never hands back a film made from other bytes.

use crate::support::{film, json, media, media_dir, run};

/// A film made from a file (a committed clip cut or re-encoded by a test) is made again when
/// the file's bytes change under the same name: the recipe's key holds the input's bytes, not
/// only its path.
#[test]
fn a_film_made_from_a_file_is_made_again_when_the_file_changes() {
    let dir = media_dir().join("maker-input");
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join(format!("input-{}.mp4", std::process::id()));
    let path = input.to_str().unwrap().to_string();
    let args = ["-i", path.as_str(), "-c", "copy"];
    let duration = |p: &std::path::Path| {
        let (code, out, err) = run(&["probe", "--format", "json", p.to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
        json(&out)[0]["container"]["duration_s"].as_f64().unwrap()
    };

    std::fs::copy(film("maker-one-second.mp4", 1), &input).unwrap();
    let first = media("maker-copy.mp4", &args);
    assert!((duration(&first) - 1.0).abs() < 0.3, "{}", duration(&first));

    std::fs::copy(film("maker-three-seconds.mp4", 3), &input).unwrap();
    let second = media("maker-copy.mp4", &args);
    assert_ne!(
        first, second,
        "the film made from the old bytes was handed back"
    );
    assert!(
        (duration(&second) - 3.0).abs() < 0.3,
        "{}",
        duration(&second)
    );
    let _ = std::fs::remove_file(&input);
}
