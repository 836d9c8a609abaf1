//! Credits detection on the hand-labelled real clips of fixtures/real/credits (the same clips
//! and labels the accuracy example measures), through the real `reelcheck credits` command,
//! and what `--explain` prints.

#[path = "../../fixtures/real/credits/truth.rs"]
mod truth;

use crate::support::*;
use truth::Verdict;

/// Clips whose credits the detector does not yet find within ±2 s, each with the reason seen
/// in `--explain`. The test fails when one of them starts to pass, so the list stays true.
const KNOWN_MISSES: &[(&str, &str)] = &[(
    "bbb-trailer.mp4",
    "the final block opens on the title logo, lettering a quarter of the picture high: too few \
     strokes per stretch of a row to read as a line of text, so the block is found from \
     \"COMING SOON\" on, 3.5 s late",
)];

/// Clips whose credits are found within ±2 s but not placed within ±0.5 s at both ends, each
/// with the reason. Shrink-only, like KNOWN_MISSES.
const KNOWN_IMPRECISE: &[(&str, &str)] = &[
    (
        "bbb-trailer.mp4",
        "the title logo that opens the final block is not read as text (see KNOWN_MISSES)",
    ),
    (
        "bbb_0_30.webm",
        "the title fades in over moving picture and out again: its strokes are seen from 26 s \
         to 28 s, the label reads 25 s to the end of the file",
    ),
    (
        "bbb-title-end.mp4",
        "the title fades in over moving picture: its strokes stay put from 0.6 s after the label",
    ),
    (
        "bbb-picture-then-title.mp4",
        "the title fades in over moving picture: its strokes stay put from 0.5 s after the label",
    ),
];

struct Seen {
    verdict: Verdict,
    start: Option<f64>,
    end: Option<f64>,
    json: String,
}

fn seen(clip: &truth::Clip) -> Seen {
    let path = truth::dir().join(&clip.file);
    let p = path.to_str().unwrap();
    let (code, out, err) = run(&["credits", "--format", "json", p]);
    assert_eq!(code, 0, "reelcheck credits {p} failed: {err}");
    let c = json(&out);
    let at_end = c["position"] == "end";
    let start = c["start_s"].as_f64().filter(|_| at_end);
    let end = c["end_s"].as_f64().filter(|_| at_end);
    Seen {
        verdict: truth::judge(clip, start).0,
        start,
        end,
        json: c.to_string(),
    }
}

fn verdict(clip: &truth::Clip) -> (Verdict, String) {
    let s = seen(clip);
    (s.verdict, s.json)
}

