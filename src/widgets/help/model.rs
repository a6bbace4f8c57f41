//! The help widget's decisions, free of the DOM: what a search shows (ranked articles,
//! marked titles, a snippet around the first match), which articles a page suggests,
//! where a shopper stands in a troubleshooting tree, and whether a contact form is ready
//! to send.

use comeback_core::help::{highlight, page_matches, Folding, Index};

/// Results a search shows at most.
pub const MAX_RESULTS: usize = 8;
/// Articles the home suggests at most.
pub const MAX_SUGGESTED: usize = 4;
/// Articles the home lists as topics at most (search finds the rest).
pub const MAX_TOPICS: usize = 12;
/// Characters of body text a result's snippet shows.
pub const SNIPPET_CHARS: usize = 110;
/// The longest message a ticket takes, in characters.
pub const MAX_MESSAGE_CHARS: usize = 4000;

/// An article.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its body.
    pub body: Body,
    /// Its body as plain text, for snippets.
    pub body_text: String,
    /// Its tags.
    pub tags: Vec<String>,
    /// The page patterns where it is suggested.
    pub pages: Vec<String>,
}

/// What a step of a tree is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    /// A question with answers.
    Question,
    /// A leaf saying the problem is solved.
    Solved,
    /// A leaf handing over to a person.
    Contact,
}

impl StepKind {
    /// The kind the API names (`question`, `solved`, `contact`).
    pub fn parse(name: &str) -> Option<StepKind> {
        match name {
            "question" => Some(StepKind::Question),
            "solved" => Some(StepKind::Solved),
            "contact" => Some(StepKind::Contact),
            _ => None,
        }
    }
}

/// A step of a tree in the shopper's locale.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Its id.
    pub id: String,
    /// What it is.
    pub kind: StepKind,
    /// The question, or what the leaf says.
    pub text: String,
    /// A question's answers: label and the id of the step it leads to.
    pub answers: Vec<(String, String)>,
    /// The article a solved leaf links to.
    pub article: Option<String>,
}

/// A troubleshooting tree; its first step is where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Tree {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its steps.
    pub steps: Vec<Step>,
}

impl Tree {
    /// The step with `id`.
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }

    /// The most answers any path from `from` still needs to reach a leaf (trees are
    /// checked free of loops on the server; a bound keeps a bad answer finite anyway).
    fn depth_from(&self, from: &Step, bound: usize) -> usize {
        if bound == 0 {
            return 0;
        }
        from.answers
            .iter()
            .filter_map(|(_, next)| self.step(next))
            .map(|next| 1 + self.depth_from(next, bound - 1))
            .max()
            .unwrap_or(0)
    }
}

/// The shop's contact channels, each when configured.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Contact {
    /// Phone number.
    pub phone: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Opening hours.
    pub hours: Option<String>,
    /// Address to visit.
    pub address: Option<String>,
}

/// An element an article body may hold: text markup only (the server sends nothing
/// else, and the widget builds nothing else). Each variant is the HTML element of its
/// name.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    P,
    H3,
    H4,
    H5,
    Ul,
    Ol,
    Li,
    Strong,
    Em,
    Del,
    Sup,
    Sub,
    Code,
    Pre,
    Blockquote,
    A,
    Img,
    Br,
    Hr,
    Table,
    Thead,
    Tr,
    Th,
    Td,
    Dl,
    Dt,
    Dd,
}

impl Tag {
    const ALL: [Tag; 27] = [
        Tag::P,
        Tag::H3,
        Tag::H4,
        Tag::H5,
        Tag::Ul,
        Tag::Ol,
        Tag::Li,
        Tag::Strong,
        Tag::Em,
        Tag::Del,
        Tag::Sup,
        Tag::Sub,
        Tag::Code,
        Tag::Pre,
        Tag::Blockquote,
        Tag::A,
        Tag::Img,
        Tag::Br,
        Tag::Hr,
        Tag::Table,
        Tag::Thead,
        Tag::Tr,
        Tag::Th,
        Tag::Td,
        Tag::Dl,
        Tag::Dt,
        Tag::Dd,
    ];

