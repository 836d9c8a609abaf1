//! The scene-text detector the credits analysis consults, seen through `reelcheck credits
//! --explain`: it finds drawn lettering where it is, and nothing in a real picture without
//! text.

use crate::media::preset::H264_ULTRAFAST;
use crate::support::*;

/// The boxes of every "detector:" line of an explanation: (left, right, top, bottom) in
/// percent, or an empty list for "no text".
fn detector_lines(out: &str) -> Vec<Vec<(f64, f64, f64, f64)>> {
    out.lines()
        .filter_map(|l| l.split_once("detector: ").map(|(_, rest)| rest))
        .map(|rest| {
            let Some((_, boxes)) = rest.split_once(": ") else {
                return Vec::new();
            };
            boxes
                .split(", ")
                .filter_map(|b| {
                    // "30-70% x 45-50% y"
                    let (x, y) = b.split_once("% x ")?;
                    let (x0, x1) = x.split_once('-')?;
                    let (y0, y1) = y.trim_end_matches("% y").split_once('-')?;
                    Some((
                        x0.parse().ok()?,
                        x1.parse().ok()?,
                        y0.parse().ok()?,
                        y1.parse().ok()?,
                    ))
                })
                .collect()
        })
        .collect()
}

/// `picture` (an FFmpeg source of 640 × 360 at 24 fps) for `picture_s` seconds, then a 3-s card
/// of `lines` centred in white on black, in DejaVu Sans of `size` with `spacing` between lines.
fn card_after(
    name: &str,
    picture: &str,
    picture_s: u32,
    lines: &str,
    (size, spacing): (u32, u32),
) -> std::path::PathBuf {
    let text = input_file("txt", lines);
    let filter = format!(
        "{picture},trim=duration={picture_s},setpts=PTS-STARTPTS[a];\
         color=black:s=640x360:r=24:d=3,\
         drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:textfile={}:\
         fontsize={size}:fontcolor=white:line_spacing={spacing}:x=(w-text_w)/2:y=(h-text_h)/2[b];\
         [a][b]concat=n=2:v=1",
        text.display()
    );
    let args = [&["-f", "lavfi", "-i", filter.as_str()][..], H264_ULTRAFAST].concat();
    media(name, &args)
}

/// Two seconds of moving picture, then a card of two centred lines on black to the end.
fn drawn_card() -> std::path::PathBuf {
    card_after(
        "detector-drawn-card.mp4",
        "mandelbrot=s=640x360:r=24",
        2,
        "DIRECTED BY\nJANE DOE",
        (28, 12),
    )
}

#[test]
fn the_detector_finds_drawn_lettering_where_it_is() {
    let film = drawn_card();
    let out = credits_explain(&film);
    let found: Vec<_> = detector_lines(&out)
        .into_iter()
        .filter(|b| !b.is_empty())
        .collect();
    assert!(!found.is_empty(), "the detector found no text:\n{out}");
    for boxes in &found {
        // The two lines are centred: every box straddles the middle, in the middle band.
        for &(x0, x1, y0, y1) in boxes {
            assert!(
                x0 < 50.0 && x1 > 50.0,
                "box {x0}-{x1} % x off centre:\n{out}"
            );
            assert!(
                y0 > 25.0 && y1 < 75.0,
                "box {y0}-{y1} % y off the card:\n{out}"
            );
        }
    }
    let c = credits_json(&film);
    assert_eq!(c["position"], "end", "{c}");
    let start = c["start_s"].as_f64().unwrap();
    assert!(
        (start - 2.0).abs() <= 0.5,
        "card starts at 2 s, found {start}: {c}"
    );
}

#[test]
fn the_detector_finds_no_lettering_in_a_real_picture_without_text() {
    let clip =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/real/credits/crystal.mp4");
    let out = credits_explain(&clip);
    let lines = detector_lines(&out);
    assert!(!lines.is_empty(), "the detector looked at nothing:\n{out}");
    // Decoded as it is shown (deblocked), one glint on the glass at 9.7 s is marked as one
    // short line of 0.5 % of the picture, which decides nothing. That is the most allowed: a
    // second picture with boxes, a second box, or a box of 1 % of the picture fails.
    let marked: Vec<_> = lines.iter().filter(|b| !b.is_empty()).collect();
    let small = |b: &(f64, f64, f64, f64)| (b.1 - b.0) * (b.3 - b.2) / 100.0 < 1.0;
    assert!(
        marked.len() <= 1 && marked.iter().all(|b| b.len() == 1 && small(&b[0])),
        "text boxes in a picture without text:\n{out}"
    );
    assert_eq!(credits_json(&clip)["present"], false);
}

