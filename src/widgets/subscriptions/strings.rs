//! The subscription manager's strings, in every shipped locale (keys `subscriptions.*`).

use crate::i18n::catalogue;

catalogue! {
    /// A string of this widget.
    pub enum Key {
        Tab "subscriptions.tab" { "Subscriptions", "我的订阅", "我的訂閱" }
        Title "subscriptions.title" { "Your subscriptions", "我的订阅", "我的訂閱" }
        Empty "subscriptions.empty" {
            "You have no subscriptions yet. Look for “Subscribe & save” on a product page.",
            "您还没有订阅。可在商品页选择“订阅”。",
            "您還沒有訂閱。可在商品頁選擇「訂閱」。"
        }
        SignedOut "subscriptions.signed_out" {
            "Sign in to see and manage your subscriptions.",
            "登录后即可查看和管理您的订阅。",
            "登入後即可查看和管理您的訂閱。"
        }
        SessionExpired "subscriptions.session_expired" {
            "Please sign in again to manage your subscriptions.",
            "请重新登录以管理订阅。",
            "請重新登入以管理訂閱。"
        }
        SignIn "subscriptions.sign_in" { "Sign in", "登录", "登入" }
        Active "subscriptions.active" { "Active", "配送中", "配送中" }
        Paused "subscriptions.paused" { "Paused", "已暂停", "已暫停" }
        Cancelled "subscriptions.cancelled" { "Cancelled", "已取消", "已取消" }
        CancelledList "subscriptions.cancelled_list" {
            "Cancelled subscriptions ({n})",
            "已取消的订阅（{n}）",
            "已取消的訂閱（{n}）"
        }
        Next "subscriptions.next" { "Next delivery: {date}", "下次配送：{date}", "下次配送：{date}" }
        PausedUntil "subscriptions.paused_until" {
            "Paused until {date}; next delivery {next}",
            "暂停至 {date}，下次配送 {next}",
            "暫停至 {date}，下次配送 {next}"
        }
        CancelledOn "subscriptions.cancelled_on" { "Cancelled on {date}", "已于 {date} 取消", "已於 {date} 取消" }
        Preparing "subscriptions.preparing" {
            "A delivery is being prepared.",
            "有一次配送正在准备中。",
            "有一次配送正在準備中。"
        }
        Quantity "subscriptions.quantity" { "Quantity: {n}", "数量：{n}", "數量：{n}" }
        PerDelivery "subscriptions.per_delivery" {
            "{price} per delivery",
            "每次配送 {price}",
            "每次配送 {price}"
        }
        Was "subscriptions.was" { "Was {price}", "原价 {price}", "原價 {price}" }
        FreeShipping "subscriptions.free_shipping" { "Free shipping", "免运费", "免運費" }
        EveryDay "subscriptions.every_day" { "Every day", "每天", "每天" }
        EveryDays "subscriptions.every_days" { "Every {n} days", "每 {n} 天", "每 {n} 天" }
        EveryWeek "subscriptions.every_week" { "Every week", "每周", "每週" }
        EveryWeeks "subscriptions.every_weeks" { "Every {n} weeks", "每 {n} 周", "每 {n} 週" }
        EveryMonth "subscriptions.every_month" { "Every month", "每月", "每月" }
        EveryMonths "subscriptions.every_months" { "Every {n} months", "每 {n} 个月", "每 {n} 個月" }
        EveryYear "subscriptions.every_year" { "Every year", "每年", "每年" }
        EveryYears "subscriptions.every_years" { "Every {n} years", "每 {n} 年", "每 {n} 年" }
        Skip "subscriptions.skip" { "Skip next delivery", "跳过下次配送", "跳過下次配送" }
        DeliverNow "subscriptions.deliver_now" { "Deliver now", "立即配送", "立即配送" }
        Change "subscriptions.change" { "Change", "修改", "修改" }
        Pause "subscriptions.pause" { "Pause", "暂停", "暫停" }
        Resume "subscriptions.resume" { "Resume", "恢复配送", "恢復配送" }
        Cancel "subscriptions.cancel" { "Cancel subscription", "取消订阅", "取消訂閱" }
        Interval "subscriptions.interval" { "Delivery frequency", "配送频率", "配送頻率" }
        QuantityLabel "subscriptions.quantity_label" { "Quantity", "数量", "數量" }
        QuantityInvalid "subscriptions.quantity_invalid" {
            "Enter a whole number of 1 or more.",
            "请输入 1 或以上的整数。",
            "請輸入 1 或以上的整數。"
        }
        SaveChanges "subscriptions.save_changes" { "Save changes", "保存修改", "儲存修改" }
        PauseTitle "subscriptions.pause_title" { "Pause deliveries until", "暂停配送至", "暫停配送至" }
        PauseFor "subscriptions.pause_for" {
            "{n} weeks · next delivery {next}",
            "{n} 周 · 下次配送 {next}",
            "{n} 週 · 下次配送 {next}"
        }
        PauseRule "subscriptions.pause_rule" {
            "Deliveries start again on the first delivery day on or after the date you choose. You can resume sooner at any time.",
            "配送将从所选日期当天或之后的第一个配送日恢复，您也可随时提前恢复。",
            "配送將從所選日期當天或之後的第一個配送日恢復，您也可隨時提前恢復。"
        }
        PauseConfirm "subscriptions.pause_confirm" { "Pause deliveries", "确认暂停", "確認暫停" }
        CancelTitle "subscriptions.cancel_title" {
            "Cancel this subscription?",
            "确定取消此订阅吗？",
            "確定取消此訂閱嗎？"
        }
        Reason "subscriptions.reason" {
            "Why are you cancelling? (optional)",
            "取消原因（选填）",
            "取消原因（選填）"
        }
        NoReason "subscriptions.no_reason" { "Prefer not to say", "不便透露", "不便透露" }
        Comment "subscriptions.comment" {
            "Anything else you would like to tell us? (optional)",
            "还有其他想告诉我们的吗？（选填）",
            "還有其他想告訴我們的嗎？（選填）"
        }
        ConfirmCancel "subscriptions.confirm_cancel" { "Confirm cancellation", "确认取消", "確認取消" }
        Keep "subscriptions.keep" { "Keep my subscription", "保留订阅", "保留訂閱" }
        OfferSkip "subscriptions.offer_skip" {
            "Skip the next delivery instead",
            "改为跳过下次配送",
            "改為跳過下次配送"
        }
        OfferPause "subscriptions.offer_pause" {
            "Pause for {n} weeks instead",
            "改为暂停 {n} 周",
            "改為暫停 {n} 週"
        }
        Saving "subscriptions.saving" { "Saving {title}…", "正在保存「{title}」…", "正在儲存「{title}」…" }
        DoneSkip "subscriptions.done_skip" {
            "{title}: the next delivery is skipped. Next delivery: {date}.",
            "{title}：已跳过下次配送。下次配送：{date}。",
            "{title}：已跳過下次配送。下次配送：{date}。"
        }
        DoneDeliverNow "subscriptions.done_deliver_now" {
            "{title}: a delivery is on its way now. Next delivery after it: {date}.",
            "{title}：已安排立即配送。之后的下次配送：{date}。",
            "{title}：已安排立即配送。之後的下次配送：{date}。"
        }
        DonePause "subscriptions.done_pause" {
            "{title}: paused until {date}.",
            "{title}：已暂停至 {date}。",
            "{title}：已暫停至 {date}。"
        }
        DoneResume "subscriptions.done_resume" {
            "{title}: deliveries resumed. Next delivery: {date}.",
            "{title}：已恢复配送。下次配送：{date}。",
            "{title}：已恢復配送。下次配送：{date}。"
        }
        DoneCancel "subscriptions.done_cancel" {
            "{title}: your subscription is cancelled. No more deliveries will be sent.",
            "{title}：订阅已取消，之后不会再配送。",
            "{title}：訂閱已取消，之後不會再配送。"
        }
        DoneChange "subscriptions.done_change" {
            "{title}: your changes are saved.",
            "{title}：修改已保存。",
            "{title}：修改已儲存。"
        }
        MinimumDeliveries "subscriptions.minimum_deliveries" {
            "{title}: this plan asks for {n} deliveries before cancelling, so {left} more to go. Nothing was changed.",
            "{title}：此计划需配送满 {n} 次才能取消，还差 {left} 次。订阅未作更改。",
            "{title}：此計畫需配送滿 {n} 次才能取消，還差 {left} 次。訂閱未作更改。"
        }
        AlreadyCancelled "subscriptions.already_cancelled" {
            "{title}: this subscription is already cancelled.",
            "{title}：此订阅已取消。",
            "{title}：此訂閱已取消。"
        }
        NotAccepted "subscriptions.not_accepted" {
            "{title}: that change was not accepted. Nothing was changed.",
            "{title}：此修改未被接受，订阅未作更改。",
            "{title}：此修改未被接受，訂閱未作更改。"
        }
        Failed "subscriptions.failed" {
            "{title}: that did not go through, and nothing was changed. Please try again.",
            "{title}：操作未成功，订阅未作更改，请重试。",
            "{title}：操作未成功，訂閱未作更改，請重試。"
        }
    }
}
