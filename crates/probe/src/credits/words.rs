//! What the words read in a run of text say about it. Credits name people, companies and the
//! film, with words of their own ("directed by", "music", "cast", "thanks", "©", "the end");
//! a plot's labels, a counter, a timecode or a formula are numbers and symbols; a caption, a
//! slide or a lesson is sentences. Only lines read with confidence count, and a run is judged
//! from words only when there are enough of them: otherwise the other measures decide alone.
//!
//! The words are English with the commonest of French, German, Spanish, Italian and
//! Portuguese; text in other scripts gives no verdict either way.

use super::reader::Line;

/// A line read below this mean character probability is a guess, not a reading.
const MIN_SCORE: f32 = 0.8;
/// Letters and digits read with confidence, at least, before symbols or sentences may set a
/// run aside.
const MIN_CHARS: usize = 6;

/// Words and phrases of credits, matched on whole words of the lower-cased text (a phrase
/// on its words in order).
const CREDIT_WORDS: &[&str] = &[
    // Roles and what people did.
    "directed",
    "director",
    "direction",
    "written",
    "writer",
    "writers",
    "screenplay",
    "story",
    "produced",
    "producer",
    "producers",
    "production",
    "productions",
    "music",
    "composer",
    "composed",
    "cast",
    "starring",
    "crew",
    "editor",
    "edited",
    "editing",
    "cinematography",
    "photography",
    "camera",
    "animation",
    "animations",
    "animated",
    "narrator",
    "narrated",
    "programmer",
    "programmers",
    "designer",
    "designers",
    "illustrator",
    "illustrators",
    "voice",
    "voices",
    "acting",
    "casting",
    "costumes",
    "makeup",
    "executive",
    "created",
    "creator",
    "credits",
    "presents",
    "presented",
    "a film by",
    "a game by",
    "a video by",
    "made by",
    "developed by",
    "developer",
    "developers",
    "artist",
    "artists",
    "art by",
    "sound design",
    "thanks",
    "thank you",
    "acknowledgements",
    "acknowledgments",
    "copyright",
    "all rights reserved",
    "licensed",
    "creative commons",
    "the end",
    "coming soon",
    "studios",
    "pictures",
    "published by",
    "publisher",
    // The companies behind a film, by the word their names end with.
    "corporation",
    "institute",
    "foundation",
    "inc",
    "ltd",
    "llc",
    "gmbh",
    "entertainment",
    "subscribe",
    "for watching",
    // Where a trailer's or a promo's end card sends the viewer.
    "get it on",
    "download on",
    "available now",
    "now available",
    "out now",
    "in theaters",
    "in theatres",
    "in cinemas",
    // How a video's outro card signs off.
    "stay tuned",
    "see you next time",
    "until next time",
    // French, German, Spanish, Italian, Portuguese.
    "réalisation",
    "réalisé",
    "musique",
    "merci",
    "remerciements",
    "fin",
    "regie",
    "drehbuch",
    "musik",
    "kamera",
    "danke",
    "ende",
    "dirección",
    "dirigida",
    "programador",
    "programadores",
    "diseñador",
    "diseñadores",
    "desarrollado",
    "desarrolladores",
    "artistas",
    "guion",
    "música",
    "gracias",
    "reparto",
    "regia",
    "sceneggiatura",
    "musica",
    "grazie",
    "direção",
    "roteiro",
    "obrigado",
    // More of the same languages, and Dutch, Polish, Czech, Turkish and the Nordic ones.
    "scénario",
    "un film de",
    "produit par",
    "ein film von",
    "besetzung",
    "darsteller",
    "vielen dank",
    "guión",
    "una película de",
    "créditos",
    "agradecimientos",
    "producida",
    "producido",
    "un film di",
    "ringraziamenti",
    "prodotto",
    "um filme de",
    "agradecimentos",
    "obrigada",
    "muziek",
    "met dank aan",
    "einde",
    "reżyseria",
    "scenariusz",
    "obsada",
    "koniec",
    "podziękowania",
    "režie",
    "scénář",
    "konec",
    "yönetmen",
    "senaryo",
    "oyuncular",
    "teşekkürler",
    "regi",
    "medverkande",
];

