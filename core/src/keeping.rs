//! Whether the work on a device is safe where it is, by the rules of the browser holding it,
//! and how a person installs the app on their kind of device.
//!
//! WebKit — every browser on an iPhone or iPad, Safari on a Mac — erases everything a site's
//! scripts stored (IndexedDB, Cache Storage, its service worker) after seven days without a
//! visit, unless the app was added to the home screen. Any browser may evict storage it has not
//! promised to keep (`navigator.storage.persist()`) when the device runs short of space. What the
//! server has is safe; what waits on the device is not.

/// A day, in milliseconds.
const DAY_MS: u64 = 24 * 60 * 60 * 1000;

/// How a person installs the app: the steps differ by system, and by engine on a computer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platform {
    /// An iPhone or iPad: Safari's «Поделиться» → «На экран „Домой“» (other browsers there
    /// are WebKit too, and most cannot add to the home screen).
    Ios,
    /// Android: the browser offers to install, or its menu has «Установить приложение».
    Android,
    /// Safari on a Mac: «Файл» → «Добавить в Dock».
    MacSafari,
    /// Firefox on a computer, which cannot install web apps.
    FirefoxComputer,
    /// Any other computer: Chrome, Edge and Yandex install from the address bar.
    Computer,
}

/// The platform a browser's User-Agent and its touch points (`navigator.maxTouchPoints`) name.
/// An iPad's Safari calls itself a Mac; only its touch screen tells it apart.
pub fn platform(user_agent: &str, touch_points: u32) -> Platform {
    let has = |mark: &str| user_agent.contains(mark);
    if has("iPhone") || has("iPad") || has("iPod") || (has("Macintosh") && touch_points > 1) {
        Platform::Ios
    } else if has("Android") {
        Platform::Android
    } else if has("Macintosh") && is_webkit(user_agent) {
        Platform::MacSafari
    } else if has("Firefox/") {
        Platform::FirefoxComputer
    } else {
        Platform::Computer
    }
}

/// Whether the browser is WebKit (Safari's engine), which erases the data of a site not
/// visited for seven days. On iOS every browser is; elsewhere, WebKit is a browser that says
/// AppleWebKit and is not one built on Chromium.
pub fn is_webkit(user_agent: &str) -> bool {
    let has = |mark: &str| user_agent.contains(mark);
    let ios = has("iPhone") || has("iPad") || has("iPod");
    ios || (has("AppleWebKit")
        && ![
            "Chrome/",
            "Chromium/",
            "HeadlessChrome/",
            "Android",
            "Edg/",
            "OPR/",
        ]
        .iter()
        .any(|mark| has(mark)))
}

/// What the browser answered when asked to keep the app's data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Persistence {
    /// The question is still open (Firefox may be asking the person).
    Asking,
    /// It promised not to evict the data.
    Kept,
    /// It did not promise: the data may go when space runs short.
    NotKept,
    /// The browser has no way to ask.
    Unsupported,
}

/// What the device knows of itself and its unsent work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Keeping {
    /// A WebKit browser: unvisited sites are erased after seven days.
    pub webkit: bool,
    /// Running as an installed app (from the home screen), not in a browser tab.
    pub installed: bool,
    pub persistence: Persistence,
    /// Changes made here the server has not taken yet.
    pub unsent: usize,
    /// When the oldest of them was made, Unix ms.
    pub oldest_unsent_ms: Option<u64>,
    pub now_ms: u64,
}

/// Why unsent work is at risk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnsentRisk {
    /// The oldest unsent change is at least a day old: the person has been away from a network
    /// (or the server refuses) for that long.
    Waiting,
    /// The browser may erase it: storage it did not promise to keep, or WebKit in a tab.
    NotKept,
}

/// What the device should tell the person about keeping their work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Risks {
    /// In a WebKit tab: add the app to the home screen, or lose it all after seven days away.
    pub add_to_home_screen: bool,
    /// Unsent work at risk: sync, or save a backup file.
    pub unsent: Option<UnsentRisk>,
}

