//! The subscribe toggle's strings, in every shipped locale (keys `subscribe.*`).

use crate::i18n::catalogue;

catalogue! {
    /// A string of this widget.
    pub enum Key {
        Options "subscribe.options" { "Purchase options", "购买方式", "購買方式" }
        OneTime "subscribe.one_time" { "One-time purchase", "单次购买", "單次購買" }
        Was "subscribe.was" { "Was {price}", "原价 {price}", "原價 {price}" }
        Save "subscribe.save" { "Save {money}", "立省 {money}", "立省 {money}" }
        Interval "subscribe.interval" { "Deliver", "配送频率", "配送頻率" }
        EveryDay "subscribe.every_day" { "Every day", "每天", "每天" }
        EveryDays "subscribe.every_days" { "Every {n} days", "每 {n} 天", "每 {n} 天" }
        EveryWeek "subscribe.every_week" { "Every week", "每周", "每週" }
        EveryWeeks "subscribe.every_weeks" { "Every {n} weeks", "每 {n} 周", "每 {n} 週" }
        EveryMonth "subscribe.every_month" { "Every month", "每月", "每月" }
        EveryMonths "subscribe.every_months" { "Every {n} months", "每 {n} 个月", "每 {n} 個月" }
        EveryYear "subscribe.every_year" { "Every year", "每年", "每年" }
        EveryYears "subscribe.every_years" { "Every {n} years", "每 {n} 年", "每 {n} 年" }
        FreeShipping "subscribe.free_shipping" {
            "Free shipping on every delivery",
            "每次配送均免运费",
            "每次配送均免運費"
        }
        CancelAnyTime "subscribe.cancel_any_time" {
            "Skip, pause or cancel any time",
            "可随时跳过、暂停或取消",
            "可隨時跳過、暫停或取消"
        }
        MinDeliveries "subscribe.min_deliveries" {
            "Cancel any time after {n} deliveries",
            "配送 {n} 次后可随时取消",
            "配送 {n} 次後可隨時取消"
        }
    }
}