/// Words of credits in Chinese, written without spaces between words and so matched anywhere
/// in a line: the roles, thanks and closing words of credits, simplified and traditional, and
/// the Japanese roles written in the same characters (the reader reads 監督 as 监督). Words
/// that ordinary text uses as often ("music", "production") are left out. The reader does not
/// read kana, Hangul or Cyrillic (it reads Cyrillic lines as Latin look-alikes), so no words
/// of those scripts are listed.
const CREDIT_WORDS_UNSPACED: &[&str] = &[
    "导演",
    "導演",
    "编剧",
    "編劇",
    "监制",
    "監製",
    "制片人",
    "製片人",
    "出品人",
    "主演",
    "鸣谢",
    "鳴謝",
    "特别感谢",
    "特別感謝",
    "演职员",
    "演職員",
    "剧终",
    "劇終",
    "监督",
    "監督",
    "脚本",
    "出演",
    "原作",
    "主題歌",
    "主题歌",
    // Roles that ordinary text uses too ("制作方法", how something is made) head a credit
    // with a colon after them, as credits set them out: "制作：", "原案:".
    "制作：",
    "制作:",
    "製作：",
    "製作:",
    "原案：",
    "原案:",
    "策划：",
    "策划:",
    "企劃：",
    "企劃:",
    "美术：",
    "美术:",
    "美術：",
    "美術:",
    "音乐：",
    "音乐:",
    "音樂：",
    "音樂:",
    "剪辑：",
    "剪辑:",
    "剪輯：",
    "剪輯:",
    "摄影：",
    "摄影:",
    "攝影：",
    "攝影:",
    "配音：",
    "配音:",
    "作曲：",
    "作曲:",
    "作词：",
    "作词:",
    "作詞：",
    "作詞:",
];

/// Words of credits that titles, captions, lyrics and screens use as often: alone, they say
/// nothing either way.
const WEAK_CREDIT_WORDS: &[&str] = &[
    "story",
    "production",
    "productions",
    "music",
    "editor",
    "edited",
    "editing",
    "photography",
    "camera",
    "animation",
    "animations",
    "animated",
    "voice",
    "voices",
    "acting",
    "created",
    "creator",
    // Software promos and screens name their "Developer API" and "developer tools".
    "developer",
    "developers",
    "presented",
    "studios",
    "pictures",
    "corporation",
    "institute",
    "foundation",
    "inc",
    "ltd",
    "llc",
    "gmbh",
    "entertainment",
    "licensed",
    "musique",
    "musik",
    "kamera",
    "música",
    "musica",
    "muziek",
    "prodotto",
];

/// The pronouns and verbs sentences are made of and a title or a list of names seldom holds
/// (articles and prepositions are left out: titles have them too).
const SENTENCE_WORDS: &[&str] = &[
    "is", "are", "was", "were", "be", "been", "this", "that", "these", "those", "it", "i", "we",
    "you", "he", "she", "they", "our", "your", "my", "will", "can", "have", "has", "do", "does",
    "here", "there", "let", "what", "how", "now", "not", "could", "would", "should", "must",
    "might", "if", "because", "which", "their", "them", "his", "her", "me", "us", "am", "had",
    "did", "don't", "can't", "isn't", "it's", "i'm", "you're", "we're",
];

/// Words of a game's or a program's screen, which tell the player or the user what to do or
/// how they stand: a "GAME OVER" screen, a score, a menu, a prompt. Credits name people and
/// the work; they do not ask for a key.
const CONTROL_WORDS: &[&str] = &[
    "press",
    "click",
    "tap",
    "score",
    "high score",
    "level",
    "lives",
    "game over",
    "new game",
    "play again",
    "restart",
    "retry",
    "continue",
    "loading",
    "paused",
    "quit",
    "exit",
];

/// Characters of maths, code and terminals: lines holding one are not credits lines (a
/// credit's "&" and a "'" are left out).
const SYMBOLS: &[char] = &[
    '=', '<', '>', '{', '}', '[', ']', '\\', '|', '$', '^', '_', '~', '#', '∑', 'π', '√', '∫', '→',
    '←', '↑', '↓', '±', '×', '÷', '%', '/', '+',
];

