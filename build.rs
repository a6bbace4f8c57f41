//! Ships the stylesheets minified: `src/theme.css` and every `src/widgets/*/style.css`
//! are written to `OUT_DIR` without comments and the blanks around `{`, `}`, `;`, `,`
//! and after `:` (a blank before `:` can be a descendant combinator, so it stays), and
//! without a `;` before `}`. Quoted strings are copied as they are. The sources stay
//! commented for their readers; the bundle carries them inside the wasm, on every page,
//! where each comment and indent was a byte to download (`include_css!`).

use std::{env, fs, path::Path};

fn main() {
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let mut sheets = vec![Path::new("src/theme.css").to_path_buf()];
    for entry in fs::read_dir("src/widgets").expect("src/widgets is readable") {
        let sheet = entry.expect("a widget folder").path().join("style.css");
        if sheet.exists() {
            sheets.push(sheet);
        }
    }
    println!("cargo::rerun-if-changed=src/widgets");
    for sheet in sheets {
        println!("cargo::rerun-if-changed={}", sheet.display());
        let source = fs::read_to_string(&sheet).expect("a stylesheet is UTF-8 text");
        let target = Path::new(&out).join(sheet.strip_prefix("src").expect("under src"));
        fs::create_dir_all(target.parent().expect("a file has a folder"))
            .expect("OUT_DIR is writable");
        fs::write(&target, minify(&source)).expect("OUT_DIR is writable");
    }
}

/// `css` without comments and the blanks that mean nothing (see the header).
fn minify(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut blank = false;
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' => {
                flush_blank(&mut out, &mut blank);
                out.push(c);
                while let Some(inner) = chars.next() {
                    out.push(inner);
                    if inner == '\\' {
                        out.extend(chars.next());
                    } else if inner == c {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for inner in chars.by_ref() {
                    if last == '*' && inner == '/' {
                        break;
                    }
                    last = inner;
                }
                blank = true;
            }
            c if c.is_whitespace() => blank = true,
            '{' | '}' | ';' | ',' => {
                blank = false;
                if c == '}' && out.ends_with(';') {
                    out.pop();
                }
                out.push(c);
                skip_blanks(&mut chars);
            }
            ':' => {
                flush_blank(&mut out, &mut blank);
                out.push(c);
                skip_blanks(&mut chars);
            }
            c => {
                flush_blank(&mut out, &mut blank);
                out.push(c);
            }
        }
    }
    out
}

/// Writes the pending blank, unless it would start the text or follow a character
/// after which blanks are dropped.
fn flush_blank(out: &mut String, blank: &mut bool) {
    if std::mem::take(blank) && !out.is_empty() && !out.ends_with(['{', '}', ';', ',', ':']) {
        out.push(' ');
    }
}

fn skip_blanks(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while chars.next_if(|c| c.is_whitespace()).is_some() {}
}