/// Moving picture with a subtitle line at its foot from start to end, the line changing
/// every 2.5 s; or, with `card`, 4 s of picture and then a flat black card with one small
/// line at its foot to the end.
fn foot_line(name: &str, card: bool) -> std::path::PathBuf {
    let font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    let filter = if card {
        format!(
            "gradients=s=640x360:r=24:speed=0.05,trim=duration=4,setpts=PTS-STARTPTS[a];\
             color=black:s=640x360:r=24:d=4,\
             drawtext=fontfile={font}:text='A FILM BY JANE DOE':fontsize=18:fontcolor=white:\
             x=(w-text_w)/2:y=h*0.86[b];[a][b]concat=n=2:v=1"
        )
    } else {
        let lines = [
            "I came here at dawn",
            "and waited for the boat",
            "It never came",
        ];
        let draws: Vec<String> = lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let (a, b) = (i as f64 * 2.5, i as f64 * 2.5 + 2.3);
                format!(
                    "drawtext=fontfile={font}:text='{l}':fontsize=20:fontcolor=white:\
                     borderw=2:x=(w-text_w)/2:y=h*0.86:enable='between(t,{a},{b})'"
                )
            })
            .collect();
        format!(
            "mandelbrot=s=640x360:r=24,trim=duration=7.5,setpts=PTS-STARTPTS,{}",
            draws.join(",")
        )
    };
    let args = [&["-f", "lavfi", "-i", filter.as_str()][..], H264_ULTRAFAST].concat();
    media(name, &args)
}

#[test]
fn subtitles_over_picture_to_the_end_are_not_credits_but_a_line_on_a_flat_card_is() {
    let film = foot_line("detector-subtitles-to-end.mp4", false);
    let out = credits_explain(&film);
    assert!(
        out.contains("credits    none found"),
        "subtitles taken for credits:\n{out}"
    );
    assert!(
        out.contains("subtitles over picture"),
        "the explanation does not say why:\n{out}"
    );

    let film = foot_line("detector-foot-line-card.mp4", true);
    let c = credits_json(&film);
    assert_eq!(c["position"], "end", "{c}");
    let start = c["start_s"].as_f64().unwrap();
    assert!((start - 4.0).abs() <= 0.5, "the card starts at 4 s: {c}");
}

/// Four seconds of moving picture, then a card of `lines` (centred, white on black) to the
/// end, 3 s long.
fn card_of(name: &str, lines: &str) -> std::path::PathBuf {
    card_after(
        name,
        "gradients=s=640x360:r=24:speed=0.05",
        4,
        lines,
        (26, 14),
    )
}

