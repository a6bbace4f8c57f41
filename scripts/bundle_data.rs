//! Prints, as JSON, what the build derives from the widget registry
//! (`src/widgets/mod.rs`), so `loader.js` never keeps a second list of widgets or
//! strings: each kind with its element's observed attributes, whether it floats, and the
//! stem of its wasm chunk, its tab in the launcher's panel and what its skeleton holds; and, per locale, the few catalogue strings the loader shows
//! itself (the closed launcher, the fallback when the bundle cannot load); and per locale
//! the shipped strings of every catalogue, written to `pkg/strings/` so a page fetches
//! only its active locale's.
//! `scripts/bundle.sh` runs it natively and writes the result into `pkg/loader.js`
//! together with the chunk files each kind needs.

use comeback::i18n::AnyText;
use comeback::widgets::WidgetKind;
use comeback_core::Locale;

/// The catalogue keys `loader.js` shows without the wasm.
const LOADER_KEYS: &[&str] = &[
    "common.unavailable",
    "common.points_one",
    "common.points_other",
    "launcher.rewards",
];

fn main() {
    let widgets: Vec<String> = WidgetKind::ALL
        .iter()
        .map(|kind| {
            let attributes: Vec<String> = kind.observed().map(quote).collect();
            format!(
                "{{\"kind\":{},\"attributes\":[{}],\"floating\":{},\"chunk\":{},\"tab\":{},\"tab_by_default\":{},\"space\":{}}}",
                quote(kind.as_str()),
                attributes.join(","),
                kind.floating(),
                quote(kind.chunk()),
                kind.tab().map_or_else(|| "null".to_owned(), quote),
                kind.tab_by_default(),
                kind.space().to_json(),
            )
        })
        .collect();
    let catalogues = std::iter::once(comeback::i18n::ALL)
        .chain(WidgetKind::ALL.iter().map(|kind| kind.strings()));
    let keys: Vec<&dyn AnyText> = catalogues
        .flatten()
        .copied()
        .filter(|key| LOADER_KEYS.contains(&key.key()))
        .collect();
    assert_eq!(
        keys.len(),
        LOADER_KEYS.len(),
        "a loader key is missing from the catalogues"
    );
    let text: Vec<String> = Locale::ALL
        .iter()
        .map(|&locale| {
            let pairs: Vec<String> = keys
                .iter()
                .map(|key| format!("{}:{}", quote(key.key()), quote(key.shipped(locale))))
                .collect();
            format!("{}:{{{}}}", quote(locale.as_str()), pairs.join(","))
        })
        .collect();
    // Per locale, each catalogue's shipped texts: the files the loader fetches for the
    // active locale only (`strings/<locale>/<common|kind>.json`).
    // The shared file also carries each tab's label, which the launcher's panel shows
    // before the tab's own widget (and its catalogue) has loaded.
    let mut common: Vec<&dyn AnyText> = comeback::i18n::ALL.to_vec();
    common.extend(
        WidgetKind::ALL
            .iter()
            .filter(|kind| kind.tab().is_some())
            .flat_map(|kind| {
                let label = [kind.as_str(), ".tab"].concat();
                kind.strings()
                    .iter()
                    .copied()
                    .filter(move |key| key.key() == label)
            }),
    );
    let named = std::iter::once(("common", common.as_slice())).chain(
        WidgetKind::ALL
            .iter()
            .map(|kind| (kind.as_str(), kind.strings())),
    );
    let named: Vec<(&str, &[&dyn AnyText])> = named.collect();
    let catalogues: Vec<String> = Locale::ALL
        .iter()
        .map(|&locale| {
            let files: Vec<String> = named
                .iter()
                .map(|(name, keys)| {
                    let pairs: Vec<String> = keys
                        .iter()
                        .map(|key| format!("{}:{}", quote(key.key()), quote(key.shipped(locale))))
                        .collect();
                    format!("{}:{{{}}}", quote(name), pairs.join(","))
                })
                .collect();
            format!("{}:{{{}}}", quote(locale.as_str()), files.join(","))
        })
        .collect();
    println!(
        "{{\"widgets\":[{}],\"text\":{{{}}},\"catalogues\":{{{}}}}}",
        widgets.join(","),
        text.join(","),
        catalogues.join(",")
    );
}

/// A JSON string literal.
fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
