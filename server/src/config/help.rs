//! `[shops.<id>.help]`: the help centre's articles, troubleshooting trees and contact
//! channels, written per locale in the config file.
//!
//! Checked once at start: ids, texts in every locale the section asks for, URL patterns,
//! and each tree's shape ([`comeback_core::help::Tree::validate`]); a broken tree stops
//! the server with a message naming the tree and the step.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use comeback_core::help::Tree;
use comeback_core::{Locale, LocalizedText};
use serde::Deserialize;

use super::{invalid, is_valid_id, ConfigError};

/// `[shops.<id>.help]`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HelpConfig {
    /// The locales every article, tree and contact text must be written in (`en`,
    /// `zh-Hans`, `zh-Hant`). Default: all three.
    #[serde(default = "all_locales")]
    pub locales: Vec<String>,
    /// The articles, in the order the help home lists them.
    #[serde(default)]
    pub articles: Vec<ArticleConfig>,
    /// The troubleshooting trees.
    #[serde(default)]
    pub trees: Vec<Tree>,
    /// How to reach a person.
    #[serde(default)]
    pub contact: ContactConfig,
    /// A directory of Markdown articles (`<id>.<locale>.md`, each with `+++` TOML front
    /// matter), relative to the config file; they join `articles` after those written
    /// inline.
    #[serde(default)]
    #[schema(ignore)]
    pub content_dir: Option<std::path::PathBuf>,
}

/// The front matter of an article file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    pages: Vec<String>,
    /// Where the article sits among the directory's (then by id); 0 when no file of
    /// the article says.
    #[serde(default)]
    order: Option<i64>,
}

/// `[[shops.<id>.help.articles]]`.
#[derive(Debug, Clone, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticleConfig {
    /// Unique in the shop: 1-64 characters of A-Z, a-z, 0-9, `_` or `-`.
    pub id: String,
    /// The title.
    pub title: LocalizedText,
    /// The body, in Markdown (rendered and sanitised by the server).
    pub body: LocalizedText,
    /// Words that find it and group it (`shipping`, `积分`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Paths where it is suggested (`/products/*`, `/cart`): `*` matches any run of
    /// characters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<String>,
}

/// `[shops.<id>.help.contact]`: every channel optional.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactConfig {
    /// A phone number as shoppers dial it (`+86 21 5555 0100`).
    #[serde(default)]
    pub phone: Option<String>,
    /// An email address.
    #[serde(default)]
    pub email: Option<String>,
    /// When someone answers (`Mon–Fri 9:00–18:00`).
    #[serde(default)]
    pub hours: Option<LocalizedText>,
    /// Where to visit.
    #[serde(default)]
    pub address: Option<LocalizedText>,
}

fn all_locales() -> Vec<String> {
    Locale::ALL.iter().map(|l| l.as_str().to_owned()).collect()
}

impl HelpConfig {
    /// The locales every text must be written in.
    pub fn required_locales(&self) -> Vec<Locale> {
        self.locales
            .iter()
            .filter_map(|tag| Locale::ALL.into_iter().find(|l| l.as_str() == tag))
            .collect()
    }

    /// The article with `id`.
    pub fn article(&self, id: &str) -> Option<&ArticleConfig> {
        self.articles.iter().find(|a| a.id == id)
    }

    /// The tree with `id`.
    pub fn tree(&self, id: &str) -> Option<&Tree> {
        self.trees.iter().find(|t| t.id == id)
    }

