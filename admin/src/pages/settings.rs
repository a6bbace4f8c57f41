//! The programme's settings: where they come from, a form per section drawn from the
//! document's schema, saving a new version with a note, and the history of versions
//! with one-click restore. Staff, and shops whose settings live in the configuration
//! file, see the same page read-only.

mod appearance;
mod draft;
mod history;
mod preview;

use comeback_core::error::ErrorCode;
use comeback_core::settings::{
    SettingsRevert, SettingsSave, SettingsSource, SettingsView, NOTE_MAX_CHARS, SECTIONS,
};
use leptos::prelude::*;
use serde_json::Value;

use super::show;
use crate::api::{self, ApiError};
use crate::form::path::{Path, Step};
use crate::form::schema::Schemas;
use crate::form::words::section_label;
use crate::form::{field_id, fields, focus, focus_soon, FieldError, Form};
use crate::format::day_time;
use crate::load::use_get;
use crate::App;
use history::History;

/// Why the last save or restore did not happen, shown above the form.
#[derive(Debug, Clone, PartialEq)]
struct Refusal {
    /// What the server said.
    message: String,
    /// The field it is about, as drawn on the form.
    field: Option<Path>,
}

/// The settings page.
#[component]
pub fn Settings() -> impl IntoView {
    let app = App::get();
    let (state, _) =
        use_get::<SettingsView, _>(move || Some(api::admin_url(&app.session()?, "/settings")));
    view! {
        <h1>"Settings"</h1>
        {show(state, |view| view! { <Editor view/> })}
    }
}

/// Asks the person to confirm `message`; no when the browser cannot ask.
fn confirm(message: &str) -> bool {
    web_sys::window()
        .and_then(|window| window.confirm_with_message(message).ok())
        .unwrap_or(false)
}

/// The path of the top-level section `name`.
fn section_path(name: &str) -> Path {
    Path(vec![Step::Key(name.to_owned())])
}