/// What the words of a run say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A word or phrase of credits was read (the word).
    Credits(&'static str),
    /// The text read is not credits, and why.
    NotCredits(&'static str),
    /// Too little was read, or nothing either way.
    Unsure,
}

/// The verdict on the lines read from a run's pictures.
pub fn judge(lines: &[Line]) -> Verdict {
    judge_lines(lines, true)
}

/// The verdict on the lines read from several pictures of a run. A role alone on its line
/// heads a credit only over a name read in the same picture, so each picture is judged on
/// its own first, then all the lines together.
pub fn judge_pictures(pictures: &[Vec<Line>]) -> Verdict {
    for p in pictures {
        if let v @ Verdict::Credits(_) = judge_lines(p, true) {
            return v;
        }
    }
    judge_lines(&pictures.concat(), false)
}

/// `alone`: whether a role alone on its line may head a credit over a name among `lines`
/// (only when they are one picture's).
fn judge_lines(lines: &[Line], alone: bool) -> Verdict {
    let sure: Vec<&Line> = lines.iter().filter(|l| l.score >= MIN_SCORE).collect();
    let mut said: Vec<&'static str> = Vec::new();
    for l in &sure {
        let Some(w) = credit_word(&l.text) else {
            continue;
        };
        // A word that ordinary text uses too ("animated", "camera", "music") is credits
        // when it heads a credit ("Music:", "Animation by", or alone on its line over a
        // name in the same picture), or beside another word of credits.
        if !WEAK_CREDIT_WORDS.contains(&w)
            || heads_a_credit(&l.text, w)
            || another_credit_word(&l.text, w)
            || (alone && words(&l.text) == [w] && sure.iter().any(|n| name_like(&n.text)))
        {
            return Verdict::Credits(w);
        }
        if !said.contains(&w) {
            said.push(w);
        }
    }
    if said.len() >= 2 {
        return Verdict::Credits(said[0]);
    }
    let chars = |l: &Line| l.text.chars().filter(|c| c.is_alphanumeric()).count();
    let total: usize = sure.iter().map(|l| chars(l)).sum();
    if total < MIN_CHARS {
        return Verdict::Unsure;
    }
    // Weighted by the letters and digits each line holds, so that a long sentence is not
    // outvoted by a stray "0".
    let share = |pick: fn(&str) -> bool| {
        sure.iter()
            .filter(|l| pick(&l.text))
            .map(|l| chars(l))
            .sum::<usize>() as f64
            / total as f64
    };
    // A slide holds sentences and code together: what is neither names nor titles decides,
    // and the reason given is the larger part of it.
    let (symbols, sentences) = (share(symbolic), share(|t| sentence(t) && !symbolic(t)));
    let controls = share(|t| control(t) && !sentence(t) && !symbolic(t));
    if symbols + sentences + controls <= 0.5 {
        Verdict::Unsure
    } else if controls > symbols && controls > sentences {
        Verdict::NotCredits("reads as a game's or a program's screen")
    } else if symbols >= sentences {
        Verdict::NotCredits("reads as numbers and symbols")
    } else {
        Verdict::NotCredits("reads as sentences")
    }
}

/// Whether a line read with confidence gives a web address or a handle ("@name"): where to
/// find whoever made the film, as end cards give it.
pub fn points_somewhere(lines: &[Line]) -> bool {
    lines.iter().filter(|l| l.score >= MIN_SCORE).any(|l| {
        l.text.split_whitespace().any(|w| {
            address(w)
                || w.strip_prefix('@')
                    .is_some_and(|h| h.chars().filter(|c| c.is_alphanumeric()).count() >= 3)
        })
    })
}

/// Whether most of the lines read with confidence in `later` (two letters or digits at
/// least) were read in `earlier` too, each compared on its lower-cased letters and digits
/// and allowed a misread character in ten: the same screen, not a new card.
pub fn mostly_the_same_lines(earlier: &[Line], later: &[Line]) -> bool {
    let seen: Vec<String> = earlier
        .iter()
        .filter(|l| legible(l))
        .map(|l| key(&l.text))
        .collect();
    let now: Vec<String> = later
        .iter()
        .filter(|l| legible(l))
        .map(|l| key(&l.text))
        .collect();
    let again = now
        .iter()
        .filter(|n| {
            seen.iter()
                .any(|s| strsim::normalized_levenshtein(s, n) >= 0.9)
        })
        .count();
    !now.is_empty() && again * 2 > now.len()
}

/// Whether a line of `later` that holds a word of credits was not read in `earlier` (each
/// compared on its lower-cased letters and digits, allowing a misread character in five):
/// a new line, not the same card read better the second time ("Thonk you" then "Thank you").
pub fn credit_line_is_new(earlier: &[Line], later: &[Line]) -> bool {
    let seen: Vec<String> = earlier
        .iter()
        .filter(|l| legible(l))
        .map(|l| key(&l.text))
        .collect();
    later
        .iter()
        .filter(|l| legible(l) && credit_word(&l.text).is_some())
        .any(|l| {
            let k = key(&l.text);
            !seen
                .iter()
                .any(|s| strsim::normalized_levenshtein(s, &k) >= MISREAD_ALIKE)
        })
}

/// How alike two readings of one line are at least, misread characters aside.
const MISREAD_ALIKE: f64 = 0.8;

/// A line's lower-cased letters and digits: what two readings of it are compared on.
fn key(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a line reads as lettering: at least two letters or digits, read with confidence.
pub fn legible(l: &Line) -> bool {
    l.score >= MIN_SCORE && l.text.chars().filter(|c| c.is_alphanumeric()).count() >= 2
}

/// The lower-cased words of a line: runs of letters (an apostrophe kept inside a word).
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !(c.is_alphabetic() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// A line holding more words than this is not a credit line for a word ordinary text uses
/// too: a role is a heading ("Music", "Animation by") or stands beside a name, and a long
/// line that holds "animation" or "camera" is saying something else.
const CREDIT_LINE_WORDS: usize = 6;

/// The first credits word or phrase the line holds; "©" counts as "copyright". A word of
/// credits of its own ("directed", "thanks") counts wherever it stands; a word ordinary text
/// uses too counts only in a line that reads as a credit: short, and neither a sentence,
/// numbers and symbols nor a control's words ("Simple pendulum animation, L=0.4m" is a
/// plot's title, "drive animations from scrolling" a sentence, "Tap again to restart that
/// animation." an instruction).
fn credit_word(text: &str) -> Option<&'static str> {
    if text.contains('©') || text.contains("(c)") || text.contains("(C)") {
        return Some("©");
    }
    let ws = words(text);
    let credit_line = credit_line(text, &ws);
    CREDIT_WORDS
        .iter()
        .copied()
        .filter(|w| credit_line || !WEAK_CREDIT_WORDS.contains(w))
        .find(|w| has_phrase(&ws, &[w]).is_some())
        .or_else(|| {
            CREDIT_WORDS_UNSPACED
                .iter()
                .copied()
                .find(|w| text.contains(w))
        })
        .or_else(|| misread_phrase(&ws))
}

/// A phrase of credits of several words and eight letters at least, read with one letter
/// wrong ("Thonk you"): consecutive words spelling it with one letter changed, added or
/// dropped. A single word one letter off is often another word ("produces"); a phrase this
/// long one letter off is not.
fn misread_phrase(ws: &[String]) -> Option<&'static str> {
    CREDIT_WORDS
        .iter()
        .copied()
        .filter(|w| !WEAK_CREDIT_WORDS.contains(w) && w.contains(' '))
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= MISREAD_PHRASE_LETTERS)
        .find(|w| {
            let n = w.split(' ').count();
            let joined: String = w.split(' ').collect();
            ws.windows(n)
                .any(|win| strsim::levenshtein(&win.concat(), &joined) <= 1)
        })
}

