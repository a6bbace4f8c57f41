//! The referral widget's strings, in every shipped locale (keys `referral.*`).

use crate::i18n::catalogue;

catalogue! {
    /// A string of this widget.
    pub enum Key {
        Tab "referral.tab" { "Refer a friend", "推荐好友", "推薦好友" }
        Title "referral.title" { "Refer a friend", "推荐好友", "推薦好友" }
        SignedOut "referral.signed_out" {
            "Sign in to get your own referral link and see your friends' rewards.",
            "登录后即可获取您的专属推荐链接，并查看好友奖励。",
            "登入後即可取得您的專屬推薦連結，並查看好友獎勵。"
        }
        SessionExpired "referral.session_expired" {
            "Please sign in again to see your referrals.",
            "请重新登录以查看您的推荐。",
            "請重新登入以查看您的推薦。"
        }
        SignIn "referral.sign_in" { "Sign in", "登录", "登入" }
        NotOffered "referral.not_offered" {
            "This shop has no referral programme at the moment.",
            "本店目前没有推荐计划。",
            "本店目前沒有推薦計劃。"
        }
        YouGet "referral.you_get" {
            "You get {reward} for each friend's first order.",
            "好友每完成一笔首单，您可获得{reward}。",
            "好友每完成一筆首單，您可獲得{reward}。"
        }
        FriendGets "referral.friend_gets" {
            "Your friend gets {reward} on their first order.",
            "好友首单可享{reward}。",
            "好友首單可享{reward}。"
        }
        WhenPaid "referral.when_paid" {
            "Your reward comes {n} days after your friend's order, once it can no longer be returned.",
            "好友下单 {n} 天后（退货期结束后），奖励即发放给您。",
            "好友下單 {n} 天後（退貨期結束後），獎勵即發放給您。"
        }
        PaidAtOnce "referral.paid_at_once" {
            "Your reward comes as soon as your friend's order is paid.",
            "好友订单付款后，奖励即刻发放给您。",
            "好友訂單付款後，獎勵即刻發放給您。"
        }
        RewardPoints "referral.reward_points" { "{n} points", "{n} 积分", "{n} 積分" }
        RewardAmountOff "referral.reward_amount_off" { "{money} off", "立减{money}", "立減{money}" }
        RewardPercentOff "referral.reward_percent_off" { "{n}% off", "{n}% 折扣", "{n}% 折扣" }
        RewardFreeShipping "referral.reward_free_shipping" { "free shipping", "免运费", "免運費" }
        RewardMinimum "referral.reward_minimum" {
            "{reward} (orders of {money} or more)",
            "{reward}（订单满{money}可用）",
            "{reward}（訂單滿{money}可用）"
        }
        RewardMinimumValid "referral.reward_minimum_valid" {
            "{reward} (orders of {money} or more, valid {n} days)",
            "{reward}（订单满{money}可用，{n} 天内有效）",
            "{reward}（訂單滿{money}可用，{n} 天內有效）"
        }
        RewardValid "referral.reward_valid" {
            "{reward} (valid {n} days)",
            "{reward}（{n} 天内有效）",
            "{reward}（{n} 天內有效）"
        }
        Link "referral.link" { "Your link", "您的专属链接", "您的專屬連結" }
        Code "referral.code" { "Your code", "您的推荐码", "您的推薦碼" }
        CodeHint "referral.code_hint" {
            "Friends can also type your code at checkout.",
            "好友也可在结账时输入您的推荐码。",
            "好友也可在結帳時輸入您的推薦碼。"
        }
        CopyLink "referral.copy_link" { "Copy link", "复制链接", "複製連結" }
        Copied "referral.copied" { "Link copied", "链接已复制", "連結已複製" }
        CopyByHand "referral.copy_by_hand" {
            "The link is selected: press Ctrl+C (⌘C on a Mac) to copy it.",
            "链接已选中：请按 Ctrl+C（Mac 上为 ⌘C）复制。",
            "連結已選取：請按 Ctrl+C（Mac 上為 ⌘C）複製。"
        }
        Share "referral.share" { "Share", "分享", "分享" }
        Email "referral.email" { "Email", "发送邮件", "寄送電郵" }
        Message "referral.message" {
            "I think you'll like this shop. With my link you get {reward} on your first order:",
            "推荐你这家店。通过我的链接，首单可享{reward}：",
            "推薦你這家店。透過我的連結，首單可享{reward}："
        }
        Subject "referral.subject" {
            "A gift for your first order: {reward}",
            "送你一份首单礼：{reward}",
            "送你一份首單禮：{reward}"
        }
        Qr "referral.qr" {
            "QR code of your link: friends can scan it with their phone or WeChat.",
            "您的链接二维码：好友可用手机或微信扫码。",
            "您的連結 QR 碼：好友可用手機或微信掃碼。"
        }
        Visits "referral.visits" { "Visits", "访问", "造訪" }
        Signups "referral.signups" { "Sign-ups", "领取", "領取" }
        Rewarded "referral.rewarded" { "Rewards paid", "已发放奖励", "已發放獎勵" }
        Referrals "referral.referrals" { "Your referrals", "我的推荐", "我的推薦" }
        Empty "referral.empty" {
            "No referrals yet. Share your link: you are rewarded when a friend places their first order.",
            "还没有推荐记录。分享您的链接，好友完成首单后您即可获得奖励。",
            "還沒有推薦紀錄。分享您的連結，好友完成首單後您即可獲得獎勵。"
        }
        AFriend "referral.a_friend" { "A friend", "一位好友", "一位好友" }
        OrderedOn "referral.ordered_on" { "Ordered on {date}", "{date} 下单", "{date} 下單" }
        Pending "referral.pending" { "Pending", "待发放", "待發放" }
        PaysOn "referral.pays_on" {
            "{reward}, paid on {date}",
            "{reward}，将于 {date} 发放",
            "{reward}，將於 {date} 發放"
        }
        Paid "referral.paid" { "Paid", "已发放", "已發放" }
        PaidOn "referral.paid_on" { "{reward}, paid on {date}", "{reward}，已于 {date} 发放", "{reward}，已於 {date} 發放" }
        RewardCode "referral.reward_code" { "Your code: {code}", "您的优惠码：{code}", "您的優惠碼：{code}" }
        Cancelled "referral.cancelled" { "Cancelled", "已取消", "已取消" }
        Declined "referral.declined" { "Declined", "未获奖励", "未獲獎勵" }
        ReasonSelfReferral "referral.reason_self_referral" {
            "This order was your own: referring yourself does not earn a reward.",
            "这是您本人的订单，推荐自己不能获得奖励。",
            "這是您本人的訂單，推薦自己不能獲得獎勵。"
        }
        ReasonNotFirstOrder "referral.reason_not_first_order" {
            "Your friend had ordered here before (or was referred already): rewards are for a friend's first order.",
            "这位好友之前已在本店下单（或已被推荐过），奖励仅限好友首单。",
            "這位好友之前已在本店下單（或已被推薦過），獎勵僅限好友首單。"
        }
        ReasonBelowMinimum "referral.reason_below_minimum" {
            "The order was smaller than the shop's minimum for a referral reward.",
            "该订单金额未达到推荐奖励的最低消费。",
            "該訂單金額未達到推薦獎勵的最低消費。"
        }
        ReasonTooMany "referral.reason_too_many_from_one_address" {
            "Too many referred orders came from the same network this week.",
            "本周来自同一网络的推荐订单过多。",
            "本週來自同一網路的推薦訂單過多。"
        }
        ReasonAdvocateCap "referral.reason_advocate_cap" {
            "You have earned the most referral rewards this shop gives one customer.",
            "您已达到本店每位顾客可获得的推荐奖励上限。",
            "您已達到本店每位顧客可獲得的推薦獎勵上限。"
        }
        ReasonRefunded "referral.reason_refunded" {
            "Your friend returned the order, so it no longer earns a reward.",
            "好友已退货，该订单不再获得奖励。",
            "好友已退貨，該訂單不再獲得獎勵。"
        }
        ReasonDeclinedByShop "referral.reason_declined_by_shop" {
            "The shop declined this referral. Please contact the shop if you have questions.",
            "商家未通过此推荐。如有疑问，请联系商家。",
            "商家未通過此推薦。如有疑問，請聯絡商家。"
        }
        BannerFrom "referral.banner_from" {
            "{name} sent you {reward} on your first order",
            "{name}送您首单{reward}",
            "{name}送您首單{reward}"
        }
        BannerAnonymous "referral.banner_anonymous" {
            "A friend sent you {reward} on your first order",
            "好友送您首单{reward}",
            "好友送您首單{reward}"
        }
        YourEmail "referral.your_email" { "Your email", "您的邮箱", "您的電郵" }
        Claim "referral.claim" { "Get my code", "领取优惠码", "領取優惠碼" }
        Claiming "referral.claiming" { "Getting your code…", "正在领取…", "正在領取…" }
        YourCode "referral.your_code" {
            "Your code for your first order:",
            "您的首单优惠码：",
            "您的首單優惠碼："
        }
        UseBy "referral.use_by" {
            "Enter it at checkout by {date}.",
            "请在 {date} 前结账时输入。",
            "請在 {date} 前結帳時輸入。"
        }
        CopyCode "referral.copy_code" { "Copy code", "复制优惠码", "複製優惠碼" }
        CodeCopied "referral.code_copied" { "Code copied", "优惠码已复制", "優惠碼已複製" }
        Dismiss "referral.dismiss" { "Close", "关闭", "關閉" }
        ErrorSelfReferral "referral.error_self_referral" {
            "This is your own referral link: share it with your friends instead.",
            "这是您自己的推荐链接，请分享给好友使用。",
            "這是您自己的推薦連結，請分享給好友使用。"
        }
        ErrorAlreadyCustomer "referral.error_already_customer" {
            "This offer is for a first order, and this email has ordered here before.",
            "此优惠仅限首单，该邮箱已在本店下过单。",
            "此優惠僅限首單，該電郵已在本店下過單。"
        }
        ErrorEmail "referral.error_email" {
            "Please enter a valid email address, like name@example.com.",
            "请输入有效的邮箱地址，例如 name@example.com。",
            "請輸入有效的電郵地址，例如 name@example.com。"
        }
    }
}