/// The editor of loaded settings: the source, the sections, the save bar and the
/// history.
#[component]
fn Editor(
    /// The settings as loaded.
    view: SettingsView,
) -> impl IntoView {
    let app = App::get();
    let form = Form {
        document: RwSignal::new(view.document.clone()),
        schemas: StoredValue::new(Schemas::new(&view.schema)),
        editable: view.editable,
        error: RwSignal::new(None),
        problems: RwSignal::new(Default::default()),
    };
    let first = SECTIONS
        .iter()
        .find(|name| view.document.get(**name).is_some())
        .unwrap_or(&SECTIONS[0]);
    let section = RwSignal::new(*first);
    // The version in force: what saves are based on and what "Discard" returns to.
    let current = RwSignal::new(view);
    let version = Memo::new(move |_| current.with(|view| view.version));
    let dirty = Memo::new(move |_| {
        form.document
            .with(|doc| current.with(|view| &view.document != doc))
    });
    let note = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let status = RwSignal::new(None::<String>);
    let refusal = RwSignal::new(None::<Refusal>);
    let conflict = RwSignal::new(false);
    // The version the working copy was edited from: what a save names as its base.
    let base = RwSignal::new(version.get_untracked());
    let shop = app
        .session_untracked()
        .map(|session| session.shop_id)
        .unwrap_or_default();
    let preview_shop = shop.clone();

    // Unsaved changes outlive the page (another page, a reload): kept in the tab's
    // session storage while they differ, and brought back here, still based on the
    // version they were made on (a save over a newer one is refused, never silent).
    if form.editable {
        if let Some(draft) = draft::take(&shop) {
            if current.with_untracked(|view| view.document != draft.document) {
                form.document.set(draft.document);
                base.set(draft.base_version);
                status.set(Some("Your unsaved changes were kept.".into()));
                if draft.base_version != version.get_untracked() {
                    conflict.set(true);
                    refusal.set(Some(Refusal {
                        message: format!(
                            "Your unsaved changes were made on version {}; version {} has been \
                             saved since. Load the latest to start again from it.",
                            draft.base_version,
                            version.get_untracked()
                        ),
                        field: None,
                    }));
                }
            }
        }
        Effect::new(move |_| {
            form.document.track();
            if dirty.get() {
                form.document
                    .with_untracked(|document| draft::keep(&shop, base.get_untracked(), document));
            } else {
                draft::drop(&shop);
            }
        });
    }

    // A newer version in force: the working copy follows it unless it holds edits of
    // its own (those stay, to be saved over the new version or discarded).
    let adopt = move |saved: SettingsView, edited_from: Option<&Value>| {
        let untouched = edited_from
            .is_none_or(|sent| form.document.with_untracked(|document| document == sent));
        if untouched {
            form.document.try_set(saved.document.clone());
        }
        base.try_set(saved.version);
        current.try_set(saved);
        form.error.try_set(None);
        refusal.try_set(None);
        conflict.try_set(false);
    };

    // A refusal of the working copy (`of_form`) lands on its field; a refused restore
    // is about another version's document, so it is only told.
    let refused = move |error: ApiError, of_form: bool| {
        app.check(&error);
        let field = (of_form && error.code == Some(ErrorCode::ValidationFailed))
            .then_some(error.field.as_deref())
            .flatten()
            .and_then(Path::parse)
            .map(|named| {
                let drawn = form.schemas.with_value(|schemas| {
                    form.document
                        .with_untracked(|document| schemas.rendered(document, &named))
                });
                match named.section() {
                    Some(name) if drawn.0.is_empty() && SECTIONS.contains(&name) => {
                        section_path(name)
                    }
                    _ => drawn,
                }
            });
        if error.code == Some(ErrorCode::SettingsChanged) {
            conflict.try_set(true);
        }
        let message = match error.code {
            Some(ErrorCode::SettingsChanged) if of_form => "Someone else saved a newer \
                version of the settings while you were editing. Your changes are still here, \
                not saved."
                .to_owned(),
            Some(ErrorCode::SettingsChanged) => "Someone else saved a newer version of the \
                settings meanwhile: load the latest, then choose the version to restore again."
                .to_owned(),
            Some(ErrorCode::Forbidden) => {
                format!("Only owners can change the settings ({}).", error.message)
            }
            _ => error.message.clone(),
        };
        if let Some(path) = &field {
            if let Some(name) = SECTIONS.iter().find(|name| path.section() == Some(**name)) {
                section.try_set(*name);
            }
            // Beside the field, its name in front of the message says nothing new.
            let named = error.field.as_deref().unwrap_or_default();
            let beside = error
                .message
                .strip_prefix(named)
                .and_then(|rest| rest.strip_prefix(": "))
                .unwrap_or(&error.message);
            form.error.try_set(Some(FieldError {
                path: path.clone(),
                message: beside.to_owned(),
            }));
            // After the section switched and drew its fields.
            focus_soon(field_id(path));
        }
        refusal.try_set(Some(Refusal { message, field }));
    };

    let save = move |_| {
        let Some(session) = app.session_untracked() else {
            return;
        };
        if let Some(first) = form
            .problems
            .with_untracked(|problems| problems.first().cloned())
        {
            refusal.set(Some(Refusal {
                message: "A field holds text that is not valid yet (marked below); correct it \
                    or clear it, then save."
                    .into(),
                field: Some(first.clone()),
            }));
            focus(&first);
            return;
        }
        let text = note.get_untracked().trim().to_owned();
        if text.chars().count() > NOTE_MAX_CHARS {
            refusal.set(Some(Refusal {
                message: format!("The note is longer than {NOTE_MAX_CHARS} characters."),
                field: None,
            }));
            return;
        }
        let body = SettingsSave {
            base_version: base.get_untracked(),
            document: form.document.get_untracked(),
            note: text,
        };
        busy.set(true);
        status.set(None);
        refusal.set(None);
        form.error.set(None);
        leptos::task::spawn_local(async move {
            let result = api::save_settings(&session, &body).await;
            busy.try_set(false);
            match result {
                Ok(saved) => {
                    let number = saved.version;
                    adopt(saved, Some(&body.document));
                    note.try_set(String::new());
                    status.try_set(Some(format!("Saved as version {number}.")));
                }
                Err(error) => refused(error, true),
            }
        });
    };

    let load_latest = move |_| {
        if dirty.get_untracked()
            && !confirm("Load the latest version? Your unsaved changes will be lost.")
        {
            return;
        }
        let Some(session) = app.session_untracked() else {
            return;
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::get::<SettingsView>(&api::admin_url(&session, "/settings")).await;
            busy.try_set(false);
            match result {
                Ok(latest) => {
                    let number = latest.version;
                    adopt(latest, None);
                    status.try_set(Some(format!("Loaded version {number}.")));
                }
                Err(error) => refused(error, false),
            }
        });
    };

    let discard = move |_| {
        if confirm("Discard your unsaved changes?") {
            form.document
                .set(current.with_untracked(|view| view.document.clone()));
            base.set(version.get_untracked());
            conflict.set(false);
            form.error.set(None);
            refusal.set(None);
            status.set(Some("Changes discarded.".into()));
        }
    };

    let restore = move |from: i64| {
        let warning = if dirty.get_untracked() {
            " Your unsaved changes will be lost."
        } else {
            ""
        };
        if !confirm(&format!(
            "Restore version {from}? It is saved as a new version.{warning}"
        )) {
            return;
        }
        let Some(session) = app.session_untracked() else {
            return;
        };
        let body = SettingsRevert {
            version: from,
            base_version: version.get_untracked(),
        };
        busy.set(true);
        status.set(None);
        refusal.set(None);
        leptos::task::spawn_local(async move {
            let result = api::revert_settings(&session, &body).await;
            busy.try_set(false);
            match result {
                Ok(saved) => {
                    let number = saved.version;
                    adopt(saved, None);
                    status.try_set(Some(format!(
                        "Version {from} restored as version {number}."
                    )));
                }
                Err(error) => refused(error, false),
            }
        });
    };

    view! {
        <Source current/>
        <div class="settings">
            <nav class="sections" aria-label="Settings sections">
                <ul>
                    {SECTIONS.map(|name| view! { <SectionTab name section form current/> }).collect_view()}
                </ul>
            </nav>
            <div class="settings-main">
                <p class="status ok" role="status">{move || status.get()}</p>
                <div role="alert">
                    {move || refusal.get().map(|refusal| {
                        let go = refusal.field.clone().map(|path| {
                            let name = path.to_string();
                            let go = move |_| {
                                if let Some(name) =
                                    SECTIONS.iter().find(|name| path.section() == Some(**name))
                                {
                                    section.set(*name);
                                }
                                focus_soon(field_id(&path));
                            };
                            view! {
                                <button type="button" class="link" on:click=go>
                                    "Go to " <code>{name}</code>
                                </button>
                            }
                        });
                        view! {
                            <div class="refusal">
                                <p class="error">{refusal.message}</p>
                                {go}
                                {move || conflict.get().then(|| view! {
                                    <button type="button" on:click=load_latest disabled=busy>
                                        "Load the latest"
                                    </button>
                                })}
                            </div>
                        }
                    })}
                </div>
                {move || {
                    let name = section.get();
                    view! { <Section name form/> }
                }}
                {move || {
                    let name = section.get();
                    let url = current.with(|view| {
                        preview::preview_url(&preview_shop, name, &view.document, view.version)
                    })?;
                    let message = Signal::derive(move || {
                        form.document.with(|draft| {
                            current.with(|view| preview::frame_message(draft, &view.document))
                        })
                    });
                    let label = section_label(name);
                    Some(view! { <preview::Preview url label message editable=form.editable/> })
                }}
                {form.editable.then(|| view! {
                    <section class="save-bar" aria-label="Save">
                        <label for="settings-note">"Note for the history (optional)"
                            <input id="settings-note" maxlength=NOTE_MAX_CHARS.to_string()
                                bind:value=note placeholder="What changed and why"/>
                        </label>
                        <span class="dirty">{move || dirty.get().then_some("Unsaved changes")}</span>
                        <button type="button" on:click=save disabled=move || busy.get() || !dirty.get()>
                            "Save"
                        </button>
                        <button type="button" class="quiet" on:click=discard disabled=move || !dirty.get()>
                            "Discard changes"
                        </button>
                    </section>
                })}
            </div>
        </div>
        {move || (current.with(|view| view.source) == SettingsSource::Dashboard).then(|| view! {
            <History version editable=form.editable restore busy/>
        })}
    }
}

