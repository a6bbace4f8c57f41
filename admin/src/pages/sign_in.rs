//! The sign-in form: the shop, the staff account's email and its password.

use comeback_core::dashboard::{SignInRequest, StaffSession};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::{api, remember_shop, remembered_shop, Access, App};

/// Signs a staff member in; the session cookie is set by the answer.
#[component]
pub fn SignIn() -> impl IntoView {
    let app = App::get();
    let shop = RwSignal::new(remembered_shop().unwrap_or_default());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        let shop_id = shop.get_untracked().trim().to_owned();
        if shop_id.is_empty() {
            error.set(Some("Enter your shop's id.".into()));
            return;
        }
        let request = SignInRequest {
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let url = format!("{}/session", api::admin_base(&shop_id));
            let result = api::send::<_, StaffSession>("POST", &url, &request, None, None).await;
            busy.set(false);
            match result {
                Ok(session) => {
                    remember_shop(&session.shop_id);
                    password.set(String::new());
                    app.access.set(Access::SignedIn(session));
                }
                Err(failure) => error.set(Some(failure.message)),
            }
        });
    };
    view! {
        <main class="sign-in">
            <h1>"Comeback dashboard"</h1>
            <form on:submit=submit>
                <label>"Shop" <input name="shop" required autocomplete="organization" bind:value=shop/></label>
                <label>"Email" <input name="email" type="email" required autocomplete="username" bind:value=email/></label>
                <label>"Password" <input name="password" type="password" required autocomplete="current-password" bind:value=password/></label>
                {move || error.get().map(|message| view! { <p class="error" role="alert">{message}</p> })}
                <button type="submit" disabled=busy>"Sign in"</button>
            </form>
        </main>
    }
}