    /// The element's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Tag::P => "p",
            Tag::H3 => "h3",
            Tag::H4 => "h4",
            Tag::H5 => "h5",
            Tag::Ul => "ul",
            Tag::Ol => "ol",
            Tag::Li => "li",
            Tag::Strong => "strong",
            Tag::Em => "em",
            Tag::Del => "del",
            Tag::Sup => "sup",
            Tag::Sub => "sub",
            Tag::Code => "code",
            Tag::Pre => "pre",
            Tag::Blockquote => "blockquote",
            Tag::A => "a",
            Tag::Img => "img",
            Tag::Br => "br",
            Tag::Hr => "hr",
            Tag::Table => "table",
            Tag::Thead => "thead",
            Tag::Tr => "tr",
            Tag::Th => "th",
            Tag::Td => "td",
            Tag::Dl => "dl",
            Tag::Dt => "dt",
            Tag::Dd => "dd",
        }
    }

    /// The tag called `name`, if an article may hold it.
    pub fn parse(name: &str) -> Option<Tag> {
        Tag::ALL.into_iter().find(|tag| tag.as_str() == name)
    }

    /// The attributes this element keeps (any other is dropped).
    pub fn keeps(self, attribute: &str) -> bool {
        matches!(
            (self, attribute),
            (Tag::A, "href") | (Tag::Img, "src" | "alt") | (Tag::Ol, "start")
        )
    }
}

/// A piece of an article's body.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// Text.
    Text(String),
    /// An element with its kept attributes and children.
    Element {
        /// Which element.
        tag: Tag,
        /// Its attributes (already checked: links by [`crate::config::safe_link`]).
        attributes: Vec<(&'static str, String)>,
        /// Its content.
        children: Vec<Node>,
    },
}

/// An article's body, built element by element in the view (never parsed as HTML).
pub type Body = Vec<Node>;

/// The help content of one locale, as the widget uses it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Content {
    /// The articles (a search hit's `doc` is a position here).
    pub articles: Vec<Article>,
    /// The troubleshooting trees.
    pub trees: Vec<Tree>,
    /// How to reach a person.
    pub contact: Contact,
    /// The search index over `articles`.
    pub index: Index,
}

/// Folding pairs from the API's `fold` string: each two characters, the first folds to
/// the second.
pub fn folding_of(pairs: &str) -> Folding {
    let chars: Vec<char> = pairs.chars().collect();
    Folding::new(
        chars
            .chunks_exact(2)
            .map(|pair| (pair[0], pair[1]))
            .collect(),
    )
}

/// A search result.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The article's position in [`Content::articles`].
    pub article: usize,
    /// The byte ranges of the title to mark.
    pub title_marks: Vec<(usize, usize)>,
    /// A piece of the body around the first match (or its start).
    pub snippet: String,
    /// The byte ranges of the snippet to mark.
    pub snippet_marks: Vec<(usize, usize)>,
}

/// The articles matching `query`, best first.
pub fn search(content: &Content, query: &str) -> Vec<Found> {
    let folding = &content.index.folding;
    content
        .index
        .search(query, MAX_RESULTS)
        .into_iter()
        .filter_map(|hit| {
            let position = usize::try_from(hit.doc).ok()?;
            let article = content.articles.get(position)?;
            let snippet = snippet(&article.body_text, query, folding);
            Some(Found {
                article: position,
                title_marks: highlight(&article.title, query, folding),
                snippet_marks: highlight(&snippet, query, folding),
                snippet,
            })
        })
        .collect()
}

