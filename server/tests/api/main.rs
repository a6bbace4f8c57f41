//! Integration tests of the whole HTTP application, each run on SQLite and on
//! PostgreSQL (`COMEBACK_TEST_POSTGRES_URL`, default
//! `postgres://postgres@127.0.0.1:5432/test`; skipped loudly when unreachable unless
//! `CI=true`).

mod actions;
mod admin;
mod birthday;
mod bounds;
mod catalogue;
mod clawback;
mod codes;
mod dashboard;
mod delivery;
mod demo;
mod expiry;
mod features;
mod hardening;
mod help;
mod helpers;
mod http;
mod instances;
mod keys;
mod limits;
mod loyalty;
mod orders;
mod outbox;
mod pool;
mod preferences;
mod punch_cards;
mod recommendations;
mod referrals;
mod refunds;
mod reload;
mod rewards;
mod scheduler;
mod settings;
mod snapshot;
mod staff;
mod subscriptions;
mod surveys;
mod tier_bonus;
mod tiers;
mod tokens;
mod webhooks;

/// Declares each listed test twice: `sqlite::<name>` and `postgres::<name>`.
macro_rules! on_both_databases {
    ($($module:ident :: $name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    crate::$module::$name(crate::helpers::Backend::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    crate::$module::$name(crate::helpers::Backend::Postgres).await;
                }
            )*
        }
    };
}

