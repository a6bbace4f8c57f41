//! The help widget's strings, in every shipped locale (keys `help.*`).

use crate::i18n::catalogue;

catalogue! {
    /// A string of this widget.
    pub enum Key {
        Tab "help.tab" { "Help", "帮助", "幫助" }
        Title "help.title" { "How can we help?", "需要什么帮助？", "需要什麼協助？" }
        SearchLabel "help.search_label" { "Search help", "搜索帮助", "搜尋說明" }
        SearchHint "help.search_hint" {
            "Shipping, points, returns…",
            "配送、积分、退货……",
            "配送、積分、退貨……"
        }
        ResultsOne "help.results_one" { "1 result", "1 条结果", "1 筆結果" }
        Results "help.results" { "{n} results", "{n} 条结果", "{n} 筆結果" }
        NoResults "help.no_results" {
            "Nothing found for “{query}”. Try other words, or contact us.",
            "没有找到“{query}”的相关内容。换个说法试试，或联系我们。",
            "沒有找到「{query}」的相關內容。換個說法試試，或聯絡我們。"
        }
        Suggested "help.suggested" { "Suggested for this page", "本页相关", "本頁相關" }
        Topics "help.topics" { "Help topics", "帮助主题", "說明主題" }
        Troubleshoot "help.troubleshoot" {
            "Solve a problem step by step",
            "一步步解决问题",
            "一步步解決問題"
        }
        Home "help.home" { "All help", "全部帮助", "全部說明" }
        Back "help.back" { "Back", "上一步", "上一步" }
        Restart "help.restart" { "Start over", "重新开始", "重新開始" }
        Progress "help.progress" { "Step {n} of up to {total}", "第 {n} 步，最多 {total} 步", "第 {n} 步，最多 {total} 步" }
        Solved "help.solved" { "Did this solve it?", "问题解决了吗？", "問題解決了嗎？" }
        Helpful "help.helpful" { "Was this article helpful?", "这篇文章有帮助吗？", "這篇文章有幫助嗎？" }
        Yes "help.yes" { "Yes", "是", "是" }
        No "help.no" { "No", "否", "否" }
        Thanks "help.thanks" { "Thank you for telling us.", "感谢您的反馈。", "感謝您的回饋。" }
        ReadArticle "help.read_article" { "Read: {title}", "阅读：{title}", "閱讀：{title}" }
        ContactTitle "help.contact_title" { "Contact us", "联系我们", "聯絡我們" }
        Phone "help.phone" { "Phone", "电话", "電話" }
        Email "help.email" { "Email", "邮箱", "電子郵件" }
        Hours "help.hours" { "Hours", "服务时间", "服務時間" }
        Address "help.address" { "Visit us", "地址", "地址" }
        Known "help.known" {
            "We will see what you already told us:",
            "您已告诉我们的内容会一并发送：",
            "您已告訴我們的內容會一併送出："
        }
        KnownArticle "help.known_article" { "You read: {title}", "您看过：{title}", "您看過：{title}" }
        Name "help.name" { "Name (optional)", "姓名（可选）", "姓名（選填）" }
        YourEmail "help.your_email" { "Email for our reply", "接收回复的邮箱", "接收回覆的電子郵件" }
        Order "help.order" { "Order number (optional)", "订单号（可选）", "訂單編號（選填）" }
        Message "help.message" { "What else should we know?", "还有什么需要告诉我们的？", "還有什麼需要告訴我們的？" }
        Send "help.send" { "Send", "发送", "送出" }
        Sending "help.sending" { "Sending…", "正在发送…", "正在送出…" }
        Sent "help.sent" {
            "Sent. Your ticket number is {id}; we reply by email.",
            "已发送。您的工单号是 {id}，我们会通过邮件回复。",
            "已送出。您的案件編號是 {id}，我們會以電子郵件回覆。"
        }
        Queued "help.queued" {
            "You seem to be offline. Your message is kept on this device and sent as soon as the connection is back.",
            "您似乎处于离线状态。消息已保存在本设备上，网络恢复后会自动发送。",
            "您似乎處於離線狀態。訊息已保存在本裝置上，網路恢復後會自動送出。"
        }
        EmailMissing "help.email_missing" {
            "Please enter your email so we can reply.",
            "请填写邮箱，以便我们回复您。",
            "請填寫電子郵件，以便我們回覆您。"
        }
        EmailInvalid "help.email_invalid" {
            "That email address does not look right.",
            "邮箱格式不正确。",
            "電子郵件格式不正確。"
        }
        MessageMissing "help.message_missing" {
            "Please tell us what happened.",
            "请告诉我们发生了什么。",
            "請告訴我們發生了什麼。"
        }
        MessageTooLong "help.message_too_long" {
            "Please keep the message under 4,000 characters.",
            "请将内容控制在 4000 字以内。",
            "請將內容控制在 4000 字以內。"
        }
        OrderTooLong "help.order_too_long" {
            "That order number is too long.",
            "订单号过长。",
            "訂單編號過長。"
        }
    }
}