/// About [`SNIPPET_CHARS`] characters of `text` from a little before its first match,
/// with `…` where it was cut.
pub fn snippet(text: &str, query: &str, folding: &Folding) -> String {
    let first = highlight(text, query, folding)
        .first()
        .map_or(0, |&(from, _)| from);
    let before = text[..first].chars().count();
    let start_char = before.saturating_sub(SNIPPET_CHARS / 4);
    let mut piece: String = text.chars().skip(start_char).take(SNIPPET_CHARS).collect();
    let cut_end = text.chars().count() > start_char + SNIPPET_CHARS;
    if start_char > 0 {
        piece.insert(0, '…');
    }
    if cut_end {
        piece.push('…');
    }
    piece
}

/// The articles to suggest on the page at `path`: those tagged `tag` (the element's
/// `suggest` attribute), then those whose `pages` match the path; each once, in the
/// shop's order within each group.
pub fn suggested(content: &Content, path: &str, tag: Option<&str>) -> Vec<usize> {
    let tag = tag.map(str::trim).filter(|t| !t.is_empty());
    let tagged =
        content.articles.iter().enumerate().filter(|(_, a)| {
            tag.is_some_and(|tag| a.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)))
        });
    let on_page = content
        .articles
        .iter()
        .enumerate()
        .filter(|(_, a)| a.pages.iter().any(|p| page_matches(p, path)));
    let mut chosen: Vec<usize> = Vec::new();
    for (position, _) in tagged.chain(on_page) {
        if !chosen.contains(&position) && chosen.len() < MAX_SUGGESTED {
            chosen.push(position);
        }
    }
    chosen
}

/// The steps of a walk, each with the label of the answer taken there (none at the last).
type Passed<'a> = Vec<(&'a Step, Option<&'a str>)>;

/// Where a shopper stands in a tree: the answers chosen so far, from its first step.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Walk {
    /// The tree's position in [`Content::trees`].
    pub tree: usize,
    /// The index of each answer chosen, in order.
    pub answers: Vec<usize>,
}

impl Walk {
    /// A walk at the start of `tree`.
    pub fn start(tree: usize) -> Walk {
        Walk {
            tree,
            answers: Vec::new(),
        }
    }