#[test]
fn real_clips_match_their_labels() {
    let mut wrong = Vec::new();
    for clip in truth::truth().clip {
        let (v, seen) = verdict(&clip);
        let known = KNOWN_MISSES.iter().any(|(f, _)| *f == clip.file);
        let good = matches!(v, Verdict::Exact | Verdict::Near | Verdict::None);
        if known && good {
            wrong.push(format!(
                "{}: now {v:?}; remove it from KNOWN_MISSES",
                clip.file
            ));
        } else if !known && !good {
            wrong.push(format!("{}: {v:?}, saw {seen}", clip.file));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Start and end within ±0.5 s of the label (the end is where the last text leaves, or the
/// end of the file when text is still on screen there).
#[test]
fn real_credits_are_placed_within_half_a_second() {
    let mut wrong = Vec::new();
    for clip in truth::truth().clip {
        let Some([a, b]) = clip.credits else {
            continue;
        };
        let s = seen(&clip);
        let close = |found: Option<f64>, want: f64| found.is_some_and(|f| (f - want).abs() <= 0.5);
        let precise = close(s.start, a) && close(s.end, b);
        let known = KNOWN_IMPRECISE.iter().any(|(f, _)| *f == clip.file);
        if known && precise {
            wrong.push(format!(
                "{}: now within ±0.5 s; remove it from KNOWN_IMPRECISE",
                clip.file
            ));
        } else if !known && !precise {
            wrong.push(format!(
                "{}: labelled {a}-{b}, saw {:?}-{:?} ({})",
                clip.file, s.start, s.end, s.json
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_false_credits_on_real_clips_without_text() {
    for clip in truth::truth().clip.iter().filter(|c| c.credits.is_none()) {
        let (v, seen) = verdict(clip);
        assert_eq!(v, Verdict::None, "{}: {seen}", clip.file);
    }
}

#[test]
fn explain_prints_the_evidence_per_sampled_time() {
    let path = truth::dir().join("bbb_0_30.webm");
    let out = credits_explain(&path);
    assert!(out.contains("evidence"), "{out}");
    let rows: Vec<&str> = out
        .lines()
        .filter(|l| {
            l.trim_start()
                .split('s')
                .next()
                .is_some_and(|t| t.parse::<f64>().is_ok())
        })
        .collect();
    assert!(rows.len() >= 10, "too few sampled times:\n{out}");
    // The title over picture at the end is where text lines show up, even if the detector
    // does not call it text yet: the evidence must say so.
    let late_lines = rows.iter().any(|l| {
        let f: Vec<&str> = l.split_whitespace().collect();
        let t: f64 = f[0].trim_end_matches('s').parse().unwrap_or(0.0);
        t >= 25.0 && f.get(4).and_then(|n| n.parse::<usize>().ok()).unwrap_or(0) > 0
    });
    assert!(late_lines, "no text lines seen over the title:\n{out}");
    // The title is found over moving picture by its strokes staying put: the evidence says so.
    assert!(
        out.contains("lines stay put while the picture moves"),
        "no still-lines evidence over the title:\n{out}"
    );
}

/// The wild set's labels are whole and its split holds: every clip in the folder is labelled
/// once, every span lies inside its clip (durations as `reelcheck probe` reads them), and clips
/// cut from one source share a half, so that nothing tuned on is measured as held out.
#[test]
fn wild_set_labels_cover_the_folder_and_its_halves_share_no_source() {
    let clips = truth::wild().clip;
    let mut on_disk: Vec<String> = std::fs::read_dir(truth::wild_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "truth.toml")
        .collect();
    on_disk.sort();
    let mut labelled: Vec<String> = clips.iter().map(|c| c.file.clone()).collect();
    labelled.sort();
    assert_eq!(on_disk, labelled, "files and labels differ");

    let paths: Vec<String> = clips
        .iter()
        .map(|c| {
            truth::wild_dir()
                .join(&c.file)
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let mut args = vec!["probe", "--format", "json"];
    args.extend(paths.iter().map(String::as_str));
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    let probed = json(&out);
    let mut halves: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    let mut counts: std::collections::HashMap<(&str, bool), usize> = Default::default();
    for clip in &clips {
        assert!(
            clip.half == "tuning" || clip.half == "checking",
            "{}: half {:?}",
            clip.file,
            clip.half
        );
        assert!(
            !clip.kind.is_empty() && !clip.source.is_empty(),
            "{}",
            clip.file
        );
        let first = *halves.entry(clip.source.as_str()).or_insert(&clip.half);
        assert_eq!(
            first, clip.half,
            "{}: its source is in both halves",
            clip.file
        );
        *counts
            .entry((clip.half.as_str(), clip.credits.is_some()))
            .or_default() += 1;
        let duration = probed
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["file_name"] == clip.file.as_str())
            .and_then(|f| f["container"]["duration_s"].as_f64())
            .unwrap_or_else(|| panic!("{}: no duration", clip.file));
        for [a, b] in [clip.credits, clip.opening, clip.post_credits]
            .into_iter()
            .flatten()
        {
            assert!(
                0.0 <= a && a < b && b <= duration + 0.05,
                "{}: span {a}-{b} outside 0-{duration}",
                clip.file
            );
        }
    }
    for half in ["tuning", "checking"] {
        for with in [true, false] {
            assert!(
                counts.get(&(half, with)).copied().unwrap_or(0) >= 5,
                "{half} has few clips (with credits: {with}): {counts:?}"
            );
        }
    }
}

/// Clips of the wild set's tuning half the detector does not yet judge right (a miss, a start
/// more than 2 s off, or credits claimed on a clip without any; every other clip's credits end
/// within 0.5 s of the label), each with what `--explain`
/// shows. Shrink-only: the test fails when one of them starts to pass. The checking half is
/// never tested here: it is measured, once, by the accuracy example.
const WILD_TUNING_WRONG: &[(&str, &str)] = &[
    (
        "present-slides-shoutouts.mp4",
        "a talk's thanks slide after its other slides: the reader reads its heading 'Shout-Ouks' \
         and cannot read the names beneath it at 384 px, so nothing in it says credits and the \
         slide is the talk's running text",
    ),
    (
        "newsticker-vertical-ticker.mp4",
        "a dark-on-light ticker the cheap measures never see: the detector's look back over the \
         last seconds finds one box half a second before the end, over a dip to black, and \
         reads it as neither credits nor anything else",
    ),
    (
        "modelreel-promo-logo-url.mp4",
        "a small logo card after a screen recording of a text editor: the reader reads 'Model \
         Reel' but misreads the address beneath it ('armutlmerdel-reel'), so nothing in the \
         card signs it or changes from the editor's running text",
    ),
    (
        "hamzaish-terminal-credits-roll.mp4",
        "a project's credits printed in a terminal under a typed command: the reader reads the \
         prompt ('> bun run'), paths and package names ('references/README.md', \
         'knowledge_graph'), which read as a terminal's numbers and symbols, as a terminal \
         recording's would; only what the lines mean tells the two apart",
    ),
    (
        "hamzaish-credits-roll-tail.mp4",
        "the last 8 s of the roll above, read the same way",
    ),
    (
        "cosmograph-trailer-endcard.mp4",
        "a product trailer that is lettering on dark purple from end to end (a title, captions, \
         a game-like display, a paper's title, a researcher's statistics card, then the end card \
         and the logo): the statistics card and the end card are two cards of one run parted \
         by a fade through black, as credits cards are, and nothing read in either says which \
         is the film's and which is its end card",
    ),
    (
        "glyphmaps-promo-logo-card.mp4",
        "an app's promo lettered from end to end: its feature list and its logo card are parted \
         by a blank white moment, as cards are, and the card's store button is too small to \
         read ('Getit on Googlo Ply'), so nothing read says where the end card begins",
    ),
    (
        "glyphmaps-endcard-short.mp4",
        "the promo's logo card alone, from the first picture: a wordmark and a tagline, with the \
         store button too small to read; from the first picture, nothing read says credits",
    ),
    (
        "lifetimespectral-theend-credits.mp4",
        "a mod's credits in large white handwriting rolling slowly on black: the cheap \
         measures call the handwriting picture, the detector draws each stretch of it as one \
         block over most of the picture, and the probes through the middle find those blocks in \
         place, as running text's would be; nothing in them can be read, and the last card \
         ('see in the next update') says nothing of credits",
    ),
    (
        "alicemad-credits-cards.mp4",
        "thin small text cards that fade in and out on black, sampled 8 s apart: the last \
         card, 'Thank you for playing ...' (read 'Thonk you', one letter off), is found after \
         the black before it, but the cards before that black are not reached, so the credits \
         are found from 31.5 s (labelled 0)",
    ),
    (
        "ssv3fnf-credits-cards.mp4",
        "credits cards over an animated background with seconds of background alone between \
         them: only the last group of cards is taken, 30 s after the first card",
    ),
    (
        "kiwitcms-subscribe-button.mp4",
        "a subscribe button bar whose word is 10 pixels tall at 1200 pixels wide: at the \
         reduced size nothing in it can be read, so it is set aside as reading as nothing",
    ),
    (
        "cftunnel-promo-star-card.mp4",
        "a promo's install-command card, a dip to black, then its end card (an address and a \
         'Star' button): the two cards make one run, and nothing read in the first (a command \
         too small to read with confidence) says it is not credits, so the run is taken from \
         the first card, 5 s early. A rule that began the credits after the last dip when \
         nothing before it said credits, signed or named anyone fixed this clip and moved the \
         start of five clips with credits in the checking half, and was dropped",
    ),
    (
        "impostorfnf-sign-tbc-trap.mp4",
        "a 'To be countinued..' card (so spelt) at the end, labelled not credits because it \
         names neither the film nor its makers: nothing read says what it is, and it is a card \
         at the end, as an end card is",
    ),
    (
        "releasecinema-cards-thanks.mp4",
        "six cards of small text cut every 3 s from the first picture: the contributors' cards \
         before the closing 'THANKS FOR SHIPPING' card read as names on cards, as credits do",
    ),
    (
        "corruptionfnf-spanish-dialogue-box-ending.mp4",
        "a game's dialogue box low in the picture, then a stray mark: its lines read as words \
         that say nothing either way ('Console.Write(Queda uno.)'), and the detector marks a \
         region in the run large enough to be a logo, which signs it as an end card",
    ),
    (
        "dantesfnf-handwritten-freeplay-hint.mp4",
        "a handwritten hint at the end ('Play Freeplay songs...') that the reader cannot read \
         ('9onds', 'cod stuf'): the detector marks the handwriting as a region large enough to \
         be a logo, which signs it as an end card",
    ),
    (
        "go2rtc-logo-blink.mp4",
        "a blinking logo in a wide 1280 x 388 strip: the detector takes the wordmark and the \
         eye beside it for one region from the logo to the picture's right edge, which the \
         reader cannot read, and from the first picture nothing read says credits",
    ),
    (
        "bravofnf-logo-card-on-white.mp4",
        "a stylised logo card on white: the text detector finds nothing in it, and the cheap \
         measures' text in its first second is taken for an opening",
    ),
    (
        "aliasbar-launch-name-url-ending.mp4",
        "a product name and its address as the last of a promo's captions, over the app's \
         screen: the reader reads nothing of the small caption with confidence, so the run is \
         set aside as reading as nothing",
    ),
    (
        "stackedapp-demo-end-card.mp4",
        "an end card ('Try Stacked today', an address) after an app's screen: the screen's \
         misread lines and the card's own misread line hold signs of code ('=', '+'), so the \
         whole run reads as numbers and symbols",
    ),
    (
        "adofaitrainer-zh-promo-endcard.mp4",
        "a Chinese promo's captions ('0.5x-3x ...', keys and numbers) then its end card (a \
         name, an address): caption and card make one run, and its captions read as numbers \
         and symbols, so the whole run is set aside with the card",
    ),
    (
        "clinicaltrialsmcp-light-url-endcard.mp4",
        "a product promo lettered from its first second to its end (a title, captions, an end \
         card with an address): the blank moments between its cards are too short to part \
         them, and nothing read before the end card says it is not credits, so the run is \
         taken from the title, 25 s early",
    ),
    (
        "acreetion-contributors-roll.mp4",
        "a contributors' roll from the first picture, then 6 s of black: a block that begins at \
         the film's start and is followed by seconds of anything, black included, is taken \
         for an opening, and never looked at as end credits",
    ),
    (
        "acreetion-roll-tail-short.mp4",
        "the roll's last second, then black: names and 'and others!' read with confidence, but \
         no word of credits, and from the first picture nothing read says credits",
    ),
    (
        "papyrusfnf-cutscene-then-credits-cards.mp4",
        "a mod's credits cards after a logo card: the cheap measures see the logo as picture \
         with one thin line, so the credits are found from the first names card, 3 s late",
    ),
];

#[test]
fn wild_tuning_half_matches_its_labels() {
    let mut wrong = Vec::new();
    for clip in truth::wild()
        .clip
        .into_iter()
        .filter(|c| c.half == "tuning")
    {
        let path = truth::wild_dir().join(&clip.file);
        let p = path.to_str().unwrap();
        let (code, out, err) = run(&["credits", "--format", "json", p]);
        assert_eq!(code, 0, "reelcheck credits {p} failed: {err}");
        let c = json(&out);
        let start = c["start_s"].as_f64().filter(|_| c["position"] == "end");
        let v = truth::judge(&clip, start).0;
        let good = matches!(v, Verdict::Exact | Verdict::Near | Verdict::None);
        let known = WILD_TUNING_WRONG.iter().any(|(f, _)| *f == clip.file);
        if good == known {
            wrong.push(format!("{}: {v:?} (known wrong: {known}) {c}", clip.file));
        }
        // Where credits are found in time, they also end where the label says, to half a
        // second: lettering beside a moving picture or fading out is followed to its last
        // legible picture.
        if let (true, Some([_, end])) = (good, clip.credits) {
            let found = c["end_s"].as_f64();
            if found.is_none_or(|f| (f - end).abs() > 0.5) {
                wrong.push(format!("{}: ends at {found:?}, labelled {end}", clip.file));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A plot whose number labels the cheap measures follow to the end of the film, made smaller
/// and at 15 frames a second from the wild set's clip: the detector finds one label in one
/// picture of the run and nothing in its middle or at its end. Credits show their lettering
/// to the end; this is not credits, and `--explain` says why.
#[test]
fn lettering_seen_once_and_not_at_the_end_is_not_credits() {
    let out = credits_explain(&wild_copy(
        "fibonacci-number-labels.mp4",
        "number-labels-640w-15fps.mp4",
        "scale=640:-2,fps=15",
    ));
    assert!(
        out.contains("credits    none found"),
        "a plot's labels taken for credits:\n{out}"
    );
    assert!(
        out.contains("lettering in one picture only, and not at its end"),
        "the explanation does not say why:\n{out}"
    );
}

/// A song's lyrics in a terminal, made larger and at 30 frames a second from the wild set's
/// clip: no picture before the one that sings "Thank you" reads as anything but lyrics, and
/// that picture holds the lines of the one before it and one more. The words of credits are
/// a line of the same screen, not an end card, and `--explain` says why.
#[test]
fn words_of_credits_among_lines_already_on_screen_are_not_credits() {
    let out = credits_explain(&wild_copy(
        "sptlrx-terminal-lyrics.mp4",
        "terminal-lyrics-1920w-30fps.mp4",
        "scale=1920:-2,fps=30",
    ));
    assert!(
        out.contains("credits    none found"),
        "lyrics that sing \"Thank you\" taken for credits:\n{out}"
    );
    assert!(
        out.contains("words of credits among lines already on screen"),
        "the explanation does not say why:\n{out}"
    );
}

/// A terminal recording from the wild set, compressed hard (CRF 38) with the ffmpeg CLI: its
/// small lettering can no longer be read, so its words say nothing either way, but its layout
/// still does: many lines from the left margin are a screen of text, not credits, and
/// `--explain` says so.
#[test]
fn a_terminal_too_damaged_to_read_is_a_screen_of_text() {
    let out = credits_explain(&wild_copy_at(
        "term-atuin.mp4",
        "terminal-crf38.mp4",
        "null",
        "38",
    ));
    assert!(
        out.contains("credits    none found"),
        "a compressed terminal recording taken for credits:\n{out}"
    );
    assert!(
        out.contains("a screen of text: many lines, set to one side"),
        "the explanation does not say why:\n{out}"
    );
}

/// A place name captioned in the top-left corner over the last four seconds of the wild set's
/// shuttle footage, drawn with the ffmpeg CLI: its words name no one and say nothing either
/// way, nothing signs it, and it is not set out as a card, so it is not credits; the same
/// caption centred in the picture is a title card at the end, and is.
#[test]
fn a_caption_to_one_side_at_the_end_is_not_an_end_card() {
    let caption = |name: &str, at: &str| {
        wild_copy(
            "tmh-shuttle.webm",
            name,
            &format!(
                "drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:\
                 text='Launch Complex 39A':fontsize=h/18:fontcolor=white:borderw=2:{at}:\
                 enable='gte(t,6.5)'"
            ),
        )
    };
    let aside = credits_explain(&caption("caption-corner.mp4", "x=w*0.06:y=h*0.12"));
    assert!(
        aside.contains("credits    none found"),
        "a corner caption at the end taken for credits:\n{aside}"
    );
    assert!(
        aside.contains("not set out as a card"),
        "the explanation does not say why:\n{aside}"
    );
    let card = credits_explain(&caption(
        "caption-centred.mp4",
        "x=(w-text_w)/2:y=(h-text_h)/2",
    ));
    assert!(
        card.contains("credits    6.5"),
        "a centred title card at the end not found from 6.5 s:\n{card}"
    );
}

/// The same footage with a credit in Chinese in its corner over the last 4 s: "导演 张伟"
/// ("director Zhang Wei") is found from 6.5 s by its word of credits, where a caption in the
/// same place ("发射台 39A", "launch pad 39A") is not set out as a card and stays picture.
#[test]
fn a_chinese_credit_is_read_by_its_word() {
    let corner = |name: &str, text: &str| {
        credits_explain(&wild_copy(
            "tmh-shuttle.webm",
            name,
            &format!(
                "drawtext=fontfile=/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf:\
                 text='{text}':fontsize=h/14:fontcolor=white:borderw=2:x=w*0.06:y=h*0.12:\
                 enable='gte(t,6.5)'"
            ),
        ))
    };
    let credit = corner("credit-zh.mp4", "导演 张伟");
    assert!(
        credit.contains("credits    6.5") && credit.contains("导演"),
        "a director's credit in Chinese not found from 6.5 s:\n{credit}"
    );
    let caption = corner("caption-zh.mp4", "发射台 39A");
    assert!(
        caption.contains("credits    none found"),
        "a Chinese caption in the corner taken for credits:\n{caption}"
    );
}

/// A logo card from the first picture to the last: the wild set's "ThemeGPT" wordmark over
/// its icon, and a name drawn with ffmpeg, are held still, so they are an end card though
/// nothing before them tells them from the film's own text. A counter drawn the same way
/// changes its words, and is the film's own text.
#[test]
fn a_title_held_from_the_first_picture_is_an_end_card() {
    let (code, out, err) = run(&[
        "credits",
        "--format",
        "json",
        truth::wild_dir()
            .join("themegpt-logo-wordmark.mp4")
            .to_str()
            .unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)["start_s"].as_f64(), Some(0.0), "{out}");
    let drawn_at = |name: &str, text: &str, y: &str| {
        credits_explain(&media(
            name,
            &[
                "-f",
                "lavfi",
                "-i",
                "color=white:s=640x360:r=10:d=3",
                "-vf",
                &format!(
                    "drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:\
                     text='{text}':fontsize=60:fontcolor=black:x=(w-text_w)/2:y={y},\
                     format=yuv420p"
                ),
                "-c:v",
                "libx264",
            ],
        ))
    };
    let drawn = |name: &str, text: &str| drawn_at(name, text, "(h-text_h)/2");
    let held = drawn("held-name.mp4", "Northwind");
    assert!(
        held.contains("credits    0 s"),
        "a name held from the first picture not found from 0 s:\n{held}"
    );
    let counter = drawn("counter.mp4", "Step %{n}");
    assert!(
        counter.contains("credits    none found")
            && counter.contains("set aside: text from the first picture"),
        "a counter from the first picture taken for credits:\n{counter}"
    );
    // The same name on a strap that jumps from the foot of the picture to its top is not held
    // still: a lower third, not a title.
    let strap = drawn_at(
        "jumping-strap.mp4",
        "Northwind",
        "if(lt(t\\,1.5)\\,h-text_h-20\\,20)",
    );
    assert!(
        strap.contains("credits    none found")
            && strap.contains("set aside: text from the first picture"),
        "a strap that jumps taken for a title held still:\n{strap}"
    );
}

/// An app promo from the wild set's tuning half: a screen recording of the app, many lines
/// to one side, then its end card ("Try Stacked today" and an address, centred). The screen
/// is set aside and the card begins where the screen ends, not the whole run with it.
#[test]
fn an_end_card_after_a_screen_of_text_begins_where_the_screen_ends() {
    let clip = truth::wild_dir().join("stackedapp-promo-try-card.mp4");
    let out = credits_explain(&clip);
    assert!(
        out.contains("set aside: a screen of text"),
        "the app's screen not set aside as a screen:\n{out}"
    );
    let (code, json_out, err) = run(&["credits", "--format", "json", clip.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let start = json(&json_out)["start_s"].as_f64();
    assert!(
        start.is_some_and(|s| (s - 8.8).abs() <= 0.5),
        "the end card found from {start:?}, labelled 8.8 s: {json_out}"
    );
}

/// A terminal table of films and their dates from the wild set's tuning half, centred and
/// held to the end: its small print is read as nothing with confidence, so nothing shows it
/// to be an end card.
#[test]
fn a_card_nothing_of_which_can_be_read_is_not_an_end_card() {
    let out = credits_explain(&truth::wild_dir().join("rich-table-movie.mp4"));
    assert!(
        out.contains("credits    none found"),
        "an unreadable table at the end taken for credits:\n{out}"
    );
    assert!(
        out.contains("or cannot be read"),
        "the explanation does not say why:\n{out}"
    );
}

/// A promo from the wild set's tuning half: a title card, feature cards, code being typed,
/// then its end card ("MOUNT0", "npm install mount0"). Its words say nothing of credits, but
/// the code reads as symbols, so the card begins where its lines do, not at the promo's first
/// card; cut before the end card, the same promo ends on code and has no credits.
#[test]
fn an_end_card_after_other_text_begins_where_its_lines_do() {
    let clip = |f: &str| truth::wild_dir().join(f);
    let (code, out, err) = run(&[
        "credits",
        "--format",
        "json",
        clip("mount0-promo-end-card.mp4").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let start = json(&out)["start_s"].as_f64();
    assert!(
        start.is_some_and(|s| (s - 11.1).abs() <= 0.5),
        "the end card found from {start:?}, labelled 11.1 s: {out}"
    );
    let code_at_end = credits_explain(&clip("mount0-cards-then-code.mp4"));
    assert!(
        code_at_end.contains("credits    none found")
            && code_at_end.contains("set aside: reads as numbers and symbols"),
        "a promo ending on code taken for credits:\n{code_at_end}"
    );
}

/// A talk's slides from the film's first picture to a contact card with an address, from the
/// wild set's tuning half: the slides run through the middle of the clip, but the address is
/// new there, so the card is not the slides' running text; it begins where its lines do, placed
/// by the detector to a fifth of a second, since the cheap measures see text on both sides.
#[test]
fn a_contact_card_after_slides_is_an_end_card() {
    let out = credits_explain(&truth::wild_dir().join("present-lecture-contact-card.mp4"));
    assert!(
        out.contains("set aside: the film's own text before the card that ends it"),
        "the slides before the card not told apart from it:\n{out}"
    );
    let (code, json_out, err) = run(&[
        "credits",
        "--format",
        "json",
        truth::wild_dir()
            .join("present-lecture-contact-card.mp4")
            .to_str()
            .unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let start = json(&json_out)["start_s"].as_f64();
    assert!(
        start.is_some_and(|s| (s - 25.0).abs() <= 0.5),
        "the contact card found from {start:?}, labelled 25.0 s"
    );
}

/// A game's credits, card after card in one place over an animated background from the
/// wild set's tuning half: the probes through the middle of the clip find lettering in place
/// in every one, as a HUD's would be, but what they read there is credits ("Voice Acting"),
/// so the cards are not text the film runs beneath its picture, and the last of them is
/// found.
#[test]
fn credits_through_the_middle_of_the_film_are_not_running_text() {
    let out = credits_explain(&truth::wild_dir().join("ssv3fnf-credits-cards.mp4"));
    assert!(
        !out.contains("credits    none found"),
        "a film's credits cards set aside:\n{out}"
    );
    assert!(
        !out.contains("set aside: running text"),
        "credits cards taken for running text:\n{out}"
    );
}

/// A copy of the wild set's `clip`, made with the ffmpeg CLI through the filters `vf` (another
/// size, another rate): the same footage as a film the set does not hold.
fn wild_copy(clip: &str, name: &str, vf: &str) -> std::path::PathBuf {
    wild_copy_at(clip, name, vf, "26")
}

/// As `wild_copy`, encoded at the constant rate factor `crf` (higher: more damage).
fn wild_copy_at(clip: &str, name: &str, vf: &str, crf: &str) -> std::path::PathBuf {
    let src = truth::wild_dir().join(clip);
    media(
        name,
        &[
            "-i",
            src.to_str().unwrap(),
            "-vf",
            &format!("{vf},format=yuv420p"),
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-crf",
            crf,
            "-threads",
            "1",
            "-an",
        ],
    )
}

/// The basis says what made the end credits credits, one of each on real clips, and is absent
/// where none were found; the text output puts it in words.
#[test]
fn the_basis_of_the_credits_says_what_made_them_credits() {
    for (file, basis) in [
        ("bbb-presents-end.mp4", Some("words")),
        ("bbb-credits-scroll.mp4", Some("roll")),
        ("bbb-title-end.mp4", Some("signature")),
        ("tos-end-title.mp4", Some("card")),
        ("bbb-meadow.mp4", None),
    ] {
        let p = truth::dir().join(file);
        let p = p.to_str().unwrap();
        let (code, out, err) = run(&["credits", "--format", "json", p]);
        assert_eq!(code, 0, "{file}: {err}");
        let c = json(&out);
        assert_eq!(c["basis"].as_str(), basis, "{file}: {c}");
        assert_eq!(c["position"] == "end", basis.is_some(), "{file}: {c}");
    }
    let p = truth::dir().join("tos-end-title.mp4");
    let (_, out, _) = run(&["credits", p.to_str().unwrap()]);
    assert!(
        out.contains("basis      only their layout: a card at the end"),
        "{out}"
    );
}
