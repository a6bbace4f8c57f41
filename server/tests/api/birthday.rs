//! Birthday rewards: setting the birthday once, the 30-day gate, the job giving each
//! year's reward once, and shops without `birthday_points` giving nothing.

use axum::body::Body;
use axum::http::Request;
use comeback_core::date::{Date, MonthDay};
use comeback_server::birthday::{run_once, BirthdayRun};
use comeback_server::config::Settings;
use serde_json::{json, Value};

use crate::helpers::{Backend, TestApp, TestResponse, CONFIG};

const DAY: i64 = 86_400;
const URI: &str = "/v1/shops/demo/loyalty/me/birthday";

/// The demo shop of [`CONFIG`] giving 200 birthday points.
async fn spawn_with_birthday(backend: Backend) -> Option<TestApp> {
    let config = CONFIG.replacen(
        "code_valid_days = 30\n",
        "code_valid_days = 30\nbirthday_points = 200\n",
        1,
    );
    assert_ne!(config, CONFIG, "the birthday key was added");
    TestApp::spawn_with(backend, &config, Settings::default()).await
}

fn today(app: &TestApp) -> Date {
    Date::from_unix_seconds(app.state.clock.now())
}

/// Moves the clock to noon (UTC) of `day`.
fn move_to(app: &TestApp, day: Date) {
    let target = day.days_since_epoch() * DAY + DAY / 2;
    app.state.clock.advance(target - app.state.clock.now());
}

async fn put_birthday(app: &TestApp, bearer: Option<&str>, body: &Value) -> TestResponse {
    let mut request = Request::put(URI).header("content-type", "application/json");
    if let Some(bearer) = bearer {
        request = request.header("authorization", format!("Bearer {bearer}"));
    }
    app.send(request.body(Body::from(body.to_string())).unwrap())
        .await
}

async fn set(app: &TestApp, customer: &str, birthday: &str) -> TestResponse {
    put_birthday(
        app,
        Some(&app.token(customer)),
        &json!({ "birthday": birthday }),
    )
    .await
}

async fn me(app: &TestApp, customer: &str) -> Value {
    let response = app.me(customer).await;
    assert_eq!(response.status.as_u16(), 200, "{}", response.text);
    response.body
}