    /// Reads `content_dir` (if set) into [`HelpConfig::articles`]: each `<id>.<locale>.md`
    /// file is one locale of article `<id>`, its `+++` TOML front matter holding `title`
    /// and optionally `tags`, `pages` and `order`; every article needs its `en` file.
    pub(super) fn read_content_dir(&mut self, shop: &str, base: &Path) -> Result<(), ConfigError> {
        let Some(dir) = &self.content_dir else {
            return Ok(());
        };
        let key = format!("shops.{shop}.help.content_dir");
        let dir = base.join(dir);
        let entries = std::fs::read_dir(&dir)
            .map_err(|e| invalid(key.clone(), format!("cannot read {}: {e}", dir.display())))?;
        let mut files: Vec<std::path::PathBuf> = entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
            .collect();
        files.sort();
        // Per article id: its order and its texts per locale.
        let mut found: BTreeMap<String, (Option<i64>, ArticleConfig)> = BTreeMap::new();
        for path in files {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let at = |message: String| invalid(key.clone(), format!("{name}: {message}"));
            let stem = name.trim_end_matches(".md");
            let (id, tag) = stem.rsplit_once('.').ok_or_else(|| {
                at("name it `<article id>.<locale>.md` (`shipping.zh-Hans.md`)".into())
            })?;
            let locale = Locale::ALL
                .into_iter()
                .find(|l| l.as_str() == tag)
                .ok_or_else(|| at(format!("`{tag}` is not one of `en`, `zh-Hans`, `zh-Hant`")))?;
            let text =
                std::fs::read_to_string(&path).map_err(|e| at(format!("cannot be read: {e}")))?;
            let (front, body) = split_front_matter(&text).ok_or_else(|| {
                at("must start with `+++`, TOML front matter with `title`, then `+++`".into())
            })?;
            let front: FrontMatter =
                toml::from_str(front).map_err(|e| at(format!("front matter: {}", e.message())))?;
            let (order, article) = found.entry(id.to_owned()).or_insert_with(|| {
                (
                    front.order,
                    ArticleConfig {
                        id: id.to_owned(),
                        title: LocalizedText::default(),
                        body: LocalizedText::default(),
                        tags: Vec::new(),
                        pages: Vec::new(),
                    },
                )
            });
            *order = match (*order, front.order) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            set(&mut article.title, locale, front.title);
            set(&mut article.body, locale, body.to_owned());
            for tag in front.tags {
                if !article.tags.contains(&tag) {
                    article.tags.push(tag);
                }
            }
            for page in front.pages {
                if !article.pages.contains(&page) {
                    article.pages.push(page);
                }
            }
        }
        let mut read: Vec<(Option<i64>, ArticleConfig)> = found.into_values().collect();
        read.sort_by(|a, b| {
            let (x, y) = (a.0.unwrap_or(0), b.0.unwrap_or(0));
            x.cmp(&y).then_with(|| a.1.id.cmp(&b.1.id))
        });
        for (_, article) in read {
            if article.title.en.is_empty() {
                return Err(invalid(
                    key,
                    format!("article `{}` has no `{}.en.md`", article.id, article.id),
                ));
            }
            self.articles.push(article);
        }
        Ok(())
    }

    pub(super) fn validate(&self, shop: &str) -> Result<(), ConfigError> {
        let key = |name: &str| format!("shops.{shop}.help.{name}");
        for (index, tag) in self.locales.iter().enumerate() {
            if !Locale::ALL.iter().any(|l| l.as_str() == tag) {
                return Err(invalid(
                    format!("shops.{shop}.help.locales[{index}]"),
                    format!("`{tag}` is not one of `en`, `zh-Hans`, `zh-Hant`"),
                ));
            }
        }
        let locales = self.required_locales();
        if locales.is_empty() {
            return Err(invalid(key("locales"), "must name at least one locale"));
        }
        let mut ids = BTreeSet::new();
        for (index, article) in self.articles.iter().enumerate() {
            let at = |name: &str| format!("shops.{shop}.help.articles[{index}].{name}");
            if !is_valid_id(&article.id, 64) {
                return Err(invalid(
                    at("id"),
                    "must be 1-64 characters of A-Z, a-z, 0-9, `_` or `-`",
                ));
            }
            if !ids.insert(article.id.as_str()) {
                return Err(invalid(
                    at("id"),
                    format!("`{}` is used by two articles", article.id),
                ));
            }
            written(&article.title, &locales, &at("title"))?;
            written(&article.body, &locales, &at("body"))?;
            for (n, tag) in article.tags.iter().enumerate() {
                if tag.trim().is_empty() || tag.chars().count() > 40 {
                    return Err(invalid(
                        at(&format!("tags[{n}]")),
                        "must be 1-40 characters",
                    ));
                }
            }
            for (n, page) in article.pages.iter().enumerate() {
                if !page.starts_with('/') || page.chars().any(char::is_whitespace) {
                    return Err(invalid(
                        at(&format!("pages[{n}]")),
                        "must be a path starting with `/` (`*` matches any run of characters)",
                    ));
                }
            }
        }
        let mut trees = BTreeSet::new();
        for (index, tree) in self.trees.iter().enumerate() {
            if !is_valid_id(&tree.id, 64) {
                return Err(invalid(
                    format!("shops.{shop}.help.trees[{index}].id"),
                    "must be 1-64 characters of A-Z, a-z, 0-9, `_` or `-`",
                ));
            }
            if !trees.insert(tree.id.as_str()) {
                return Err(invalid(
                    format!("shops.{shop}.help.trees[{index}].id"),
                    format!("`{}` is used by two trees", tree.id),
                ));
            }
            tree.validate(&locales, &|id| ids.contains(id))
                .map_err(|error| {
                    invalid(
                        format!("shops.{shop}.help.trees[{index}]"),
                        error.to_string(),
                    )
                })?;
        }
        let contact = &self.contact;
        if let Some(email) = &contact.email {
            let (local, domain) = email.split_once('@').unwrap_or_default();
            if local.is_empty() || !domain.contains('.') || email.chars().any(char::is_whitespace) {
                return Err(invalid(
                    key("contact.email"),
                    format!("`{email}` is not an email address"),
                ));
            }
        }
        if let Some(phone) = &contact.phone {
            let allowed = |c: char| c.is_ascii_digit() || " +-().".contains(c);
            if !phone.chars().all(allowed) || !phone.chars().any(|c| c.is_ascii_digit()) {
                return Err(invalid(
                    key("contact.phone"),
                    "must be digits, spaces and `+ - ( ) .` only",
                ));
            }
        }
        if let Some(hours) = &contact.hours {
            written(hours, &locales, &key("contact.hours"))?;
        }
        if let Some(address) = &contact.address {
            written(address, &locales, &key("contact.address"))?;
        }
        Ok(())
    }
}

