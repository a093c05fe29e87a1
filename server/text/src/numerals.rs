//! Numbers written in Chinese, as contracts number their articles.

/// 12 → 十二, 36 → 三十六, 590 → 五百九十.
pub fn chinese_number(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n < 10 {
        return DIGITS[n as usize].to_string();
    }
    if n < 20 {
        return format!(
            "十{}",
            if n.is_multiple_of(10) {
                String::new()
            } else {
                DIGITS[(n % 10) as usize].to_string()
            }
        );
    }
    if n < 100 {
        let tens = DIGITS[(n / 10) as usize];
        let ones = if n.is_multiple_of(10) {
            ""
        } else {
            DIGITS[(n % 10) as usize]
        };
        return format!("{tens}十{ones}");
    }
    if n < 1000 {
        let hundreds = DIGITS[(n / 100) as usize];
        let rest = n % 100;
        return if rest == 0 {
            format!("{hundreds}百")
        } else if rest < 10 {
            format!("{hundreds}百零{}", DIGITS[rest as usize])
        } else if rest < 20 {
            format!("{hundreds}百一{}", chinese_number(rest))
        } else {
            format!("{hundreds}百{}", chinese_number(rest))
        };
    }
    n.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers() {
        assert_eq!(chinese_number(7), "七");
        assert_eq!(chinese_number(12), "十二");
        assert_eq!(chinese_number(36), "三十六");
        assert_eq!(chinese_number(105), "一百零五");
        assert_eq!(chinese_number(115), "一百一十五");
        assert_eq!(chinese_number(590), "五百九十");
        assert_eq!(chinese_number(1200), "1200");
    }
}