/// Letters a phrase of credits holds at least to be recognised with one of them misread.
const MISREAD_PHRASE_LETTERS: usize = 8;

/// Whether the line (its words `ws`) reads as a credit: short, and neither a sentence,
/// numbers and symbols nor an instruction.
fn credit_line(text: &str, ws: &[String]) -> bool {
    ws.len() <= CREDIT_LINE_WORDS && !sentence(text) && !symbolic(text) && !control(text)
}

/// Whether a credit line holds a word of credits besides `word` ("Voice Acting", "Story and
/// Animation").
fn another_credit_word(text: &str, word: &str) -> bool {
    let ws = words(text);
    credit_line(text, &ws)
        && CREDIT_WORDS
            .iter()
            .any(|w| *w != word && has_phrase(&ws, &[w]).is_some())
}

/// Whether the line gives `word` as a credit's heading by its own words: the word and a
/// colon ("Music:"), or the word and "by" ("Animation by Jane Doe"). The word alone on its
/// line heads a credit only over a name (`judge_lines`): a program's "Camera" button stands
/// over no one.
fn heads_a_credit(text: &str, word: &str) -> bool {
    text.to_lowercase().contains(&format!("{word}:"))
        || words(text).windows(2).any(|p| p[0] == word && p[1] == "by")
}