/// The TOML between a leading `+++` line and the next, and the rest.
fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let rest = text.trim_start_matches('\u{feff}').strip_prefix("+++")?;
    let rest = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))?;
    let end = rest.find("\n+++")?;
    let body = &rest[end + 4..];
    let body = body
        .strip_prefix("\r\n")
        .or_else(|| body.strip_prefix('\n'))
        .unwrap_or(body);
    Some((&rest[..end], body))
}

/// Sets the `locale` variant of `text`.
fn set(text: &mut LocalizedText, locale: Locale, value: String) {
    match locale {
        Locale::En => text.en = value,
        Locale::ZhHans => text.zh_hans = Some(value),
        Locale::ZhHant => text.zh_hant = Some(value),
    }
}

/// `text` is written (not blank) in each of `locales`.
fn written(text: &LocalizedText, locales: &[Locale], key: &str) -> Result<(), ConfigError> {
    match locales.iter().find(|&&l| text.exact(l).is_none()) {
        Some(missing) => Err(invalid(
            key.to_owned(),
            format!("has no `{}` text", missing.as_str()),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    fn shop(help: &str) -> String {
        format!(
            "[shops.demo]\nname = \"Tea\"\ntoken_secrets = [\"tok-0123456789abcdef0123456789abcdef\"]\nwebhook_secrets = [\"hook-0123456789abcdef0123456789abcdef\"]\napi_keys = [\"api-0123456789abcdef0123456789abcdef\"]\ncurrency = \"CNY\"\n{help}"
        )
    }

    fn error(help: &str) -> String {
        Config::parse(&shop(help)).unwrap_err().to_string()
    }

    const TREE: &str = r#"
[shops.demo.help]
locales = ["en"]

[[shops.demo.help.articles]]
id = "shipping"
title = { en = "Shipping" }
body = { en = "Free over ¥99." }

[[shops.demo.help.trees]]
id = "order-problem"
title = { en = "Order problem" }

[[shops.demo.help.trees.steps]]
id = "what"
question = { en = "What happened?" }
answers = [{ label = { en = "Late" }, next = "late" }]

[[shops.demo.help.trees.steps]]
id = "late"
solved = { en = "It is on its way." }
article = "shipping"
"#;

    #[test]
    fn a_sound_help_section_loads_in_the_locales_it_names() {
        let config = Config::parse(&shop(TREE)).unwrap();
        let help = config.shop("demo").and_then(|s| s.help.as_ref()).unwrap();
        assert_eq!(help.articles.len(), 1);
        assert!(help.tree("order-problem").is_some());
    }

    #[test]
    fn articles_are_read_from_a_content_dir_with_front_matter() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            std::fs::write(dir.path().join("help").join(name), text).unwrap()
        };
        std::fs::create_dir(dir.path().join("help")).unwrap();
        write(
            "returns.en.md",
            "+++\ntitle = \"Returns\"\ntags = [\"refund\"]\norder = 2\n+++\nWithin **30 days**.\n",
        );
        write(
            "returns.zh-Hans.md",
            "+++\ntitle = \"退货\"\ntags = [\"退款\"]\npages = [\"/cart\"]\n+++\n30 天内。\n",
        );
        write(
            "brewing.en.md",
            "+++\ntitle = \"Brewing\"\norder = 1\n+++\nUse 80 °C water.\n",
        );
        write("notes.txt", "ignored");
        let help = TREE.replace(
            "locales = [\"en\"]",
            "locales = [\"en\"]\ncontent_dir = \"help\"",
        );
        let config = Config::parse_in(&shop(&help), dir.path()).unwrap();
        let help = config.shop("demo").and_then(|s| s.help.as_ref()).unwrap();
        let ids: Vec<&str> = help.articles.iter().map(|a| a.id.as_str()).collect();
        // Inline articles first, then the directory's by `order`.
        assert_eq!(ids, vec!["shipping", "brewing", "returns"]);
        let returns = help.article("returns").unwrap();
        assert_eq!(returns.title.zh_hans.as_deref(), Some("退货"));
        assert_eq!(returns.body.en, "Within **30 days**.\n");
        assert_eq!(returns.tags, vec!["refund", "退款"]);
        assert_eq!(returns.pages, vec!["/cart"]);

        let error = |name: &str, text: &str| {
            write(name, text);
            let message = Config::parse_in(
                &shop(&TREE.replace(
                    "locales = [\"en\"]",
                    "locales = [\"en\"]\ncontent_dir = \"help\"",
                )),
                dir.path(),
            )
            .unwrap_err()
            .to_string();
            std::fs::remove_file(dir.path().join("help").join(name)).unwrap();
            message
        };
        assert_eq!(
            error("gifts.fr.md", "+++\ntitle = \"x\"\n+++\n"),
            "shops.demo.help.content_dir: gifts.fr.md: `fr` is not one of `en`, `zh-Hans`, `zh-Hant`"
        );
        assert!(
            error("gifts.en.md", "no front matter").contains("gifts.en.md: must start with `+++`")
        );
        assert!(error("gifts.en.md", "+++\ntitel = \"x\"\n+++\n")
            .contains("gifts.en.md: front matter: unknown field `titel`"));
        assert!(error("gifts.zh-Hant.md", "+++\ntitle = \"x\"\n+++\n")
            .contains("article `gifts` has no `gifts.en.md`"));
        // An id the inline articles use is named by the usual check.
        assert!(error("shipping.en.md", "+++\ntitle = \"x\"\n+++\n")
            .contains("`shipping` is used by two articles"));
    }

    #[test]
    fn broken_trees_and_missing_texts_stop_the_start_naming_the_place() {
        let dangling = TREE.replace("next = \"late\"", "next = \"lost\"");
        assert_eq!(
            error(&dangling),
            "shops.demo.help.trees[0]: help tree `order-problem`, step `what`: an answer leads to the unknown step `lost`"
        );
        let unknown_article = TREE.replace("article = \"shipping\"", "article = \"returns\"");
        assert!(
            error(&unknown_article).contains("step `late`: links the unknown article `returns`")
        );
        let all_locales = TREE.replace("locales = [\"en\"]", "");
        assert_eq!(
            error(&all_locales),
            "shops.demo.help.articles[0].title: has no `zh-Hans` text"
        );
        let typo = TREE.replace("solved = {", "solve = {");
        assert!(
            error(&typo).contains("unknown field `solve`"),
            "{}",
            error(&typo)
        );
        let bad_locale = TREE.replace("[\"en\"]", "[\"fr\"]");
        assert!(error(&bad_locale).contains("help.locales[0]: `fr` is not one of"));
        let twice = format!("{TREE}\n[[shops.demo.help.articles]]\nid = \"shipping\"\ntitle = {{ en = \"Again\" }}\nbody = {{ en = \"x\" }}\n");
        assert!(error(&twice).contains("articles[1].id: `shipping` is used by two articles"));
        let email = format!("{TREE}\n[shops.demo.help.contact]\nemail = \"help\"\n");
        assert!(error(&email).contains("help.contact.email: `help` is not an email address"));
    }
}