/// The risks of `keeping`.
pub fn risks(keeping: &Keeping) -> Risks {
    let add_to_home_screen = keeping.webkit && !keeping.installed;
    let unsent = (keeping.unsent > 0)
        .then(|| {
            let age = keeping
                .oldest_unsent_ms
                .map_or(0, |made| keeping.now_ms.saturating_sub(made));
            if age >= DAY_MS {
                Some(UnsentRisk::Waiting)
            } else if add_to_home_screen || keeping.persistence != Persistence::Kept {
                Some(UnsentRisk::NotKept)
            } else {
                None
            }
        })
        .flatten();
    Risks {
        add_to_home_screen,
        unsent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
    const IPHONE_CHROME: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1";
    const IPAD: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15";
    const ANDROID: &str = "Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
    const MAC_CHROME: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    const LINUX_WEBKIT: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15";
    const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0";

    #[test]
    fn each_device_gets_its_own_way_to_install() {
        assert_eq!(platform(IPHONE, 5), Platform::Ios);
        assert_eq!(platform(IPHONE_CHROME, 5), Platform::Ios);
        assert_eq!(
            platform(IPAD, 5),
            Platform::Ios,
            "an iPad calls itself a Mac"
        );
        assert_eq!(platform(IPAD, 0), Platform::MacSafari);
        assert_eq!(platform(ANDROID, 5), Platform::Android);
        assert_eq!(platform(MAC_CHROME, 0), Platform::Computer);
        assert_eq!(platform(FIREFOX, 0), Platform::FirefoxComputer);
        assert_eq!(platform(LINUX_WEBKIT, 0), Platform::Computer);
    }

    #[test]
    fn webkit_is_every_browser_on_ios_and_safari_elsewhere() {
        for agent in [IPHONE, IPHONE_CHROME, IPAD, LINUX_WEBKIT] {
            assert!(is_webkit(agent), "{agent}");
        }
        for agent in [ANDROID, MAC_CHROME, FIREFOX] {
            assert!(!is_webkit(agent), "{agent}");
        }
    }

    fn keeping() -> Keeping {
        Keeping {
            webkit: false,
            installed: false,
            persistence: Persistence::Kept,
            unsent: 0,
            oldest_unsent_ms: None,
            now_ms: 10 * DAY_MS,
        }
    }

    #[test]
    fn a_webkit_tab_is_told_to_add_the_app_to_the_home_screen() {
        let tab = Keeping {
            webkit: true,
            ..keeping()
        };
        assert!(risks(&tab).add_to_home_screen);
        assert!(
            !risks(&Keeping {
                installed: true,
                ..tab
            })
            .add_to_home_screen
        );
        assert!(!risks(&keeping()).add_to_home_screen);
    }

    #[test]
    fn unsent_work_is_at_risk_when_old_or_not_kept() {
        let fresh = Keeping {
            unsent: 2,
            oldest_unsent_ms: Some(10 * DAY_MS - 60_000),
            ..keeping()
        };
        assert_eq!(risks(&fresh).unsent, None, "kept and a minute old");
        for persistence in [
            Persistence::NotKept,
            Persistence::Asking,
            Persistence::Unsupported,
        ] {
            assert_eq!(
                risks(&Keeping {
                    persistence,
                    ..fresh
                })
                .unsent,
                Some(UnsentRisk::NotKept)
            );
        }
        let webkit_tab = Keeping {
            webkit: true,
            ..fresh
        };
        assert_eq!(risks(&webkit_tab).unsent, Some(UnsentRisk::NotKept));
        let old = Keeping {
            oldest_unsent_ms: Some(7 * DAY_MS),
            ..fresh
        };
        assert_eq!(risks(&old).unsent, Some(UnsentRisk::Waiting));
        assert_eq!(risks(&Keeping { unsent: 0, ..old }).unsent, None);
    }

    proptest! {
        #[test]
        fn nothing_unsent_is_never_at_risk(
            webkit: bool,
            installed: bool,
            oldest in proptest::option::of(0u64..20 * DAY_MS),
            now in 0u64..20 * DAY_MS,
        ) {
            let k = Keeping { webkit, installed, persistence: Persistence::NotKept, unsent: 0, oldest_unsent_ms: oldest, now_ms: now };
            prop_assert_eq!(risks(&k).unsent, None);
            prop_assert_eq!(risks(&k).add_to_home_screen, webkit && !installed);
        }

        #[test]
        fn a_day_old_change_always_asks_for_sync(
            webkit: bool,
            installed: bool,
            age in DAY_MS..30 * DAY_MS,
            unsent in 1usize..1000,
        ) {
            let k = Keeping { webkit, installed, persistence: Persistence::Kept, unsent, oldest_unsent_ms: Some(40 * DAY_MS - age), now_ms: 40 * DAY_MS };
            prop_assert_eq!(risks(&k).unsent, Some(UnsentRisk::Waiting));
        }
    }
}
