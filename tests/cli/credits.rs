//! Credits detection on the ground-truth films of fixtures/credits/recipes.toml (the same films
//! the accuracy example measures), through the real `reelcheck credits` command; plus bad input.

#[path = "../../fixtures/credits/recipe.rs"]
pub mod recipe;

use crate::support::*;

/// Tolerance on the credits start, seconds (the accuracy target).
const TOLERANCE_S: f64 = 2.0;

fn check_recipe(name: &str) {
    let book = recipe::book();
    let r = book
        .film
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no recipe {name}"));
    let c = credits_json(&recipe::make(r));
    match r.credits {
        Some([start, end]) => {
            assert_eq!(c["position"], "end", "{name}: {c}");
            assert_eq!(c["present"], true, "{name}: {c}");
            let found = c["start_s"].as_f64().unwrap();
            assert!(
                (found - start).abs() <= TOLERANCE_S,
                "{name}: credits start {found}, truth {start}"
            );
            let found_end = c["end_s"].as_f64().unwrap();
            assert!(
                (found_end - end).abs() <= 2.0 * TOLERANCE_S,
                "{name}: credits end {found_end}, truth {end}"
            );
        }
        None => assert_ne!(c["position"], "end", "{name}: false credits {c}"),
    }
    match r.opening {
        Some([start, end]) => {
            let o = &c["opening"];
            assert!(o.is_object(), "{name}: opening missed: {c}");
            assert!((o["start_s"].as_f64().unwrap() - start).abs() <= TOLERANCE_S);
            assert!((o["end_s"].as_f64().unwrap() - end).abs() <= TOLERANCE_S);
        }
        None => assert!(c["opening"].is_null(), "{name}: false opening {c}"),
    }
}

