//! The loyalty widget's strings, in every shipped locale (keys `loyalty.*`).

use crate::i18n::catalogue;

catalogue! {
    /// A string of this widget.
    pub enum Key {
        Title "loyalty.title" { "Rewards", "积分奖励", "積分獎勵" }
        Tab "loyalty.tab" { "Rewards", "会员积分", "會員積分" }
        Greeting "loyalty.greeting" { "Hi {name}", "{name}，您好", "{name}，您好" }
        BalanceLabel "loyalty.balance" { "Your points", "我的积分", "我的積分" }
        TierProgress "loyalty.tier_progress" {
            "{points} to {tier}",
            "再得 {points} 升级为{tier}",
            "再得 {points} 升級為{tier}"
        }
        TierTop "loyalty.tier_top" {
            "You have reached our top tier. Thank you!",
            "您已是最高等级，感谢支持！",
            "您已是最高等級，感謝支持！"
        }
        TierNone "loyalty.tier_none" { "Member", "会员", "會員" }
        RewardsHeading "loyalty.rewards" { "Rewards", "兑换奖励", "兌換獎勵" }
        Redeem "loyalty.redeem" { "Redeem", "兑换", "兌換" }
        NeedMore "loyalty.need_more" { "{points} more needed", "还差 {points}", "還差 {points}" }
        ConfirmRedeem "loyalty.confirm_redeem" {
            "Spend {points} on {reward}?",
            "确定用 {points} 兑换「{reward}」吗？",
            "確定用 {points} 兌換「{reward}」嗎？"
        }
        Redeeming "loyalty.redeeming" { "Redeeming…", "兑换中…", "兌換中…" }
        RedeemFailed "loyalty.redeem_failed" {
            "That did not go through and no points were spent. Please try again.",
            "兑换未成功，积分没有扣除，请重试。",
            "兌換未成功，積分沒有扣除，請重試。"
        }
        NotEnough "loyalty.not_enough" {
            "You do not have enough points for this reward yet.",
            "积分不足，暂时无法兑换。",
            "積分不足，暫時無法兌換。"
        }
        CodeReady "loyalty.code_ready" { "Your code is ready", "兑换成功，这是您的优惠码", "兌換成功，這是您的優惠碼" }
        CodeUse "loyalty.code_use" {
            "Enter it at checkout before {date}.",
            "请在 {date} 前结账时使用。",
            "請在 {date} 前結帳時使用。"
        }
        Copy "loyalty.copy" { "Copy", "复制", "複製" }
        Copied "loyalty.copied" { "Copied", "已复制", "已複製" }
        CodesHeading "loyalty.codes" { "Your codes", "我的优惠码", "我的優惠碼" }
        Expires "loyalty.expires" { "Use by {date}", "{date} 前有效", "{date} 前有效" }
        EarnHeading "loyalty.earn" { "Ways to earn", "如何赚积分", "如何賺積分" }
        EarnOrder "loyalty.earn_order" {
            "Earn {points} for every {money} you spend",
            "每消费 {money} 得 {points}",
            "每消費 {money} 得 {points}"
        }
        EarnAction "loyalty.earn_action" {
            "{action}: {points}",
            "{action}：{points}",
            "{action}：{points}"
        }
        HistoryHeading "loyalty.history" { "History", "积分明细", "積分明細" }
        HistoryEmpty "loyalty.history_empty" {
            "No activity yet. Your next order earns points.",
            "暂无记录，下单即可获得积分。",
            "暫無記錄，下單即可獲得積分。"
        }
        EntryOrderPaid "loyalty.entry_order_paid" { "Order {ref}", "订单 {ref}", "訂單 {ref}" }
        EntryOrderRefunded "loyalty.entry_order_refunded" {
            "Refund of order {ref}",
            "订单 {ref} 退款",
            "訂單 {ref} 退款"
        }
        EntryForgiven "loyalty.entry_forgiven" {
            "{points} already spent were not taken back",
            "已使用的 {points} 不再扣回",
            "已使用的 {points} 不再扣回"
        }
        EntryRedeemed "loyalty.entry_redeemed" { "Redeemed: {reward}", "兑换：{reward}", "兌換：{reward}" }
        EntryAdjusted "loyalty.entry_adjusted" { "Adjustment: {note}", "积分调整：{note}", "積分調整：{note}" }
        EntryExpired "loyalty.entry_expired" { "Points expired", "积分过期", "積分過期" }
        EntryAction "loyalty.entry_action" { "{action}", "{action}", "{action}" }
        ExpiryNotice "loyalty.expiry_notice" {
            "{points} expire on {date}",
            "{points} 将于 {date} 过期",
            "{points} 將於 {date} 過期"
        }
        JoinTitle "loyalty.join_title" { "Join {shop} Rewards", "加入{shop}会员", "加入{shop}會員" }
        JoinBody "loyalty.join_body" {
            "Earn points on every order and turn them into discounts.",
            "每笔订单都能积分，积分可兑换优惠。",
            "每筆訂單都能積分，積分可兌換優惠。"
        }
        Join "loyalty.join" { "Join now", "立即加入", "立即加入" }
        SignIn "loyalty.sign_in" { "Sign in", "登录", "登入" }
        SessionExpired "loyalty.session_expired" {
            "Please sign in again to see your points.",
            "请重新登录以查看积分。",
            "請重新登入以查看積分。"
        }
        FreeShipping "loyalty.free_shipping" { "Free shipping", "免运费", "免運費" }
        PercentOff "loyalty.percent_off" { "{percent}% off", "{percent}% 折扣", "{percent}% 折扣" }
        AmountOff "loyalty.amount_off" { "{money} off", "立减 {money}", "立減 {money}" }
        FreeProduct "loyalty.free_product" { "A free gift with your order", "下单送赠品", "下單送贈品" }
        CheckoutRate "loyalty.checkout_rate" {
            "{money} off for every {points}",
            "每 {points} 抵 {money}",
            "每 {points} 抵 {money}"
        }
        CheckoutChoose "loyalty.checkout_choose" { "Points to spend", "使用积分", "使用積分" }
        CheckoutConfirm "loyalty.checkout_confirm" {
            "Spend {points} for {money} off?",
            "用 {points} 抵扣 {money}？",
            "用 {points} 抵扣 {money}？"
        }
        MembersOnly "loyalty.members_only" { "For {tiers} members", "{tiers}会员专享", "{tiers}會員專享" }
        EarlyAccess "loyalty.early_access" {
            "{tiers} members first; open to all after {date}",
            "{tiers}会员抢先兑换，{date} 后向所有人开放",
            "{tiers}會員搶先兌換，{date} 後向所有人開放"
        }
        EarlyAccessYours "loyalty.early_access_yours" { "Early access for you", "您可抢先兑换", "您可搶先兌換" }
        NotEligible "loyalty.not_eligible" {
            "This reward is not open to your tier yet.",
            "您的会员等级暂时无法兑换此奖励。",
            "您的會員等級暫時無法兌換此獎勵。"
        }
        TierProgressMoney "loyalty.tier_progress_money" {
            "Spend {money} more to reach {tier}",
            "再消费 {money} 升级为{tier}",
            "再消費 {money} 升級為{tier}"
        }
        TierHeld "loyalty.tier_held" {
            "Your {tier} status is kept until {date}",
            "{tier}等级保留至 {date}",
            "{tier}等級保留至 {date}"
        }
        PerksYours "loyalty.perks_yours" { "Your perks: {perks}", "您的权益：{perks}", "您的權益：{perks}" }
        PerksNext "loyalty.perks_next" { "{tier} brings: {perks}", "{tier}权益：{perks}", "{tier}權益：{perks}" }
        PerkMultiplier "loyalty.perk_multiplier" {
            "{x}× points on orders",
            "订单积分 {x} 倍",
            "訂單積分 {x} 倍"
        }
        PerkFreeShipping "loyalty.perk_free_shipping" { "free shipping on every order", "每单免运费", "每單免運費" }
        PerkBirthday "loyalty.perk_birthday" { "{points} extra on your birthday", "生日额外 {points}", "生日額外 {points}" }
        PerkExclusive "loyalty.perk_exclusive" { "members-only rewards", "会员专享奖励", "會員專享獎勵" }
        PunchHeading "loyalty.punch_cards" { "Stamp cards", "集章卡", "集章卡" }
        PunchStamps "loyalty.punch_stamps" {
            "{filled} of {required} stamps",
            "已集 {filled}/{required} 个章",
            "已集 {filled}/{required} 個章"
        }
        PunchLeft "loyalty.punch_left" {
            "{left} more to get {reward}",
            "再集 {left} 个章即得{reward}",
            "再集 {left} 個章即得{reward}"
        }
        PunchBy "loyalty.punch_by" { "Fill it by {date}", "请于 {date} 前集满", "請於 {date} 前集滿" }
        PunchMin "loyalty.punch_min" {
            "Each order of {money} or more earns a stamp",
            "每笔满 {money} 的订单得一个章",
            "每筆滿 {money} 的訂單得一個章"
        }
        PunchEarned "loyalty.punch_earned" {
            "Cards filled: {count}",
            "已集满 {count} 张",
            "已集滿 {count} 張"
        }
        EarnBirthday "loyalty.earn_birthday" { "Birthday gift: {points}", "生日礼物：{points}", "生日禮物：{points}" }
        EarnAnniversary "loyalty.earn_anniversary" {
            "Each anniversary of your first order: {points}",
            "首单周年纪念：{points}",
            "首單週年紀念：{points}"
        }
        EntryTierBonus "loyalty.entry_tier_bonus" { "{tier} bonus included", "含{tier}积分加成", "含{tier}積分加成" }
        EntryReturned "loyalty.entry_returned" {
            "Points back: code {ref} was not used",
            "优惠码 {ref} 未使用，积分已退回",
            "優惠碼 {ref} 未使用，積分已退回"
        }
        EntryReferral "loyalty.entry_referral" {
            "A friend you referred ordered ({ref})",
            "您推荐的好友已下单（{ref}）",
            "您推薦的好友已下單（{ref}）"
        }
        EntrySurvey "loyalty.entry_survey" {
            "Thank you for your feedback",
            "感谢您的反馈",
            "感謝您的回饋"
        }
        ProfileHeading "loyalty.profile" { "Your details", "我的资料", "我的資料" }
        BirthdayPrompt "loyalty.birthday_prompt" {
            "Tell us your birthday for a gift of {points} every year. No year needed; it can be set once.",
            "填写生日，每年可获 {points} 生日礼。无需年份，只能设置一次。",
            "填寫生日，每年可獲 {points} 生日禮。無需年份，只能設定一次。"
        }
        BirthdayMonth "loyalty.birthday_month" { "Month", "月", "月" }
        BirthdayDay "loyalty.birthday_day" { "Day", "日", "日" }
        BirthdayIs "loyalty.birthday_is" { "Birthday: {date}", "生日：{date}", "生日：{date}" }
        BirthdayNext "loyalty.birthday_next" {
            "Next birthday gift on {date}",
            "下次生日礼：{date}",
            "下次生日禮：{date}"
        }
        ContactPrompt "loyalty.contact_prompt" {
            "How should we keep in touch?",
            "您希望我们如何联系您？",
            "您希望我們如何聯絡您？"
        }
        ContactEmail "loyalty.contact_email" { "Email", "邮件", "電子郵件" }
        ContactSms "loyalty.contact_sms" { "Text message", "短信", "簡訊" }
        ContactNone "loyalty.contact_none" { "Please don't contact me", "请勿联系我", "請勿聯絡我" }
        Consent "loyalty.consent" { "Send me offers and news", "向我发送优惠和新品信息", "向我發送優惠和新品資訊" }
        ContactIs "loyalty.contact_is" { "Contact: {channel}", "联系方式：{channel}", "聯絡方式：{channel}" }
        ConsentYes "loyalty.consent_yes" { "Offers and news: yes", "接收优惠信息：是", "接收優惠資訊：是" }
        ConsentNo "loyalty.consent_no" { "Offers and news: no", "接收优惠信息：否", "接收優惠資訊：否" }
    }
}