/// Where the settings come from, and the version in force.
#[component]
fn Source(
    /// The version in force.
    current: RwSignal<SettingsView>,
) -> impl IntoView {
    let app = App::get();
    move || {
        current.with(|view| match view.source {
            SettingsSource::File => {
                let shop = app
                    .session()
                    .map(|session| session.shop_id)
                    .unwrap_or_default();
                view! {
                    <section class="notice" aria-label="Where the settings come from">
                        <p>
                            "This shop's settings live in the configuration file and are shown \
                             here read-only. To edit them here, add "
                            <code>"settings = \"dashboard\""</code>
                            " to the shop's "
                            <code>{format!("[shops.{shop}]")}</code>
                            " section and reload the configuration (SIGHUP) or restart the server."
                        </p>
                    </section>
                }
                .into_any()
            }
            SettingsSource::Dashboard => {
                let saved = match (view.saved_at, view.saved_by.clone()) {
                    (Some(at), Some(by)) => format!(", saved {} by {by}", day_time(at)),
                    (Some(at), None) => format!(", saved {}", day_time(at)),
                    _ => String::new(),
                };
                let read_only = (!view.editable)
                    .then(|| view! { <p class="note">"Only owners can change the settings."</p> });
                view! {
                    <section class="notice" aria-label="Version in force">
                        <p>{format!("Version {}{saved}.", view.version)}</p>
                        {read_only}
                    </section>
                }
                .into_any()
            }
        })
    }
}