    /// The steps passed, each with the label of the answer taken there, then the
    /// current step (no answer); `None` when the answers no longer fit the tree.
    fn steps<'a>(&self, content: &'a Content) -> Option<(&'a Tree, Passed<'a>)> {
        let tree = content.trees.get(self.tree)?;
        let mut step = tree.steps.first()?;
        let mut passed = Vec::with_capacity(self.answers.len() + 1);
        for &index in &self.answers {
            let (label, next) = step.answers.get(index)?;
            passed.push((step, Some(label.as_str())));
            step = tree.step(next)?;
        }
        passed.push((step, None));
        Some((tree, passed))
    }

    /// The current step.
    pub fn current<'a>(&self, content: &'a Content) -> Option<&'a Step> {
        self.steps(content)
            .and_then(|(_, passed)| passed.last().map(|(step, _)| *step))
    }

    /// Takes answer `index` of the current step, if it has one.
    pub fn choose(&mut self, content: &Content, index: usize) {
        if self
            .current(content)
            .is_some_and(|step| index < step.answers.len())
        {
            self.answers.push(index);
        }
    }

    /// One step back (nothing at the first step).
    pub fn back(&mut self) {
        self.answers.pop();
    }

    /// Back to the first step.
    pub fn restart(&mut self) {
        self.answers.clear();
    }

    /// The questions answered so far with the answers given, for the ticket.
    pub fn path(&self, content: &Content) -> Vec<(String, String)> {
        self.steps(content)
            .map(|(_, passed)| {
                passed
                    .into_iter()
                    .filter_map(|(step, answer)| Some((step.text.clone(), answer?.to_owned())))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Progress as (this step's number, the most steps this walk can take), both from 1.
    pub fn progress(&self, content: &Content) -> (usize, usize) {
        let Some((tree, passed)) = self.steps(content) else {
            return (1, 1);
        };
        let here = passed.len();
        let left = passed
            .last()
            .map_or(0, |(step, _)| tree.depth_from(step, tree.steps.len()));
        (here, here + left)
    }
}

/// What the shopper typed into the contact form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Draft {
    /// Their name (optional).
    pub name: String,
    /// Where to answer (required when signed out).
    pub email: String,
    /// The order it is about (optional).
    pub order: String,
    /// What is new (required).
    pub message: String,
}

/// A field of the contact form the shopper must fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// No message.
    MessageMissing,
    /// A message over [`MAX_MESSAGE_CHARS`].
    MessageTooLong,
    /// No email while signed out.
    EmailMissing,
    /// Not an email address.
    EmailInvalid,
    /// An order number over 64 characters.
    OrderTooLong,
}

impl Draft {
    /// The problems to fix before sending, in form order (empty: ready).
    pub fn problems(&self, signed_in: bool) -> Vec<Problem> {
        let mut found = Vec::new();
        let email = self.email.trim();
        if email.is_empty() {
            if !signed_in {
                found.push(Problem::EmailMissing);
            }
        } else if !looks_like_email(email) {
            found.push(Problem::EmailInvalid);
        }
        if self.order.trim().chars().count() > 64 {
            found.push(Problem::OrderTooLong);
        }
        let message = self.message.trim().chars().count();
        if message == 0 {
            found.push(Problem::MessageMissing);
        } else if message > MAX_MESSAGE_CHARS {
            found.push(Problem::MessageTooLong);
        }
        found
    }
}

/// `local@domain.tld`, without spaces: the server checks the same.
pub fn looks_like_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !text.chars().any(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use comeback_core::help::Doc;

    use super::*;

    fn article(id: &str, title: &str, body: &str, tags: &[&str], pages: &[&str]) -> Article {
        Article {
            id: id.into(),
            title: title.into(),
            body: vec![Node::Text(body.into())],
            body_text: body.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            pages: pages.iter().map(|p| p.to_string()).collect(),
        }
    }

    fn step(id: &str, kind: StepKind, answers: &[(&str, &str)]) -> Step {
        Step {
            id: id.into(),
            kind,
            text: format!("{id}?"),
            answers: answers
                .iter()
                .map(|(l, n)| (l.to_string(), n.to_string()))
                .collect(),
            article: None,
        }
    }

    fn content() -> Content {
        let articles = vec![
            article(
                "points",
                "积分规则",
                "每消费一元获得一积分，积分可兑换优惠券。",
                &["积分"],
                &["/account*"],
            ),
            article(
                "shipping",
                "Shipping times",
                "Orders ship the same day. Free shipping over ¥99.",
                &["shipping"],
                &["/cart"],
            ),
            article(
                "returns",
                "Returns",
                "Unopened tea can be returned within 30 days.",
                &[],
                &[],
            ),
        ];
        let folding = folding_of("積积運运費费");
        let docs: Vec<Doc> = articles
            .iter()
            .map(|a| Doc {
                title: &a.title,
                tags: &a.tags,
                body: &a.body_text,
            })
            .collect();
        let fold = |c| folding.char(c);
        let index = Index::build(&docs, &fold, folding.clone());
        let tree = Tree {
            id: "order".into(),
            title: "Order problem".into(),
            steps: vec![
                step(
                    "what",
                    StepKind::Question,
                    &[("Late", "when"), ("Damaged", "contact")],
                ),
                step(
                    "when",
                    StepKind::Question,
                    &[("Recently", "wait"), ("Long ago", "contact")],
                ),
                step("wait", StepKind::Solved, &[]),
                step("contact", StepKind::Contact, &[]),
            ],
        };
        Content {
            articles,
            trees: vec![tree],
            contact: Contact::default(),
            index,
        }
    }

    #[test]
    fn search_ranks_marks_and_snips_in_both_scripts() {
        let content = content();
        let found = search(&content, "積分");
        assert_eq!(found.len(), 1);
        let hit = &found[0];
        assert_eq!(hit.article, 0);
        assert_eq!(
            &content.articles[0].title[hit.title_marks[0].0..hit.title_marks[0].1],
            "积分"
        );
        assert!(hit.snippet.starts_with("每消费"), "{}", hit.snippet);
        assert_eq!(hit.snippet_marks.len(), 2);
        let found = search(&content, "ship");
        assert_eq!(found[0].article, 1);
        assert_eq!(found[0].title_marks, vec![(0, 4)]);
        assert!(search(&content, "").is_empty());
    }

    #[test]
    fn snippets_start_near_the_match_and_say_where_they_were_cut() {
        let folding = Folding::default();
        let long = format!("{} needle {}", "a ".repeat(100), "b ".repeat(100));
        let piece = snippet(&long, "needle", &folding);
        assert!(piece.starts_with('…') && piece.ends_with('…'), "{piece}");
        assert!(piece.contains("needle"));
        assert_eq!(snippet("short text", "text", &folding), "short text");
        assert_eq!(snippet("no match here", "zzz", &folding), "no match here");
    }

    #[test]
    fn pages_and_tags_suggest_articles_once_each() {
        let content = content();
        assert_eq!(suggested(&content, "/account/orders", None), vec![0]);
        assert_eq!(suggested(&content, "/cart", Some("SHIPPING")), vec![1]);
        assert_eq!(
            suggested(&content, "/account", Some("shipping")),
            vec![1, 0]
        );
        assert!(suggested(&content, "/", Some(" ")).is_empty());
    }

    #[test]
    fn a_walk_goes_forward_back_and_restarts_with_progress() {
        let content = content();
        let mut walk = Walk::start(0);
        assert_eq!(walk.current(&content).unwrap().id, "what");
        assert_eq!(walk.progress(&content), (1, 3));
        walk.choose(&content, 0);
        assert_eq!(walk.current(&content).unwrap().id, "when");
        assert_eq!(walk.progress(&content), (2, 3));
        walk.choose(&content, 7);
        assert_eq!(walk.answers, vec![0], "an answer the step lacks is ignored");
        walk.choose(&content, 1);
        let leaf = walk.current(&content).unwrap();
        assert_eq!(leaf.kind, StepKind::Contact);
        assert_eq!(walk.progress(&content), (3, 3));
        assert_eq!(
            walk.path(&content),
            vec![
                ("what?".to_owned(), "Late".to_owned()),
                ("when?".to_owned(), "Long ago".to_owned())
            ]
        );
        walk.back();
        assert_eq!(walk.current(&content).unwrap().id, "when");
        walk.restart();
        assert_eq!(walk.current(&content).unwrap().id, "what");
        walk.back();
        assert!(walk.answers.is_empty());
        assert!(Walk::start(9).current(&content).is_none());
    }

    #[test]
    fn a_draft_needs_a_message_and_an_email_when_signed_out() {
        let mut draft = Draft::default();
        assert_eq!(
            draft.problems(false),
            vec![Problem::EmailMissing, Problem::MessageMissing]
        );
        assert_eq!(draft.problems(true), vec![Problem::MessageMissing]);
        draft.message = "It never came".into();
        draft.email = "lin@tea".into();
        assert_eq!(draft.problems(true), vec![Problem::EmailInvalid]);
        draft.email = " lin@tea.example ".into();
        assert!(draft.problems(false).is_empty());
        draft.order = "x".repeat(65);
        draft.message = "m".repeat(MAX_MESSAGE_CHARS + 1);
        assert_eq!(
            draft.problems(false),
            vec![Problem::OrderTooLong, Problem::MessageTooLong]
        );
        assert!(!looks_like_email("a@b@c.d"));
        assert!(!looks_like_email("a b@c.d"));
    }
}