on_both_databases!(
    settings::a_file_shop_shows_its_settings_read_only,
    settings::saved_versions_are_served_at_once_and_can_be_restored,
    settings::bad_or_stale_settings_are_refused_and_nothing_changes,
    settings::a_survey_version_is_checked_before_a_save,
    settings::staff_read_settings_and_only_owners_change_them,
    settings::another_process_serves_a_saved_version_after_its_poll,
    settings::only_the_widget_preview_may_be_framed_and_only_by_the_dashboard,
    settings::a_save_forgets_only_its_own_shops_kept_answers,
    settings::the_shops_appearance_is_public_cached_and_checked_like_the_rest,
    settings::a_draft_is_previewed_without_being_saved_or_served,
    reload::a_reload_serves_the_new_shops_at_once,
    reload::a_reload_that_changes_a_published_survey_changes_nothing,
    dashboard::search_finds_customers_by_id_email_and_name,
    dashboard::overview_sums_a_hand_built_history,
    dashboard::activity_lists_what_the_shop_knows_of_a_customer,
    dashboard::segments_sort_customers_and_export_them,
    dashboard::subscriptions_show_in_the_activity_and_skips_count,
    recommendations::requests_are_checked_and_a_shop_needs_the_section,
    recommendations::also_bought_follows_other_customers_and_the_stock_of_now,
    recommendations::buy_again_follows_the_customers_own_cadence,
    recommendations::viewed_products_personalise_a_signed_out_list,
    recommendations::for_you_prefers_the_categories_of_the_catalogue,
    recommendations::orders_another_process_stores_reach_the_model,
    recommendations::import_orders_checks_every_row_and_imports_once,
    recommendations::clicks_and_adds_are_counted_per_kind_for_the_overview,
    clawback::a_code_listed_on_a_standing_order_is_not_released,
    tiers::a_refunded_order_does_not_keep_the_tier_it_reached,
    punch_cards::a_used_card_code_survives_the_refund_as_a_stamp_debt,
    bounds::amounts_out_of_bounds_are_refused_naming_the_field,
    bounds::a_balance_near_the_limit_is_refused_not_a_panic,
    bounds::no_json_shape_gets_a_server_error,
    clawback::refund_after_redeeming_revokes_the_unused_code,
    clawback::a_code_worth_more_than_owed_returns_the_rest,
    clawback::a_used_code_leaves_a_debt_that_earnings_repay,
    clawback::a_partial_refund_of_the_codes_order_does_not_free_it,
    tokens::valid_token_is_accepted,
    tokens::token_from_a_standard_library_with_minimal_claims_is_accepted,
    tokens::bad_tokens_are_refused,
    webhooks::signatures_are_checked,
    webhooks::paid_order_earns_once,
    webhooks::refund_takes_back_and_revokes_what_was_spent,
    webhooks::refund_before_payment_cancels_the_payment,
    webhooks::bad_orders_are_refused,
    loyalty::programme_is_public,
    loyalty::me_has_the_documented_shape,
    loyalty::new_customer_has_zero_balance,
    loyalty::redemption_issues_a_code,
    loyalty::idempotency_keys_replay_and_guard,
    loyalty::insufficient_points_are_refused,
    loyalty::concurrent_redemptions_spend_once,
    codes::codes_are_checked_and_consumed,
    admin::admin_key_is_required,
    admin::customer_lookup_shows_points_history_and_codes,
    admin::positive_adjustment_shows_in_the_shoppers_history,
    admin::negative_adjustment_cannot_exceed_the_balance,
    admin::adjustments_are_idempotent,
    admin::redemptions_are_listed_newest_first,
    actions::actions_need_the_shop_key,
    actions::action_award_shows_in_the_shoppers_history,
    actions::once_per_reference_refuses_a_repeat,
    actions::daily_cap_trims_then_refuses_until_the_next_day,
    actions::once_per_year_goes_by_the_calendar,
    actions::action_awards_are_idempotent,
    actions::bad_action_requests_are_refused,
    actions::action_points_expire_like_other_earnings,
    codes::expired_codes_are_refused,
    codes::shop_key_is_required,
    http::errors_have_the_standard_shape,
    http::bad_bodies_are_refused,
    http::rate_limit_answers_429_with_retry_after,
    http::cors_allows_only_configured_origins,
    http::request_ids_are_echoed,
    http::probes_and_openapi,
    http::demo_session_only_in_demo_mode,
    http::bundle_is_served_cross_origin,
    expiry::unspent_points_expire_on_their_day_once,
    expiry::batches_expire_oldest_first,
    expiry::spending_after_expiry_comes_from_the_next_batch,
    expiry::shops_without_expiry_never_expire,
    outbox::redemption_writes_reward_redeemed,
    outbox::tier_changes_are_written_when_the_tier_moves,
    outbox::expiry_job_warns_once_per_customer_and_date,
    outbox::events_are_delivered_signed_and_retried,
    outbox::shops_without_webhooks_write_nothing,
    birthday::birthday_is_set_once,
    birthday::birthday_set_too_late_waits_for_next_year,
    birthday::birthday_reward_arrives_on_the_day_once,
    birthday::shops_without_birthday_points_never_award,
    preferences::preferences_start_empty_and_merge,
    preferences::preference_changes_are_written_to_the_outbox,
    preferences::bad_preference_requests_are_refused,
    tiers::tier_perks_multiply_order_points,
    tier_bonus::a_refund_takes_back_the_bonus_its_tier_gave_later_orders,
    tier_bonus::a_partial_refund_takes_back_the_bonus_in_steps,
    tier_bonus::a_spent_bonus_revokes_a_code_or_becomes_a_debt,
    tier_bonus::genuine_spending_keeps_the_bonus,
    tiers::calendar_year_holds_then_moves_down,
    tiers::refunds_count_against_the_year_of_their_order,
    tiers::money_spent_programmes_count_orders,
    tiers::birthday_reward_adds_the_tier_bonus,
    tiers::anniversary_reward_arrives_once_a_year,
    rewards::reward_kinds_and_member_only_rewards,
    rewards::points_at_checkout_spends_the_chosen_points,
    rewards::early_access_ends_after_its_day,
    punch_cards::full_cards_issue_a_code_once,
    punch_cards::time_limited_cards_lapse,
    codes::released_codes_give_their_points_back_once,
    codes::expired_codes_give_their_points_back,
    http::demo_seed_shows_the_whole_programme,
    features::a_shop_without_loyalty_works,
    help::help_content_comes_in_the_asked_locale_sanitised_and_indexed,
    help::help_answers_304_for_a_known_entity_tag,
    help::a_shop_without_help_answers_404,
    help::a_ticket_keeps_its_context_is_sent_once_and_lists_for_the_shop,
    help::bad_tickets_are_refused_naming_the_field,
    help::feedback_is_counted_per_article_and_leaf,
    scheduler::a_panicking_job_stops_nothing_and_jobs_run_once_per_interval,
    scheduler::a_failing_customer_does_not_stop_the_others,
    pool::pool_exhaustion_answers_503_with_retry_after,
    snapshot::the_summary_follows_changes_made_by_another_process,
    orders::orders_are_stored_with_their_lines_and_fields,
    orders::bad_order_fields_are_named,
    catalogue::products_sync_idempotently_and_newest_wins,
    catalogue::bad_catalogue_requests_are_refused,
    catalogue::customer_profiles_sync_with_normalised_emails,
    catalogue::customer_profiles_are_listed_by_page_and_forgotten,
    catalogue::the_import_command_loads_a_csv_once,
    refunds::partial_refunds_take_back_in_proportion_once,
    refunds::partial_refunds_revoke_what_was_spent_and_round_against_the_shopper,
    refunds::bad_partial_refunds_are_named,
    refunds::partial_refunds_take_stamps_that_no_longer_qualify,
    delivery::failed_deliveries_do_not_reveal_the_url,
    keys::every_listed_key_verifies_and_kinds_do_not_mix,
    tokens::lifetimes_nbf_and_audience_are_enforced,
    tokens::revoked_tokens_are_refused_on_every_instance,
    limits::shoppers_are_limited_by_customer_and_address,
    limits::trusted_proxies_name_the_client_and_backend_routes_have_a_coarse_limit,
    limits::trickling_clients_are_cut_off_and_connections_are_capped,
    demo::demo_mode_serves_one_shop_and_is_rate_limited,
    demo::demo_mode_stays_on_loopback_and_its_keys_stay_in_it,
    hardening::cors_is_for_shopper_routes_and_nosniff_for_all,
    hardening::client_input_is_echoed_short,
    hardening::webhook_mac_covers_the_literal_timestamp,
    hardening::a_panicking_handler_answers_a_json_500,
    subscriptions::subscriptions_start_once_from_paid_order_lines,
    subscriptions::subscriptions_offer_the_plans_covering_a_product,
    subscriptions::subscriptions_change_idempotently_for_their_owner_only,
    subscriptions::subscriptions_renew_once_per_delivery_across_month_ends,
    subscriptions::subscriptions_cancel_after_the_minimum_and_report_a_pending_delivery,
    subscriptions::subscriptions_resume_by_themselves_when_a_pause_ends,
    subscriptions::subscriptions_of_the_demo_go_through_the_order_path,
    referrals::referral_programme_codes_visits_and_claims,
    referrals::referral_rules_decline_with_their_reasons,
    referrals::referral_rewards_wait_for_the_hold_and_are_paid_once,
    referrals::refunds_within_the_hold_cancel_the_reward,
    referrals::friend_codes_attribute_and_unknown_codes_are_ignored,
    referrals::admins_see_the_funnel_and_decide_by_hand,
    referrals::advocates_can_be_paid_with_a_code,
    referrals::the_demo_customer_has_referrals_in_every_state,
    referrals::friends_who_referred_each_other_may_order_at_once,
    surveys::survey_views_are_cacheable_and_unknown_surveys_404,
    surveys::responses_are_kept_once_per_key_and_checked,
    surveys::the_reward_is_paid_once_per_scope_with_the_event,
    surveys::due_follows_each_trigger_and_the_recontact_rules,
    surveys::contacts_are_counted_once_and_checked,
    surveys::the_report_sums_weeks_per_version_and_exports_csv,
    surveys::versions_are_immutable_and_older_ones_still_accepted,
    surveys::the_demo_shows_both_surveys_and_weeks_of_answers,
    staff::signing_in_sets_a_strict_cookie_and_one_answer_for_wrong_credentials,
    staff::sessions_work_for_their_shop_and_changes_need_the_csrf_token,
    staff::failed_sign_ins_lock_the_account_for_15_minutes,
    staff::sessions_end_when_idle_expired_signed_out_or_removed,
    staff::the_demo_owner_signs_in_with_the_given_or_a_fresh_password,
);

/// Tests that need PostgreSQL itself (several processes on one database).
mod postgres_only {
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn two_instances_run_every_job_and_event_once() {
        crate::instances::two_instances_run_every_job_and_event_once().await;
    }
}