/// The button of one section, marked when the section is not set up or has unsaved
/// changes.
#[component]
fn SectionTab(
    /// The section's key.
    name: &'static str,
    /// The section shown.
    section: RwSignal<&'static str>,
    /// The form.
    form: Form,
    /// The version in force.
    current: RwSignal<SettingsView>,
) -> impl IntoView {
    let present = Memo::new(move |_| form.value(&section_path(name)).is_some());
    let changed = Memo::new(move |_| {
        form.document
            .with(|document| current.with(|view| document.get(name) != view.document.get(name)))
    });
    view! {
        <li>
            <button type="button" class="tab" on:click=move |_| section.set(name)
                aria-current=move || (section.get() == name).then_some("true")>
                {section_label(name)}
                {move || (!present.get()).then(|| view! { <span class="note">" (not set up)"</span> })}
                {move || changed.get().then(|| view! { <span class="changed">" • changed"</span> })}
            </button>
        </li>
    }
}

/// One section: its form, or "Not set up" with a button that creates it.
#[component]
fn Section(
    /// The section's key.
    name: &'static str,
    /// The form.
    form: Form,
) -> impl IntoView {
    let path = section_path(name);
    let present = Memo::new({
        let path = path.clone();
        move |_| form.value(&path).is_some()
    });
    let schema = form.schemas.with_value(|schemas| schemas.section(name));
    move || {
        if present.get() {
            let remove = {
                let path = path.clone();
                move |_| {
                    if confirm(&format!(
                        "Remove the {} section? The feature is turned off once saved.",
                        section_label(name)
                    )) {
                        form.remove(&path);
                        focus_soon(field_id(&path));
                    }
                }
            };
            view! {
                <section class="section-form" aria-label=section_label(name)>
                    {if name == "appearance" {
                        view! { <appearance::Appearance form schema=schema.clone()/> }.into_any()
                    } else {
                        fields::section(form, name, schema.clone())
                    }}
                    {form.editable.then(|| view! {
                        <button type="button" class="quiet small danger" on:click=remove>
                            {format!("Remove the {} section", section_label(name))}
                        </button>
                    })}
                </section>
            }
            .into_any()
        } else {
            let add = {
                let path = path.clone();
                let schema = schema.clone();
                move |_| {
                    let value = form
                        .schemas
                        .with_value(|schemas| schemas.new_value(&schema));
                    // A section the schema does not describe starts as an empty object.
                    let value = if value.is_null() {
                        Value::Object(Default::default())
                    } else {
                        value
                    };
                    form.set(&path, value);
                    focus_soon(field_id(&path));
                }
            };
            let id = field_id(&path);
            let error = {
                let path = path.clone();
                move || {
                    form.error_at(&path)
                        .map(|message| view! { <p class="error">{message}</p> })
                }
            };
            view! {
                <section class="section-form" aria-label=section_label(name)>
                    <h2 id=id tabindex="-1">{section_label(name)}</h2>
                    <p class="empty">"Not set up."</p>
                    {error}
                    {form.editable.then(|| view! {
                        <button type="button" on:click=add>{format!("Add {}", section_label(name))}</button>
                    })}
                </section>
            }
            .into_any()
        }
    }
}
