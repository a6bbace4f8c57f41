//! The history of the settings: the saved versions, newest first, each older one
//! with "Restore" for owners.

use comeback_core::settings::SettingsHistory;
use leptos::prelude::*;

use crate::form::words::section_label;
use crate::format::day_time;
use crate::load::use_get;
use crate::pages::show;
use crate::{api, App};

/// The saved versions, newest first, each older one with "Restore".
#[component]
pub fn History<R>(
    /// The version in force; the history reloads when it changes.
    version: Memo<i64>,
    /// Whether versions may be restored.
    editable: bool,
    /// Restores a version.
    restore: R,
    /// Whether a save or restore is under way.
    busy: RwSignal<bool>,
) -> impl IntoView
where
    R: Fn(i64) + Copy + Send + Sync + 'static,
{
    let app = App::get();
    let (state, _) = use_get::<SettingsHistory, _>(move || {
        version.track();
        Some(api::admin_url(&app.session()?, "/settings/history"))
    });
    view! {
        <section aria-labelledby="settings-history">
            <h2 id="settings-history">"History"</h2>
            {show(state, move |history| {
                if history.changes.is_empty() {
                    return view! { <p class="empty">"No saved versions yet."</p> }.into_any();
                }
                let now = version.get_untracked();
                view! {
                    <ol class="versions">
                        {history.changes.into_iter().map(|change| {
                            let number = change.version;
                            let sections = if change.sections.is_empty() {
                                "no section changed".to_owned()
                            } else {
                                change.sections.iter().map(|name| section_label(name)).collect::<Vec<_>>().join(", ")
                            };
                            view! {
                                <li>
                                    <strong>{format!("Version {number}")}</strong>
                                    {(number == now).then_some(" (in force)")}
                                    <span class="meta">
                                        {format!(" · {} · {}", day_time(change.saved_at), change.saved_by)}
                                    </span>
                                    {(!change.note.is_empty()).then(|| view! { <p class="version-note">{change.note.clone()}</p> })}
                                    <p class="note">
                                        {format!("Changed: {sections}.")}
                                        {change.reverted_from.map(|from| format!(" Restored from version {from}."))}
                                    </p>
                                    {(editable && number < now).then(|| view! {
                                        <button type="button" class="quiet small" disabled=busy
                                            on:click=move |_| restore(number)
                                            aria-label=format!("Restore version {number}")>"Restore"</button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            })}
        </section>
    }
}