/// Whether a line reads as a person's or a company's name: two to four words, each a
/// capital letter and then letters ("Jane Doe", "Ana María López", "O'Brien"), none of them
/// a word of credits or of controls.
fn name_like(text: &str) -> bool {
    let raw: Vec<&str> = text.split_whitespace().collect();
    (2..=4).contains(&raw.len())
        && raw.iter().all(|w| {
            let mut cs = w.chars();
            cs.next().is_some_and(char::is_uppercase)
                && cs.all(|c| c.is_alphabetic() || matches!(c, '\'' | '-' | '.'))
        })
        && credit_word(text).is_none()
        && !control(text)
}

/// Endings of the web addresses end cards give (a studio's site, a channel).
const ADDRESS_ENDINGS: &[&str] = &[
    ".com", ".org", ".net", ".io", ".tv", ".co", ".edu", ".gov", ".info", ".me", ".app", ".dev",
    ".film", ".studio",
];

/// A word that is a web address: "www.", a scheme, or a host ending as sites do, with or
/// without a path after it. Its slashes and dots are an address's, not code's.
fn address(word: &str) -> bool {
    // The reader reads a small dot as a comma now and then.
    let w = word.to_lowercase().replace(',', ".");
    let host = w.split('/').find(|p| !p.is_empty() && !p.ends_with(':'));
    w.starts_with("www.")
        || w.contains("://")
        || host.is_some_and(|h| {
            ADDRESS_ENDINGS
                .iter()
                .any(|e| h.ends_with(e) && h.len() > e.len())
                || misread_ending(h)
        })
}

/// Whether `host` ends in one of the commonest endings with one letter misread
/// ("github.con"): a name of three letters or more, a dot, and three lower-case letters one
/// off ".com", ".org" or ".net". Endings that file names use (".cpp" beside ".app") are left
/// out.
fn misread_ending(host: &str) -> bool {
    let Some((name, end)) = host.rsplit_once('.') else {
        return false;
    };
    name.chars().filter(|c| c.is_alphabetic()).count() >= 3
        && end.len() == 3
        && end.chars().all(|c| c.is_ascii_lowercase())
        && ["com", "org", "net"]
            .iter()
            .any(|e| strsim::hamming(e, end) == Ok(1))
}

/// A line of numbers and symbols: a symbol of maths or code, or as many digits as letters.
/// Web addresses are left out: an end card gives one as it gives a name.
fn symbolic(text: &str) -> bool {
    let rest: Vec<&str> = text.split_whitespace().filter(|w| !address(w)).collect();
    let rest = rest.join(" ");
    let digits = rest.chars().filter(char::is_ascii_digit).count();
    let letters = rest.chars().filter(|c| c.is_alphabetic()).count();
    rest.chars().any(|c| SYMBOLS.contains(&c)) || (digits > 0 && digits >= letters)
}

/// A line of a game's or a program's screen: it holds one of the words of controls.
fn control(text: &str) -> bool {
    has_phrase(&words(text), CONTROL_WORDS).is_some()
}