/// The lines the explanation says the reader read, in order.
fn read_lines(out: &str) -> Vec<String> {
    out.lines()
        .filter_map(|l| l.split_once("read: ").map(|(_, rest)| rest))
        .flat_map(|rest| {
            rest.split(", \"")
                .map(|p| p.trim_start_matches('"').to_string())
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn the_reader_reads_a_drawn_card() {
    let film = drawn_card();
    let out = credits_explain(&film);
    let read = read_lines(&out);
    assert!(
        read.iter().any(|l| l.starts_with("DIRECTED BY\" ")),
        "\"DIRECTED BY\" not read: {read:?}\n{out}"
    );
    assert!(
        read.iter().any(|l| l.starts_with("JANE DOE\" ")),
        "\"JANE DOE\" not read: {read:?}\n{out}"
    );
}

#[test]
fn a_card_of_sentences_or_numbers_is_not_credits_but_one_of_credits_words_is() {
    for (name, lines, why) in [
        (
            "reader-sentences.mp4",
            "This is how the grid moves.\nWe can see that it is smooth.",
            "reads as sentences",
        ),
        (
            "reader-numbers.mp4",
            "x = 12.5 + 3.75\ny = 2025 / 16",
            "reads as numbers and symbols",
        ),
    ] {
        let film = card_of(name, lines);
        let out = credits_explain(&film);
        assert!(
            out.contains("credits    none found"),
            "{name}: taken for credits:\n{out}"
        );
        assert!(
            out.contains(&format!("set aside: {why}")),
            "{name}: the explanation does not say \"{why}\":\n{out}"
        );
    }
    // The same card with the words of credits, laid out alike.
    let film = card_of(
        "reader-credits.mp4",
        "Music by Jane Doe\nThanks for watching",
    );
    let c = credits_json(&film);
    assert_eq!(c["position"], "end", "{c}");
    let start = c["start_s"].as_f64().unwrap();
    assert!((start - 4.0).abs() <= 0.5, "the card starts at 4 s: {c}");
}

/// A clip that is nothing but an end card, shorter than the end scan and with one keyframe:
/// its one keyframe is not a run of text, so the clip is scanned whole.
#[test]
fn a_short_clip_of_one_end_card_is_analysed() {
    let text = input_file("txt", "Thanks for watching\nJane Doe");
    let filter = format!(
        "color=black:s=640x360:r=24:d=1.25,\
         drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:textfile={}:\
         fontsize=30:fontcolor=white:line_spacing=14:x=(w-text_w)/2:y=(h-text_h)/2",
        text.display()
    );
    let args = [&["-f", "lavfi", "-i", filter.as_str()][..], H264_ULTRAFAST].concat();
    let film = media("short-end-card.mp4", &args);
    let c = credits_json(&film);
    assert_eq!(c["position"], "end", "a 1.25-s end card is credits: {c}");
    let start = c["start_s"].as_f64().unwrap();
    assert!(
        start <= 0.25,
        "the card is there from the first picture: {c}"
    );
}

/// Two seconds of moving picture, then 3 s of black with one line of `size` white lettering
/// whose top is at `y` (an FFmpeg expression in the picture's height `h` and the text's `th`).
fn line_at_end(name: &str, line: &str, size: u32, y: &str) -> std::path::PathBuf {
    let text = input_file("txt", line);
    let filter = format!(
        "mandelbrot=s=640x360:r=24,trim=duration=2,setpts=PTS-STARTPTS[a];\
         color=black:s=640x360:r=24:d=3,\
         drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:textfile={}:\
         fontsize={size}:fontcolor=white:x=(w-text_w)/2:y={y}[b];\
         [a][b]concat=n=2:v=1",
        text.display()
    );
    let args = [&["-f", "lavfi", "-i", filter.as_str()][..], H264_ULTRAFAST].concat();
    media(name, &args)
}

/// A studio's name along the bottom edge after the picture is an overlay (a channel's mark),
/// not an end card; the same line in the middle of the picture is one, and so is a copyright
/// line along the edge.
#[test]
fn a_line_along_the_bottom_edge_is_not_an_end_card() {
    let edge = line_at_end("edge-line.mp4", "Jane Doe Films", 22, "h-th-12");
    let c = credits_json(&edge);
    assert_ne!(c["position"], "end", "a line along the bottom edge: {c}");
    // Words of credits make the same edge line an end card: a copyright line at the foot.
    let copyright = line_at_end("edge-copyright.mp4", "© 2026 Jane Doe Films", 22, "h-th-12");
    let c = credits_json(&copyright);
    assert_eq!(
        c["position"], "end",
        "a copyright line along the bottom edge: {c}"
    );
    let middle = line_at_end("middle-line.mp4", "Jane Doe Films", 22, "(h-th)/2");
    let c = credits_json(&middle);
    assert_eq!(c["position"], "end", "the same line in the middle: {c}");
    let start = c["start_s"].as_f64().unwrap();
    assert!(
        (start - 2.0).abs() <= 0.5,
        "the card follows 2 s of picture: {c}"
    );
}

/// An end card that gives a web address is an end card: the address's dots and slashes are
/// not taken for code.
#[test]
fn an_end_card_with_a_web_address_is_credits() {
    let film = line_at_end(
        "address-card.mp4",
        "www.example.com/channel",
        22,
        "(h-th)/2",
    );
    let c = credits_json(&film);
    assert_eq!(
        c["position"], "end",
        "an address on a card after the picture: {c}"
    );
    let start = c["start_s"].as_f64().unwrap();
    assert!(
        (start - 2.0).abs() <= 0.5,
        "the card follows 2 s of picture: {c}"
    );
}

/// Two seconds of moving picture, then 9 s of an application's window: a menu and a title in
/// the top band and a status line at the foot stay in place while the lines inside move to
/// another panel at 4.5 s; `first` and `second` are the panels' headlines.
fn screen_after_picture(name: &str, first: &str, second: &str) -> std::path::PathBuf {
    let line = |text: &str, size: u32, x: u32, y: u32, when: &str| {
        let file = input_file("txt", text);
        format!(
            ",drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:textfile={}:\
             fontsize={size}:fontcolor=white:x={x}:y={y}{when}",
            file.display()
        )
    };
    let (before, after) = (":enable='lt(t,4.5)'", ":enable='gte(t,4.5)'");
    let filter = format!(
        "mandelbrot=s=640x360:r=24,trim=duration=2,setpts=PTS-STARTPTS[a];\
         color=0x202830:s=640x360:r=24:d=9{}{}{}{}{}{}{}{}[b];[a][b]concat=n=2:v=1",
        line("File   Edit   View", 18, 12, 10, ""),
        line("Output Preview", 18, 460, 10, ""),
        line("Connected", 16, 12, 336, ""),
        line("Ready", 16, 560, 336, ""),
        line(first, 26, 60, 110, before),
        line("Lower Third", 22, 60, 170, before),
        line(second, 26, 360, 200, after),
        line("Logo Bug", 22, 360, 260, after),
    );
    let args = [&["-f", "lavfi", "-i", filter.as_str()][..], H264_ULTRAFAST].concat();
    media(name, &args)
}

/// A screen seen whole (its menus and status line kept while the panels inside change) is
/// the film's own screen, not end credits; the same screen whose lines name who made the film
/// is an end card.
#[test]
fn a_screen_with_a_fixed_frame_is_not_end_credits() {
    let screen = screen_after_picture("screen.mp4", "Anna Berg Reporter", "Weather Map");
    let out = credits_explain(&screen);
    assert!(out.contains("credits    none found"), "{out}");
    assert!(
        out.contains("set aside: a screen's fixed frame around changing text"),
        "{out}"
    );
    let credits = screen_after_picture(
        "screen-credits.mp4",
        "Directed by Anna Berg",
        "Music by Tom Lind",
    );
    let c = credits_json(&credits);
    assert_eq!(
        c["position"], "end",
        "a screen naming the film's makers: {c}"
    );
    let start = c["start_s"].as_f64().unwrap();
    assert!(
        (start - 2.0).abs() <= 0.5,
        "the screen follows 2 s of picture: {c}"
    );
}

/// 80 s of Conway's game of life from a seed whose last seconds settle into still shapes that
/// the detector finds lines in and the cheap measures do not: nothing there reads as lettering,
/// so it is not an end card.
#[test]
fn still_shapes_only_the_detector_sees_are_not_an_end_card() {
    let filter = "life=s=106x60:r=24:mold=10:ratio=0.3:seed=8:life_color=#c8b070:\
                  death_color=#203040:mold_color=#506070,scale=640:360:flags=bicubic,setsar=1";
    let args = [
        &["-f", "lavfi", "-i", filter, "-t", "80"][..],
        H264_ULTRAFAST,
    ]
    .concat();
    let film = media("life-seed-8.mp4", &args);
    let out = credits_explain(&film);
    assert!(out.contains("credits    none found"), "{out}");
    assert!(
        out.contains("set aside: only the detector saw it, and nothing in it reads"),
        "{out}"
    );
}

/// Four seconds of moving picture, then 12 s of credits cards written one after another in a
/// black panel beside the picture, which keeps moving: the cheap measures see the picture and
/// take only the last card for text; the detector, asked about the pictures before it, places
/// the credits where the first card comes.
#[test]
fn credits_cards_beside_a_moving_picture_begin_with_the_first_card() {
    let card = |text: &str, y: u32, from: f64, to: f64| {
        let file = input_file("txt", text);
        format!(
            ",drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:textfile={}:\
             fontsize=20:fontcolor=white:x=430+(200-text_w)/2:y={y}:\
             enable='between(t,{from},{to})'",
            file.display()
        )
    };
    let filter = format!(
        "mandelbrot=s=640x360:r=24:end_scale=0.05,trim=duration=4,setpts=PTS-STARTPTS[a];\
         mandelbrot=s=420x360:r=24:end_scale=0.05,trim=duration=12,setpts=PTS-STARTPTS,\
         pad=640:360:0:0:black{}{}{}{}{}{}[b];[a][b]concat=n=2:v=1",
        card("Thanks for", 150, 0.0, 3.0),
        card("watching", 178, 0.0, 3.0),
        card("Music by", 150, 3.4, 6.4),
        card("Tom Lind", 178, 3.4, 6.4),
        card("Animations by", 150, 6.8, 12.0),
        card("Jane Doe", 178, 6.8, 12.0),
    );
    let args = [&["-f", "lavfi", "-i", filter.as_str()][..], H264_ULTRAFAST].concat();
    let film = media("cards-beside-picture.mp4", &args);
    let c = credits_json(&film);
    assert_eq!(c["position"], "end", "{c}");
    let start = c["start_s"].as_f64().unwrap();
    assert!(
        (start - 4.0).abs() <= 0.5,
        "the first card comes at 4.0 s, after the picture alone: {c}"
    );
}

/// A 6-s film that is lettering from its first picture to its last: two lines on a dark blue
/// ground, the second changing at 3 s (`lines`: the four lines, two at a time).
fn lettered_throughout(name: &str, lines: [&str; 4]) -> std::path::PathBuf {
    let font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    let draw = |text: &str, y: &str, from: f64, to: f64| {
        format!(
            "drawtext=fontfile={font}:text='{text}':fontsize=30:fontcolor=white:\
             x=(w-text_w)/2:y={y}:enable='between(t,{from},{to})'"
        )
    };
    let filter = format!(
        "color=0x102040:s=640x360:r=24:d=6,{},{},{},{}",
        draw(lines[0], "h*0.4", 0.0, 3.0),
        draw(lines[1], "h*0.55", 0.0, 3.0),
        draw(lines[2], "h*0.4", 3.0, 6.0),
        draw(lines[3], "h*0.55", 3.0, 6.0),
    );
    let args = [&["-f", "lavfi", "-i", filter.as_str()][..], H264_ULTRAFAST].concat();
    media(name, &args)
}

#[test]
fn lettering_from_the_first_picture_is_credits_only_when_it_says_so() {
    // A text animation's captions: nothing before them to tell the film's own text from an
    // end card, and nothing in them reads as credits.
    let film = lettered_throughout(
        "detector-lettered-throughout.mp4",
        ["Fade In", "Slowly", "Fade Out", "Quickly"],
    );
    let out = credits_explain(&film);
    assert!(
        out.contains("credits    none found"),
        "a film of captions taken for credits:\n{out}"
    );
    assert!(
        out.contains("text from the first picture, and nothing in it reads as credits"),
        "the explanation does not say why:\n{out}"
    );
    // The same layout saying who made it is a film of credits cards, from its first picture.
    let film = lettered_throughout(
        "detector-credits-throughout.mp4",
        ["Directed by", "Jane Doe", "Music", "John Roe"],
    );
    let c = credits_json(&film);
    assert_eq!(c["present"], true, "{c}");
    assert!(c["start_s"].as_f64().unwrap() <= 0.5, "{c}");
    // Or a web address, as a channel's end card gives it.
    let film = lettered_throughout(
        "detector-address-throughout.mp4",
        ["Jane Doe", "janedoe.com", "Jane Doe", "janedoe.com"],
    );
    let c = credits_json(&film);
    assert_eq!(c["present"], true, "{c}");
}

#[test]
fn lettering_fading_in_starts_where_the_detector_first_finds_it_in_place() {
    // 4 s of moving picture, then a black card whose two lines fade in over 4 s: faint, they
    // are already legible, and in place, well before their strokes are strong enough for the
    // cheap measures (which place the start at 5 s).
    let font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    let draw = |text: &str, y: &str| {
        format!(
            "drawtext=fontfile={font}:text='{text}':fontsize=28:fontcolor=white:\
             alpha='min(1,max(0,(t-4)/4))':x=(w-text_w)/2:y={y}"
        )
    };
    let filter = format!(
        "gradients=s=640x360:r=24:speed=0.05,trim=duration=4,setpts=PTS-STARTPTS[a];\
         color=black:s=640x360:r=24:d=7,setpts=PTS-STARTPTS+4/TB,{},{},setpts=PTS-4/TB[b];\
         [a][b]concat=n=2:v=1",
        draw("A FILM BY", "h*0.42"),
        draw("JANE DOE", "h*0.52"),
    );
    let args = [&["-f", "lavfi", "-i", filter.as_str()][..], H264_ULTRAFAST].concat();
    let film = media("detector-fade-in-card.mp4", &args);
    let c = credits_json(&film);
    assert_eq!(c["position"], "end", "{c}");
    let start = c["start_s"].as_f64().unwrap();
    assert!(
        (4.0..=4.6).contains(&start),
        "the card is legible from about 4.3 s: {c}"
    );
}
