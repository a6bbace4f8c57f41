//! The recommendations widget's strings, in every shipped locale (keys
//! `recommendations.*`).

use crate::i18n::catalogue;

catalogue! {
    /// A string of this widget.
    pub enum Key {
        AlsoBought "recommendations.also_bought" {
            "Often bought together",
            "经常一起购买",
            "經常一起購買"
        }
        ForYou "recommendations.for_you" { "Picked for you", "为您推荐", "為您推薦" }
        BuyAgain "recommendations.buy_again" { "Buy it again", "再次购买", "再次購買" }
        Popular "recommendations.popular" { "Best sellers", "热销商品", "熱銷商品" }
        Trending "recommendations.trending" { "Trending now", "当下热门", "當下熱門" }
        NewArrivals "recommendations.new_arrivals" { "New arrivals", "新品上架", "新品上架" }
        Blend "recommendations.blend" { "You may also like", "猜你喜欢", "猜你喜歡" }
        WhyBoughtWith "recommendations.why_bought_with" {
            "Often bought with {title}",
            "常与{title}一起购买",
            "常與{title}一起購買"
        }
        WhyEveryDay "recommendations.why_every_day" {
            "You buy this about every day",
            "您大约每天购买一次",
            "您大約每天購買一次"
        }
        WhyEveryDays "recommendations.why_every_days" {
            "You buy this about every {n} days",
            "您大约每 {n} 天购买一次",
            "您大約每 {n} 天購買一次"
        }
        WhyEveryWeek "recommendations.why_every_week" {
            "You buy this about every week",
            "您大约每周购买一次",
            "您大約每週購買一次"
        }
        WhyEveryWeeks "recommendations.why_every_weeks" {
            "You buy this about every {n} weeks",
            "您大约每 {n} 周购买一次",
            "您大約每 {n} 週購買一次"
        }
        WhyEveryMonth "recommendations.why_every_month" {
            "You buy this about every month",
            "您大约每月购买一次",
            "您大約每月購買一次"
        }
        WhyEveryMonths "recommendations.why_every_months" {
            "You buy this about every {n} months",
            "您大约每 {n} 个月购买一次",
            "您大約每 {n} 個月購買一次"
        }
        WhyPopular "recommendations.why_popular" { "Best seller", "热销", "熱銷" }
        WhyTrending "recommendations.why_trending" { "Trending now", "当下热门", "當下熱門" }
        WhyNew "recommendations.why_new" { "New", "新品", "新品" }
        Was "recommendations.was" { "Was {price}", "原价 {price}", "原價 {price}" }
        Add "recommendations.add" { "Add to cart", "加入购物车", "加入購物車" }
    }
}