/// The first of `phrases` found on whole words of `ws` (a phrase on its words in order).
/// The reader often drops or adds the space between short words ("Getit on", "Thankyou"), so
/// a phrase of several words also matches consecutive words that spell it without spaces.
fn has_phrase(ws: &[String], phrases: &[&'static str]) -> Option<&'static str> {
    phrases.iter().copied().find(|phrase| {
        let p: Vec<&str> = phrase.split(' ').collect();
        ws.windows(p.len())
            .any(|w| w.iter().zip(&p).all(|(a, b)| a == b))
            || (p.len() > 1 && spelt_together(ws, &p.concat()))
    })
}

/// Whether consecutive words of `ws` joined without spaces are `joined`.
fn spelt_together(ws: &[String], joined: &str) -> bool {
    (0..ws.len()).any(|i| {
        let mut s = String::new();
        for w in &ws[i..] {
            s.push_str(w);
            if s.len() >= joined.len() || !joined.starts_with(s.as_str()) {
                break;
            }
        }
        s == joined
    })
}

/// A line of a sentence: three words or more, two of them the pronouns and verbs sentences are
/// made of, and most of them in lower case (a title capitalises its words).
fn sentence(text: &str) -> bool {
    let raw: Vec<&str> = text
        .split(|c: char| !(c.is_alphabetic() || c == '\''))
        .filter(|w| !w.is_empty())
        .collect();
    let lower = raw
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
        .count();
    let ws = words(text);
    ws.len() >= 3
        && lower * 2 > ws.len()
        && ws
            .iter()
            .filter(|w| SENTENCE_WORDS.contains(&w.as_str()))
            .count()
            >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(texts: &[&str]) -> Vec<Line> {
        texts
            .iter()
            .map(|t| Line {
                text: t.to_string(),
                score: 0.95,
            })
            .collect()
    }

    #[test]
    fn credits_in_other_languages_and_scripts_are_read_as_credits() {
        assert_eq!(
            judge(&lines(&["Reżyseria", "Anna Nowak"])),
            Verdict::Credits("reżyseria")
        );
        // Chinese and Japanese set no spaces between words: the role is found inside the line.
        assert_eq!(judge(&lines(&["导演：张伟"])), Verdict::Credits("导演"));
        assert_eq!(judge(&lines(&["监督 山田太郎"])), Verdict::Credits("监督"));
        assert_eq!(judge(&lines(&["監製 陳大文"])), Verdict::Credits("監製"));
        // Words ordinary text uses as often stay weak in these languages too: a Dutch line
        // about music is not a credit.
        assert_eq!(
            judge(&lines(&["Deze muziek speelt elke avond in onze stad"])),
            Verdict::Unsure
        );
        // A Chinese line without a role is nothing either way.
        assert_eq!(judge(&lines(&["欢迎来到我们的城市"])), Verdict::Unsure);
        // A phrase of credits read with one letter wrong is still the phrase; a word is not.
        assert_eq!(
            judge(&lines(&["Thonk you for plouing the mod"])),
            Verdict::Credits("thank you")
        );
        assert_eq!(judge(&lines(&["Produces:", "Jane Doe"])), Verdict::Unsure);
        // A role ordinary text uses too heads a credit with a colon after it, and only then.
        assert_eq!(
            judge(&lines(&["原案:", "制作："])),
            Verdict::Credits("原案:")
        );
        assert_eq!(judge(&lines(&["制作：李明"])), Verdict::Credits("制作："));
        assert_eq!(judge(&lines(&["这道菜的制作方法很简单"])), Verdict::Unsure);
    }

    #[test]
    fn credits_words_are_found_on_whole_words() {
        assert_eq!(
            judge(&lines(&["Directed by", "Jane Doe"])),
            Verdict::Credits("directed")
        );
        assert_eq!(judge(&lines(&["THE END"])), Verdict::Credits("the end"));
        assert_eq!(judge(&lines(&["© 2024 Acme"])), Verdict::Credits("©"));
        assert_eq!(
            judge(&lines(&["Music:", "\"Sunrise\" by Dan"])),
            Verdict::Credits("music")
        );
        // Who made a game, a video, its art.
        assert_eq!(
            judge(&lines(&["More Levels", "A Game By"])),
            Verdict::Credits("a game by")
        );
        // "Coming Soonl", one letter misread, is still "coming soon".
        assert_eq!(
            judge(&lines(&["More Levels Coming Soonl", "A Game By"])),
            Verdict::Credits("coming soon")
        );
        assert_eq!(
            judge(&lines(&["Lead Artist", "Jane Doe"])),
            Verdict::Credits("artist")
        );
        // A game's end screen asks for a key; a credits line does not.
        assert_eq!(
            judge(&lines(&[
                "Game Ended",
                "Score: 11",
                "Press ENTER or Start for new game.",
                "Press ESC or Back to exit."
            ])),
            Verdict::NotCredits("reads as a game's or a program's screen")
        );
        // An outro card's sign-off, though it reads as a sentence.
        assert_eq!(
            judge(&lines(&["Stay tuned", "for future videos!"])),
            Verdict::Credits("stay tuned")
        );
        assert_eq!(
            judge(&lines(&["See you next time"])),
            Verdict::Credits("see you next time")
        );
        // Inside another word, a credits word is not one.
        assert_eq!(judge(&lines(&["Finland", "Endeavour"])), Verdict::Unsure);
        // Where a promo's end card sends the viewer.
        assert_eq!(
            judge(&lines(&["Glyph Maps", "Get it on Google Play"])),
            Verdict::Credits("get it on")
        );
    }

    #[test]
    fn the_companies_behind_a_film_are_named_by_the_word_their_names_end_with() {
        // A film's closing card of companies, as the reader reads it.
        assert_eq!(
            judge(&lines(&[
                "Cinegrid Amsterdam",
                "Rovi. Corporation",
                "Blender Institute"
            ])),
            Verdict::Credits("corporation")
        );
        assert_eq!(
            judge(&lines(&["Published by", "bbpanzu"])),
            Verdict::Credits("published by")
        );
        // One such word alone is a name as ordinary text gives it, not a credit.
        assert_eq!(
            judge(&lines(&["Welcome to the Institute"])),
            Verdict::Unsure
        );
        assert_eq!(judge(&lines(&["Open Android Studio"])), Verdict::Unsure);
    }

    #[test]
    fn a_phrase_read_without_its_spaces_is_the_phrase() {
        // As the reader reads a small store button: the space after "Get" dropped.
        assert_eq!(
            judge(&lines(&["Glyph Maps", "Getit on Googlo Ply"])),
            Verdict::Credits("get it on")
        );
        assert_eq!(
            judge(&lines(&["THANKYOU FOR WATCHING"])),
            Verdict::Credits("thank you")
        );
        assert_eq!(
            judge(&lines(&["GAMEOVER", "PRESS START"])),
            Verdict::NotCredits("reads as a game's or a program's screen")
        );
        // Words that only begin a phrase are not it.
        assert_eq!(judge(&lines(&["Getting on with it"])), Verdict::Unsure);
        assert_eq!(judge(&lines(&["Theater district"])), Verdict::Unsure);
    }

    #[test]
    fn a_screen_read_again_with_one_more_line_is_the_same_screen() {
        let lyrics = lines(&[
            "Nothing's wrong, go back to sleep",
            "Can't offend my modesty",
            "Lost the will at infancy",
        ]);
        // Read again with a misread character, and one line more.
        let again = lines(&[
            "Nothing's wrong2,go back to sleep",
            "Can't offend my _modesty",
            "Lost the will at infancy",
            "Thank you for defiling me",
        ]);
        assert!(mostly_the_same_lines(&lyrics, &again));
        // Slides, then an end card: a new screen.
        let slides = lines(&["Snippet execution", "Code snippets can be executed"]);
        let card = lines(&["The end", "Thanks for watching"]);
        assert!(!mostly_the_same_lines(&slides, &card));
        assert!(!mostly_the_same_lines(&slides, &[]));
        // The lyrics' "Thank you" is a line the screen did not hold before.
        assert!(credit_line_is_new(&lyrics, &again));
        // A card read twice, its thanks misread the first time, is one card.
        let misread = lines(&[
            "The team is very appreciative of it",
            "Thonk you for plouing the mod and Hopeless Demol",
        ]);
        let read = lines(&[
            "The team is very appreciative of it",
            "Thank you for ploying the Mad and Hopeless Demol",
        ]);
        assert!(mostly_the_same_lines(&misread, &read));
        assert!(!credit_line_is_new(&misread, &read));
    }

    #[test]
    fn a_word_ordinary_text_uses_too_is_credits_only_in_a_credit_line_beside_another() {
        // Alone, in a title of kinetic type, "animated" says nothing.
        assert_eq!(
            judge(&lines(&["Super Easy", "Animated Effects", "For Flutter!!"])),
            Verdict::Unsure
        );
        // As a heading over names, or beside another word of credits, it does.
        assert_eq!(
            judge(&lines(&["Animation", "Jane Doe"])),
            Verdict::Credits("animation")
        );
        // Two such words on one line head a credit: a game's "Voice Acting".
        assert_eq!(
            judge(&lines(&["VOICE ACTING", "Requiem Zero"])),
            Verdict::Credits("voice")
        );
        // A program's button heads no one, even when another picture of the run shows
        // words in capitals.
        assert_eq!(
            judge(&lines(&["Record", "Your videos", "Tab area", "Camera"])),
            Verdict::Unsure
        );
        assert_eq!(
            judge_pictures(&[
                lines(&["Manage Extensions", "Access requested"]),
                lines(&["Record", "Your videos", "Tab area", "Camera"])
            ]),
            Verdict::Unsure
        );
        assert_eq!(
            judge_pictures(&[lines(&["Camera", "Jane Doe"]), lines(&["The Film"])]),
            Verdict::Credits("camera")
        );
        assert_eq!(
            judge(&lines(&["Original Music", "Animated Effects"])),
            Verdict::Credits("music")
        );
        assert_eq!(
            judge(&lines(&["Animation by Jane Doe"])),
            Verdict::Credits("animation")
        );
        // A plot's title, an instruction and a sentence are not credit lines.
        assert_eq!(
            judge(&lines(&["Simple pendulum animation, L=0.4m", "Amplitudes"])),
            Verdict::NotCredits("reads as numbers and symbols")
        );
        assert_eq!(
            judge(&lines(&["Tap again to restart that animation."])),
            Verdict::NotCredits("reads as a game's or a program's screen")
        );
        assert_eq!(
            judge(&lines(&[
                "Using adapters to drive animations from scrolling or user input."
            ])),
            Verdict::Unsure
        );
    }

    #[test]
    fn numbers_symbols_and_sentences_are_not_credits() {
        assert_eq!(
            judge(&lines(&["var = 10.500", "int var = 10"])),
            Verdict::NotCredits("reads as numbers and symbols")
        );
        assert_eq!(
            judge(&lines(&["00:01:12:04"])),
            Verdict::NotCredits("reads as numbers and symbols")
        );
        assert_eq!(
            judge(&lines(&["That was a transform", "This is a grid"])),
            Verdict::NotCredits("reads as sentences")
        );
        // A slide: a heading, a sentence and code, none of them over half alone.
        assert_eq!(
            judge(&lines(&[
                "Snippet execution",
                "Code snippets can be executed on demand:",
                "sleep(Duration::from_millis(500));"
            ])),
            Verdict::NotCredits("reads as sentences")
        );
        // Negation and modal verbs make a sentence as pronouns do: a program's error message.
        assert_eq!(
            judge(&lines(&[
                "GraphQL: Could not resolve to an issue or pull request with the number of 19.",
                "$ gh issue view 19"
            ])),
            Verdict::NotCredits("reads as sentences")
        );
    }

    #[test]
    fn an_address_or_a_handle_points_somewhere_but_a_local_one_does_not() {
        assert!(points_somewhere(&lines(&["Jane Doe", "janedoe.com"])));
        assert!(points_somewhere(&lines(&[
            "@this_vid2",
            "Downloaded using"
        ])));
        assert!(points_somewhere(&lines(&["PRAGUE.WEB3PRIVACY.INFO"])));
        assert!(!points_somewhere(&lines(&[
            "Hello World!",
            "0localhost:3000"
        ])));
        assert!(!points_somewhere(&lines(&["Fade In", "@ 5"])));
        // An address read with a misread ending or a comma for its dot is an address, and
        // not a line of symbols; a file name is neither.
        assert!(points_somewhere(&lines(&[
            "github.con/qingchencloud/cftunnel"
        ])));
        assert!(points_somewhere(&lines(&["github,com/qingchencloud"])));
        assert!(!symbolic("github.con/qingchencloud/cftunnel"));
        assert!(!points_somewhere(&lines(&["src/main.cpp", "build.rs"])));
        // A guess is not a reading.
        let mut guess = lines(&["janedoe.com"]);
        guess[0].score = 0.5;
        assert!(!points_somewhere(&guess));
    }

    #[test]
    fn a_title_names_or_too_little_read_leave_it_unsure() {
        assert_eq!(judge(&lines(&["Big Buck Bunny"])), Verdict::Unsure);
        assert_eq!(
            judge(&lines(&["What We Do in the Shadows"])),
            Verdict::Unsure
        );
        assert_eq!(
            judge(&lines(&[
                "Fibonacci Magic",
                "A visual exploration of identities"
            ])),
            Verdict::Unsure
        );
        assert_eq!(judge(&lines(&["Jane Doe", "John Smith"])), Verdict::Unsure);
        // A web address is an end card's, not code.
        assert_eq!(judge(&lines(&["www.example.com/channel"])), Verdict::Unsure);
        assert_eq!(
            judge(&lines(&["Jane Doe", "https://janedoe.film/work"])),
            Verdict::Unsure
        );
        assert_eq!(
            judge(&lines(&["a/b = c.com + 1"])),
            Verdict::NotCredits("reads as numbers and symbols")
        );
        assert_eq!(judge(&lines(&["0", "7"])), Verdict::Unsure);
        let guessed = vec![Line {
            text: "x = 1 + 2".into(),
            score: 0.5,
        }];
        assert_eq!(judge(&guessed), Verdict::Unsure);
    }
}