/// Birthday entries in the history, oldest first: (points, reference).
fn birthday_entries(me: &Value) -> Vec<(i64, String)> {
    let mut found: Vec<(i64, String)> = me["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| {
            entry["kind"] == "action"
                && entry["reference"]
                    .as_str()
                    .is_some_and(|reference| reference.starts_with("birthday-"))
        })
        .map(|entry| {
            (
                entry["points"].as_i64().unwrap(),
                entry["reference"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    found.reverse();
    found
}

async fn run(app: &TestApp) -> BirthdayRun {
    run_once(&app.state).await.expect("the birthday job runs")
}

pub async fn birthday_is_set_once(backend: Backend) {
    let Some(app) = spawn_with_birthday(backend).await else {
        return;
    };
    // Early in a year, so the 30-day gate lets March 14 be rewarded the same year.
    let start = Date::new(today(&app).year() + 1, 1, 10).unwrap();
    move_to(&app, start);

    let response = set(&app, "c-bday", "--03-14").await;
    assert_eq!(response.status.as_u16(), 200, "{}", response.text);
    let first_reward_on = format!("{}-03-14", start.year());
    assert_eq!(
        response.body,
        json!({
            "birthday": "--03-14",
            "set_on": start.to_iso(),
            "first_reward_on": first_reward_on,
        })
    );
    // The customer row was created by the request.
    let me_body = me(&app, "c-bday").await;
    assert_eq!(me_body["birthday"], "--03-14");
    assert_eq!(me_body["next_birthday_reward"], first_reward_on.as_str());

    // The same birthday again (also without the dashes, a day later): the stored one.
    move_to(&app, start.add_days(1));
    let again = set(&app, "c-bday", "03-14").await;
    assert_eq!(again.status.as_u16(), 200, "{}", again.text);
    assert_eq!(again.body, response.body);

    // Another birthday is refused and changes nothing.
    let other = set(&app, "c-bday", "--03-15").await;
    other.assert_error(422, "validation_failed");
    assert_eq!(
        other.body["error"]["message"],
        "your birthday can be set only once; ask the shop to change it"
    );
    assert_eq!(me(&app, "c-bday").await["birthday"], "--03-14");

    // Not a month and day.
    for bad in ["--02-30", "13-01", "2027-03-14", "", "--3-14"] {
        set(&app, "c-new", bad)
            .await
            .assert_error(422, "validation_failed");
    }
    put_birthday(&app, Some(&app.token("c-new")), &json!({ "birthday": 314 }))
        .await
        .assert_error(400, "bad_request");
    // February 29 is a birthday.
    let leap = set(&app, "c-leap", "--02-29").await;
    assert_eq!(leap.status.as_u16(), 200, "{}", leap.text);
    assert_eq!(leap.body["birthday"], "--02-29");
    let me_new = me(&app, "c-new").await;
    assert!(me_new.get("birthday").is_none(), "{me_new}");
    assert!(me_new.get("next_birthday_reward").is_none(), "{me_new}");

    // A token is required.
    put_birthday(&app, None, &json!({ "birthday": "--03-14" }))
        .await
        .assert_error(401, "unauthorized");
    put_birthday(&app, Some("not-a-token"), &json!({ "birthday": "--03-14" }))
        .await
        .assert_error(401, "unauthorized");
}

pub async fn birthday_set_too_late_waits_for_next_year(backend: Backend) {
    let Some(app) = spawn_with_birthday(backend).await else {
        return;
    };
    let birthday_day = today(&app).add_days(10);
    let birthday = MonthDay::of(birthday_day);
    let response = set(&app, "c-late", &birthday.to_iso()).await;
    assert_eq!(response.status.as_u16(), 200, "{}", response.text);
    let next_year = birthday.occurrence_in(birthday_day.year() + 1);
    assert_eq!(
        response.body["first_reward_on"],
        next_year.to_iso().as_str()
    );

    move_to(&app, birthday_day);
    assert_eq!(run(&app).await, BirthdayRun::default());
    move_to(&app, birthday_day.end_of_year());
    assert_eq!(run(&app).await, BirthdayRun::default());
    let body = me(&app, "c-late").await;
    assert!(birthday_entries(&body).is_empty(), "{body}");
    assert_eq!(body["next_birthday_reward"], next_year.to_iso().as_str());

    move_to(&app, next_year.add_days(-1));
    assert_eq!(run(&app).await, BirthdayRun::default());
    move_to(&app, next_year);
    assert_eq!(
        run(&app).await,
        BirthdayRun {
            customers: 1,
            points: 200
        }
    );
    let body = me(&app, "c-late").await;
    assert_eq!(
        birthday_entries(&body),
        vec![(200, format!("birthday-{}", next_year.year()))]
    );
    assert_eq!(body["balance"], 200);
}

pub async fn birthday_reward_arrives_on_the_day_once(backend: Backend) {
    let Some(app) = spawn_with_birthday(backend).await else {
        return;
    };
    let birthday_day = today(&app).add_days(40);
    let birthday = MonthDay::of(birthday_day);
    let response = set(&app, "c-early", &birthday.to_iso()).await;
    assert_eq!(response.status.as_u16(), 200, "{}", response.text);
    assert_eq!(
        response.body["first_reward_on"],
        birthday_day.to_iso().as_str()
    );

    move_to(&app, birthday_day.add_days(-1));
    assert_eq!(run(&app).await, BirthdayRun::default());
    move_to(&app, birthday_day);
    assert_eq!(
        run(&app).await,
        BirthdayRun {
            customers: 1,
            points: 200
        }
    );
    // Again the same day, and two runs at once: nothing more.
    assert_eq!(run(&app).await, BirthdayRun::default());
    let (first, second) = tokio::join!(run_once(&app.state), run_once(&app.state));
    assert_eq!(first.unwrap().points + second.unwrap().points, 0);
    move_to(&app, birthday_day.end_of_year());
    assert_eq!(run(&app).await, BirthdayRun::default());

    let body = me(&app, "c-early").await;
    let year = birthday_day.year();
    assert_eq!(
        birthday_entries(&body),
        vec![(200, format!("birthday-{year}"))]
    );
    let entry = body["history"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["reference"] == format!("birthday-{year}").as_str())
        .unwrap();
    assert_eq!(entry["kind"], "action");
    assert_eq!(entry["reward_name"]["en"], "Birthday gift");
    assert_eq!(entry["reward_name"]["zh-Hans"], "生日礼物");
    assert_eq!(entry["reward_name"]["zh-Hant"], "生日禮物");
    assert_eq!(
        (body["balance"].as_i64(), body["lifetime_points"].as_i64()),
        (Some(200), Some(200))
    );
    assert_eq!(
        body["next_birthday_reward"],
        birthday.occurrence_in(year + 1).to_iso().as_str()
    );

    // Next year's birthday: the second reward.
    move_to(&app, birthday.occurrence_in(year + 1));
    assert_eq!(run(&app).await.points, 200);
    assert_eq!(run(&app).await.points, 0);
    let body = me(&app, "c-early").await;
    assert_eq!(birthday_entries(&body).len(), 2);
    assert_eq!(body["lifetime_points"], 400);
}

pub async fn shops_without_birthday_points_never_award(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let birthday_day = today(&app).add_days(40);
    let response = set(&app, "c-plain", &MonthDay::of(birthday_day).to_iso()).await;
    assert_eq!(response.status.as_u16(), 200, "{}", response.text);
    assert!(
        response.body.get("first_reward_on").is_none(),
        "{}",
        response.text
    );
    for day in [
        birthday_day,
        birthday_day.add_days(365),
        birthday_day.add_days(800),
    ] {
        move_to(&app, day);
        assert_eq!(run(&app).await, BirthdayRun::default());
    }
    let body = me(&app, "c-plain").await;
    assert_eq!(
        body["birthday"],
        MonthDay::of(birthday_day).to_iso().as_str()
    );
    assert!(body.get("next_birthday_reward").is_none(), "{body}");
    assert!(birthday_entries(&body).is_empty(), "{body}");
    assert_eq!(body["balance"], 0);
}