/// One test per film, so they run in parallel and a failure names the style.
macro_rules! films {
    ($($test:ident => $name:literal,)*) => {
        $(#[test] fn $test() { check_recipe($name); })*
    };
}

/// The ground-truth films: the slow tier (`make test-fast` leaves them out).
mod ground_truth {
    use super::{check_recipe, credits_json, recipe};

    /// `credits.post_credits` places the scene after the credits (12 s of picture from 75 s,
    /// the credits' last line leaving the top edge a moment before), and is null when only
    /// black follows them.
    #[test]
    fn the_scene_after_the_credits_is_placed() {
        let book = recipe::book();
        let film = |name: &str| {
            let r = book.film.iter().find(|r| r.name == name).unwrap();
            credits_json(&recipe::make(r))
        };
        let c = film("post-credits-scene");
        let p = &c["post_credits"];
        let start = p["start_s"]
            .as_f64()
            .unwrap_or_else(|| panic!("no post_credits: {c}"));
        let end = p["end_s"].as_f64().unwrap();
        assert!(
            (start - 75.0).abs() <= 1.0,
            "post-credits scene from {start}: {c}"
        );
        assert!(
            (end - 87.0).abs() <= 0.1,
            "post-credits scene to {end}: {c}"
        );
        assert!(start >= c["end_s"].as_f64().unwrap(), "{c}");
        let c = film("credits-then-black");
        assert_eq!(c["position"], "end", "{c}");
        assert!(c["post_credits"].is_null(), "{c}");
    }

    films! {
    scroll_on_black => "scroll-black",
    cards_on_black_hevc_mkv => "cards-black-hevc",
    cards_on_colour_vp9_webm => "cards-navy-vp9",
    dark_text_on_light_cards => "cards-light",
    text_over_moving_picture => "over-picture-mkv",
    credits_then_post_credits_scene => "post-credits-scene",
    credits_then_long_black => "credits-then-black",
    vertical_film => "vertical",
    opening_title_cards_and_end_credits => "opening-and-end",
    opening_title_cards_only => "opening-only",
    fade_to_black_then_credits => "fade-then-credits",
    credits_fill_most_of_the_film => "credits-most-of-film",
    cards_at_60_fps => "cards-60fps",
    chapter_abspann => "chapters-abspann",
    chapter_generique_mp4 => "chapters-generique-mp4",
    mpeg4_in_transport_stream => "scroll-ts-mpeg4",
    trap_night_scene => "trap-night",
    trap_fade_to_black => "trap-fade-to-black",
    trap_title_card_mid_film => "trap-title-mid",
    trap_title_card_in_last_act => "trap-title-late",
    trap_star_field => "trap-stars",
    trap_particles => "trap-particles",
    trap_no_credits => "trap-no-credits",
    trap_book_page_overexposed_shot_and_white_mid_film => "trap-white-page",
    }
}

/// Start and end within ±0.5 s, the accuracy target on generated films.
fn check_exact(name: &str) {
    check_recipe(name);
    let r = recipe::book()
        .film
        .into_iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no recipe {name}"));
    let [start, end] = r.credits.expect("a film with credits");
    let c = credits_json(&recipe::make(&r));
    let (found, found_end) = (c["start_s"].as_f64().unwrap(), c["end_s"].as_f64().unwrap());
    assert!(
        (found - start).abs() <= 0.5,
        "{name}: start {found}, truth {start}"
    );
    assert!(
        (found_end - end).abs() <= 0.5,
        "{name}: end {found_end}, truth {end}"
    );
}

/// Dark text on white: found as text like light text on dark, and placed as closely.
mod polarity {
    use super::check_exact;

    #[test]
    fn black_credits_scrolling_on_white() {
        check_exact("scroll-black-on-white");
    }

    #[test]
    fn dark_blue_end_cards_on_white_then_white() {
        check_exact("cards-blue-on-white");
    }
}

/// Credits-only clips and short end cards: the end is where the last text leaves, though the
/// file runs on in black for a moment.
mod last_text {
    use super::check_exact;

    #[test]
    fn credits_only_cards_end_before_the_file() {
        check_exact("credits-only-cards");
    }

    #[test]
    fn credits_only_scroll_ends_before_the_file() {
        check_exact("credits-only-scroll");
    }

    #[test]
    fn a_one_second_card_at_the_very_end() {
        check_exact("short-end-card");
    }
}

#[test]
fn chapters_are_named_in_the_method() {
    let book = recipe::book();
    let r = book
        .film
        .iter()
        .find(|r| r.name == "chapters-abspann")
        .unwrap();
    let c = credits_json(&recipe::make(r));
    assert!(c["method"].as_str().unwrap().contains("chapter"), "{c}");
    assert_eq!(c["basis"], "chapter", "{c}");
}

#[test]
fn frames_are_written_as_png() {
    let book = recipe::book();
    let r = book.film.iter().find(|r| r.name == "cards-light").unwrap();
    let film = recipe::make(r);
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("thumbs");
    let (code, out, err) = run(&[
        "credits",
        film.to_str().unwrap(),
        "--frames",
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("credits"), "{out}");
    let mut pngs: Vec<_> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pngs.sort();
    assert!(pngs.len() >= 5, "{pngs:?}");
    for p in &pngs {
        let bytes = std::fs::read(p).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{}", p.display());
    }
}

#[test]
fn probe_with_credits_adds_the_credits_facts() {
    let f = film("credits-probe.mp4", 4);
    let (code, out, err) = run(&[
        "probe",
        "--format",
        "json",
        "--with",
        "credits",
        f.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    let c = &v[0]["credits"];
    assert!(c.is_object(), "{v}");
    for key in [
        "present",
        "start_s",
        "end_s",
        "duration_s",
        "position",
        "confidence",
        "method",
        "opening",
    ] {
        assert!(c.get(key).is_some(), "missing credits.{key}: {c}");
    }
    // Without --with the analyzer does not run and the fact is absent.
    let (_, out, _) = run(&["probe", "--format", "json", f.to_str().unwrap()]);
    assert!(json(&out)[0].get("credits").is_none());
}

#[test]
fn audio_only_file_has_no_credits() {
    let f = lavfi(
        "credits-audio-only.m4a",
        &["sine=sample_rate=48000"],
        &["-t", "3", "-c:a", "aac"],
    );
    let c = credits_json(&f);
    assert_eq!(c["position"], "none");
    assert_eq!(c["method"], "no-video");
}

#[test]
fn one_second_film_has_no_credits() {
    let f = film("credits-one-second.mp4", 1);
    let c = credits_json(&f);
    assert_eq!(c["position"], "none");
}

#[test]
fn not_a_film_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("notes.mp4");
    std::fs::write(&p, b"not a film at all\n").unwrap();
    let (code, _, err) = run(&["credits", p.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        err.contains("notes.mp4") && !err.contains("panick"),
        "{err}"
    );
}

#[test]
fn corrupt_last_seconds_never_panic() {
    let book = recipe::book();
    for name in ["scroll-ts-mpeg4", "cards-black-hevc"] {
        let r = book.film.iter().find(|r| r.name == name).unwrap();
        let src = recipe::make(r);
        let dir = tempfile::tempdir().unwrap();
        let mut bytes = std::fs::read(&src).unwrap();
        // Scramble the last fifth: the credits are damaged, the header is intact.
        let from = bytes.len() * 4 / 5;
        let mut x: u32 = 12345;
        for b in &mut bytes[from..] {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            *b = (x >> 16) as u8;
        }
        let p = dir.path().join(src.file_name().unwrap());
        std::fs::write(&p, &bytes).unwrap();
        let (code, out, err) = run(&["credits", "--format", "json", p.to_str().unwrap()]);
        assert!(!err.contains("panick"), "{name}: {err}");
        assert!(code == 0 || code == 1, "{name}: exit {code}");
        if code == 0 {
            let c = json(&out);
            assert!(c["position"].is_string(), "{c}");
        }
    }
}

/// `--explain` lines for one film: (time, the rest of the line), for the sampled times.
fn explain_rows(name: &str) -> Vec<(f64, String)> {
    let book = recipe::book();
    let r = book.film.iter().find(|r| r.name == name).unwrap();
    let film = recipe::make(r);
    let out = credits_explain(&film);
    out.lines()
        .filter_map(|l| {
            let l = l.trim_start();
            let (t, rest) = l.split_once("s ")?;
            Some((t.parse::<f64>().ok()?, rest.to_string()))
        })
        .collect()
}

/// `--explain` names the polarity of the strokes against their own background, and the rows
/// moving up while credits scroll.
#[test]
fn explain_shows_polarity_and_scrolling() {
    let on_white = explain_rows("scroll-black-on-white");
    let credits: Vec<_> = on_white
        .iter()
        .filter(|(t, _)| *t > 51.0 && *t < 69.0)
        .collect();
    assert!(credits.len() >= 3, "{on_white:?}");
    for (t, l) in &credits {
        assert!(l.contains("text"), "{t}: {l}");
        assert!(l.contains("dark on light"), "{t}: {l}");
    }
    assert!(
        credits.iter().any(|(_, l)| l.contains("rows move up")),
        "no scrolling seen: {credits:?}"
    );
    let on_black = explain_rows("scroll-black");
    let credits: Vec<_> = on_black
        .iter()
        .filter(|(t, _)| *t > 61.0 && *t < 79.0)
        .collect();
    assert!(credits.len() >= 3, "{on_black:?}");
    for (t, l) in &credits {
        assert!(l.contains("light on dark"), "{t}: {l}");
    }
    assert!(credits.iter().any(|(_, l)| l.contains("rows move up")));
    // Still cards do not move (the white between two cards is no text and has no polarity).
    let cards = explain_rows("cards-blue-on-white");
    let still: Vec<_> = cards
        .iter()
        .filter(|(t, l)| *t > 45.5 && *t < 56.0 && l.contains("text"))
        .collect();
    assert!(still.len() >= 3, "{cards:?}");
    for (t, l) in &still {
        assert!(l.contains("dark on light"), "{t}: {l}");
        assert!(!l.contains("rows move"), "{t}: {l}");
    }
}

/// A roll of credits over black, its first line coming in at the bottom edge and its last line
/// leaving at the top: both moments fall between sampled pictures, and before the first picture
/// that reads as text; the roll's steady speed places them.
mod motion {
    use super::credits_json;
    use crate::media::preset::H264_ULTRAFAST;
    use crate::support::*;

    /// Eight seconds of picture, then black from which a roll of six credits climbs at 60
    /// pixels a second from 9.0 s; it has left the screen well before the film ends at 28 s.
    fn roll_in_and_out() -> std::path::PathBuf {
        let text = input_file(
            "txt",
            "Directed by\nJane Doe\n\nWritten by\nAlex Moreno\n\nProduced by\nPriya Natarajan\n\nEdited by\nTomasz Kowalski\n\nMusic by\nMei Lin Chen\n\nSound by\nSofia Rossi",
        );
        let filter = format!(
            "mandelbrot=s=640x360:r=24,trim=duration=8,setpts=PTS-STARTPTS[a];\
             color=black:s=640x360:r=24:d=20,\
             drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:textfile={}:\
             fontsize=22:fontcolor=white:line_spacing=10:x=(w-text_w)/2:y=h-(t-1)*60:\
             enable='gte(t,1)'[b];[a][b]concat=n=2:v=1",
            text.display()
        );
        let args = [&["-f", "lavfi", "-i", filter.as_str()][..], H264_ULTRAFAST].concat();
        media("credits-roll-in-and-out.mp4", &args)
    }

    /// Where FFmpeg's blackdetect sees the picture turn wholly black for good: the moment the
    /// roll's last line has left.
    fn all_black_from(film: &std::path::Path) -> f64 {
        let out = std::process::Command::new("ffmpeg")
            .args(["-hide_banner", "-nostats", "-i"])
            .arg(film)
            .args([
                "-vf",
                "blackdetect=d=0.2:pix_th=0.10:pic_th=1.0",
                "-f",
                "null",
                "-",
            ])
            .output()
            .expect("ffmpeg runs");
        let log = String::from_utf8_lossy(&out.stderr);
        log.split("black_start:")
            .filter_map(|s| s.split_whitespace().next()?.parse::<f64>().ok())
            .fold(f64::NAN, |_, t| t)
    }

    #[test]
    fn a_roll_is_placed_where_its_first_line_came_in_and_its_last_line_left() {
        let film = roll_in_and_out();
        let c = credits_json(&film);
        let (start, end) = (c["start_s"].as_f64().unwrap(), c["end_s"].as_f64().unwrap());
        // The first line comes in at 9.0 s; the first picture reading as text is 0.2 s later.
        assert!(
            (start - 9.0).abs() <= 0.05,
            "start {start}, truth 9.0: {c:#}"
        );
        let gone = all_black_from(&film);
        assert!(gone > 22.0 && gone < 26.0, "blackdetect: {gone}");
        // Within one frame (1/24 s) of FFmpeg's reading.
        assert!(
            (end - gone).abs() <= 0.042,
            "end {end}, blackdetect {gone}: {c:#}"
        );
    }
}

/// The sampler keeps the pictures a scan decoded on for a later scan of the same stretch (the
/// refinement of a boundary found in a gap the credits search filled): that scan must hand
/// over exactly what decoding would, without decoding.
mod kept_stretch {
    use crate::media::preset::H264_ULTRAFAST;
    use crate::support::*;
    use reelcheck_probe::sampler::{Picture, Sampler};

    fn scan(s: &mut Sampler, from: f64, to: f64) -> Vec<Picture> {
        let mut got = Vec::new();
        s.scan(from, to, 0.25, |p| {
            got.push(p);
            true
        })
        .unwrap();
        got
    }

    #[test]
    fn a_kept_stretch_hands_over_what_decoding_would_without_decoding() {
        // Ten seconds of moving picture in one group of pictures.
        let args = [
            &[
                "-f",
                "lavfi",
                "-i",
                "gradients=s=320x180:r=24:speed=0.05,trim=duration=10",
                "-g",
                "300",
            ][..],
            H264_ULTRAFAST,
        ]
        .concat();
        let film = media("sampler-one-group.mp4", &args);
        let mut a = Sampler::open(&film).unwrap().unwrap();
        let mut picked = Vec::new();
        a.scan_at_keeping(2.0, 4.0, &[2.0, 3.0, 4.0], 7.0, |p| {
            picked.push(p.t);
            true
        })
        .unwrap();
        assert_eq!(picked.len(), 3, "{picked:?}");
        let decoded = a.decoded;
        let kept = scan(&mut a, 4.0, 7.0);
        assert_eq!(a.decoded, decoded, "the kept stretch was decoded again");

        let mut b = Sampler::open(&film).unwrap().unwrap();
        let fresh = scan(&mut b, 4.0, 7.0);
        assert!(b.decoded > 0);
        assert_eq!(kept.len(), fresh.len());
        assert!(kept.len() >= 12, "{} pictures", kept.len());
        for (k, f) in kept.iter().zip(&fresh) {
            assert!((k.t - f.t).abs() < 1e-9, "{} against {}", k.t, f.t);
            assert_eq!(k.luma.px, f.luma.px, "the picture at {} differs", k.t);
        }

        // A stretch reaching past what was kept is decoded.
        let past = scan(&mut a, 4.0, 8.0);
        assert!(
            a.decoded > decoded,
            "a stretch past the kept one was not decoded"
        );
        assert!(past.last().is_some_and(|p| p.t > 7.5));
    }
}
