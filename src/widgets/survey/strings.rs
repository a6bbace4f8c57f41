//! The survey widget's strings, in every shipped locale (keys `survey.*`). The survey's
//! own texts (title, questions, options, thanks) come from the shop, in the shopper's
//! language, with the survey.

use crate::i18n::catalogue;

catalogue! {
    /// A string of this widget.
    pub enum Key {
        Progress "survey.progress" { "Question {n} of {total}", "第 {n} 题，共 {total} 题", "第 {n} 題，共 {total} 題" }
        Optional "survey.optional" { "(optional)", "（选填）", "（選填）" }
        Next "survey.next" { "Next", "下一题", "下一題" }
        Back "survey.back" { "Back", "上一题", "上一題" }
        Send "survey.send" { "Send", "提交", "提交" }
        Sending "survey.sending" { "Sending…", "正在提交…", "正在提交…" }
        Required "survey.required" {
            "Please choose an answer to go on.",
            "请先选择一个答案。",
            "請先選擇一個答案。"
        }
        ChooseAny "survey.choose_any" { "Choose all that apply.", "可多选。", "可複選。" }
        Characters "survey.characters" {
            "{n} of {max} characters",
            "已输入 {n} / {max} 字",
            "已輸入 {n} / {max} 字"
        }
        Close "survey.close" { "Close the survey", "关闭问卷", "關閉問卷" }
        Open "survey.open" { "Feedback", "意见反馈", "意見回饋" }
        NpsLow "survey.nps_low" { "Not at all likely", "完全不可能", "完全不可能" }
        NpsHigh "survey.nps_high" { "Extremely likely", "非常可能", "非常可能" }
        Csat1 "survey.csat_1" { "Very unsatisfied", "非常不满意", "非常不滿意" }
        Csat2 "survey.csat_2" { "Unsatisfied", "不满意", "不滿意" }
        Csat3 "survey.csat_3" { "Neither satisfied nor unsatisfied", "一般", "普通" }
        Csat4 "survey.csat_4" { "Satisfied", "满意", "滿意" }
        Csat5 "survey.csat_5" { "Very satisfied", "非常满意", "非常滿意" }
        EffortLow "survey.effort_low" { "Very difficult", "非常费力", "非常費力" }
        EffortHigh "survey.effort_high" { "Very easy", "非常轻松", "非常輕鬆" }
        Reward "survey.reward" {
            "Answer to earn {points}.",
            "完成问卷即可获得 {points}。",
            "完成問卷即可獲得 {points}。"
        }
        Rewarded "survey.rewarded" {
            "{points} have been added to your balance.",
            "{points}已存入您的账户。",
            "{points}已存入您的帳戶。"
        }
        Saved "survey.saved" {
            "Saved. Your answers will be sent as soon as the connection is back.",
            "已保存。网络恢复后，您的回答会自动提交。",
            "已儲存。網路恢復後，您的回答會自動提交。"
        }
        Failed "survey.failed" {
            "Your answers could not be sent. Thank you all the same.",
            "您的回答未能提交，仍然感谢您的参与。",
            "您的回答未能提交，仍然感謝您的參與。"
        }
    }
}
