//! A browser's User-Agent in the words a person knows their device by: «Chrome, Android»,
//! «Safari, iPhone». The sessions list shows this; the raw header stays on the server.

/// The browser and the system a User-Agent names, where it names them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Device {
    /// The browser: «Chrome», «Safari», «Яндекс Браузер».
    pub browser: Option<&'static str>,
    /// The system or the device: «Android», «iPhone», «Windows».
    pub system: Option<&'static str>,
}

/// Marks in a User-Agent and what they mean, the first that matches wins: browsers built on
/// Chrome name Chrome too, and Chrome names Safari, so the specific ones come first.
const BROWSERS: [(&str, &str); 11] = [
    ("YaBrowser/", "Яндекс Браузер"),
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Version/", "Safari"),
    ("Safari/", "Safari"),
];

/// The same for systems: a phone says «Linux» beside «Android», an iPad «Mac OS X».
const SYSTEMS: [(&str, &str); 8] = [
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("CrOS", "ChromeOS"),
    ("Mac OS X", "macOS"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
];

/// What `user_agent` says of the device.
pub fn device(user_agent: &str) -> Device {
    let find = |marks: &[(&str, &'static str)]| {
        marks
            .iter()
            .find(|(mark, _)| user_agent.contains(mark))
            .map(|(_, name)| *name)
    };
    Device {
        browser: find(&BROWSERS),
        system: find(&SYSTEMS),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_common_phones_and_computers_are_named() {
        let cases = [
            (
                "Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
                (Some("Chrome"), Some("Android")),
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
                (Some("Safari"), Some("iPhone")),
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 YaBrowser/24.12.0.0 Safari/537.36",
                (Some("Яндекс Браузер"), Some("Windows")),
            ),
            (
                "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
                (Some("Firefox"), Some("Linux")),
            ),
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
                (Some("Chrome"), Some("Linux")),
            ),
            ("curl/8.5.0", (None, None)),
        ];
        for (agent, (browser, system)) in cases {
            assert_eq!(device(agent), Device { browser, system }, "{agent}");
        }
    }

    proptest! {
        #[test]
        fn any_text_is_read_without_fail(agent in ".{0,300}") {
            let found = device(&agent);
            prop_assert!(found.browser.is_none_or(|b| BROWSERS.iter().any(|(_, n)| *n == b)));
        }
    }
}
