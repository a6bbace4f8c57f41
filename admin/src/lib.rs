//! The shop-owner dashboard: a Leptos app of its own, served by the server at
//! `/admin/` and never loaded by shop pages. Shop staff sign in with their account; the
//! app then reads and changes the shop through the same `/v1` admin API the shop's
//! backend uses, with the session cookie and its CSRF token instead of an API key.
//!
//! One module per page under [`pages`]; [`route`] maps pages to addresses, [`api`] makes
//! the calls, [`load`] loads what a page shows, [`chart`] draws the charts,
//! [`form`] draws the settings editor from its schema and [`format`] writes the
//! numbers.

pub mod api;
pub mod chart;
pub mod form;
pub mod format;
pub mod load;
pub mod pages;
pub mod route;

use comeback_core::dashboard::StaffSession;
use leptos::prelude::*;

use crate::api::ApiError;
use crate::route::{Route, Tab};

/// Where the browser remembers the last shop signed in to.
const SHOP_KEY: &str = "comeback.admin.shop";

/// Where the app stands with its session.
#[derive(Debug, Clone, PartialEq)]
pub enum Access {
    /// Asking the server whether a session is open.
    Checking,
    /// Nobody signed in.
    SignedOut,
    /// Signed in.
    SignedIn(StaffSession),
}

/// What every page shares: the session and the current page.
#[derive(Debug, Clone, Copy)]
pub struct App {
    /// The session.
    pub access: RwSignal<Access>,
    /// The page shown.
    pub route: RwSignal<Route>,
}

impl App {
    /// The app's state, provided by [`Dashboard`].
    pub fn get() -> App {
        expect_context::<App>()
    }

    /// The open session, if any.
    pub fn session(&self) -> Option<StaffSession> {
        self.access.with(|access| match access {
            Access::SignedIn(session) => Some(session.clone()),
            _ => None,
        })
    }

    /// The open session, without tracking it.
    pub fn session_untracked(&self) -> Option<StaffSession> {
        self.access.with_untracked(|access| match access {
            Access::SignedIn(session) => Some(session.clone()),
            _ => None,
        })
    }

    /// Goes back to the sign-in form when `error` says the session is gone.
    pub fn check(&self, error: &ApiError) {
        if error.signed_out() {
            self.access.set(Access::SignedOut);
        }
    }

    /// Shows `route` (through the address, so Back returns here).
    pub fn go(&self, route: &Route) {
        if let Some(window) = web_sys::window() {
            let _ = window.location().set_hash(&route.href());
        }
    }
}

/// The shop remembered from the last sign-in.
pub fn remembered_shop() -> Option<String> {
    web_sys::window()?
        .local_storage()
        .ok()??
        .get_item(SHOP_KEY)
        .ok()?
}

/// Remembers the shop signed in to, for the next visit.
pub fn remember_shop(shop: &str) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(SHOP_KEY, shop);
    }
}

fn current_route() -> Route {
    web_sys::window()
        .and_then(|window| window.location().hash().ok())
        .map(|hash| Route::parse(&hash))
        .unwrap_or_default()
}

/// The whole app: the sign-in form, or the navigation and the current page.
#[component]
pub fn Dashboard() -> impl IntoView {
    let app = App {
        access: RwSignal::new(Access::Checking),
        route: RwSignal::new(current_route()),
    };
    provide_context(app);
    let _ = window_event_listener(leptos::ev::hashchange, move |_| {
        app.route.set(current_route());
    });
    match remembered_shop() {
        Some(shop) => leptos::task::spawn_local(async move {
            let url = format!("{}/session", api::admin_base(&shop));
            let access = match api::get::<StaffSession>(&url).await {
                Ok(session) => Access::SignedIn(session),
                Err(_) => Access::SignedOut,
            };
            app.access.set(access);
        }),
        None => app.access.set(Access::SignedOut),
    }
    move || match app.access.get() {
        Access::Checking => view! { <p class="checking" role="status">"Loading…"</p> }.into_any(),
        Access::SignedOut => view! { <pages::sign_in::SignIn/> }.into_any(),
        Access::SignedIn(session) => view! { <Shell session/> }.into_any(),
    }
}

/// The signed-in frame: the header, the navigation and the page.
#[component]
fn Shell(session: StaffSession) -> impl IntoView {
    let app = App::get();
    let signing_out = RwSignal::new(false);
    let sign_out = {
        let session = session.clone();
        move |_| {
            let session = session.clone();
            signing_out.set(true);
            leptos::task::spawn_local(async move {
                let url = api::admin_url(&session, "/session");
                // Signed out either way: a session the server no longer knows is gone too.
                let _ = api::delete(&url, &session).await;
                app.access.set(Access::SignedOut);
            });
        }
    };
    let tab = move || app.route.with(Route::tab);
    let link = move |target: Tab, route: Route, label: &'static str| {
        view! {
            <a href=route.href()
                aria-current=move || (tab() == target).then_some("page")>{label}</a>
        }
    };
    view! {
        <header class="top">
            <strong class="brand">"Comeback"</strong>
            <span class="shop">{session.shop_id.clone()}</span>
            <nav aria-label="Sections">
                {link(Tab::Overview, Route::default(), "Overview")}
                {link(Tab::Customers, Route::Customers { query: String::new() }, "Customers")}
                {link(
                    Tab::Segments,
                    Route::Segments { segment: None, days: route::DEFAULT_DUE_DAYS },
                    "Segments",
                )}
                {link(Tab::Settings, Route::Settings, "Settings")}
            </nav>
            <span class="who">{format!("{} ({})", session.email, session.role.as_str())}</span>
            <button type="button" class="quiet" on:click=sign_out disabled=signing_out>
                "Sign out"
            </button>
        </header>
        <main>
            {move || match app.route.get() {
                Route::Overview { days } => view! { <pages::overview::Overview days/> }.into_any(),
                Route::Customers { query } => {
                    view! { <pages::customers::Customers query/> }.into_any()
                }
                Route::Customer { id } => view! { <pages::customer::Customer id/> }.into_any(),
                Route::Segments { segment, days } => {
                    view! { <pages::segments::Segments segment days/> }.into_any()
                }
                Route::Settings => view! { <pages::settings::Settings/> }.into_any(),
            }}
        </main>
    }
}

/// Starts the app when the module loads.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(Dashboard);
}
