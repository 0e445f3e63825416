//! Русский.

use super::{
    AccountText, AuditText, CommonText, DeskText, KeepingText, MapText, RecordsText, ReportText,
    ShellText, SitesText, Strings,
};
use crate::access::{Owner, Role};
use crate::activity::ActivityKind;
use crate::audit::{AuditAct, AuditKind, ReferencePart};
use crate::error::ErrorCode;
use crate::export::{Dataset, Format};
use crate::inventory::item::{Condition, ItemKind};
use crate::inventory::ledger::{MovementKind, WriteOffReason};
use crate::keeping::{Persistence, Platform};
use crate::measure::Measure;
use crate::nav::Destination;
use crate::photo::PhotoTag;
use crate::report::figures::Section;
use crate::site::SiteKind;

pub(super) const RU: Strings = Strings {
    common: CommonText {
        lang_tag: "ru",
        storage_unavailable: |reason| {
            format!(
                "Хранилище устройства недоступно ({reason}). Записи нельзя сохранить в этом браузере."
            )
        },
        filters: "Отбор",
        field_from: "С",
        field_to: "По",
        reset_filters: "Сбросить поиск и отбор",
        badge_unsynced: "не отправлено",
        badge_synced: "отправлено",
        https_only: "Этот сервер работает только по HTTPS: откройте адрес, который начинается с https://",
        badge_rejected: "отклонено сервером",
        fix_title: "Исправление записи",
        edit_title: "Изменение записи",
        edit: "Изменить",
        delete: "Удалить",
        saved_on_device: "Сохранено на устройстве.",
        new_kind_title: |kind| match kind {
            ActivityKind::CleanupDay => "Новый субботник",
            ActivityKind::BeautificationAction => "Новая акция по благоустройству",
            ActivityKind::NeighbourhoodCampaign => "Новая акция по месту жительства",
            ActivityKind::CulturalEvent => "Новое культурно-массовое мероприятие",
            ActivityKind::SummerEvent => "Новое мероприятие программы «Лето»",
            ActivityKind::CentreEvent => "Новое мероприятие ЦРН",
            ActivityKind::Consultation => "Новый консультативный приём",
            ActivityKind::Club => "Новый кружок или клуб",
            ActivityKind::ClubSession => "Занятие кружка",
            ActivityKind::WinterContestWork => "Новая работа «Снежного калейдоскопа»",
            ActivityKind::YardContestWork => {
                "Новая работа конкурса «Любимому городу — красивый дом и двор»"
            }
            ActivityKind::MediaItem => "Новая публикация в СМИ",
        },
        kind_name: |kind| match kind {
            ActivityKind::CleanupDay => "Субботник",
            ActivityKind::BeautificationAction => "Акция по благоустройству",
            ActivityKind::NeighbourhoodCampaign => "Акция по месту жительства",
            ActivityKind::CulturalEvent => "Культурно-массовое мероприятие",
            ActivityKind::SummerEvent => "Программа «Лето»",
            ActivityKind::CentreEvent => "Мероприятие ЦРН",
            ActivityKind::Consultation => "Консультативный приём",
            ActivityKind::Club => "Кружок, клуб",
            ActivityKind::ClubSession => "Занятие кружка",
            ActivityKind::WinterContestWork => "«Снежный калейдоскоп»",
            ActivityKind::YardContestWork => "«Красивый дом и двор»",
            ActivityKind::MediaItem => "Публикация в СМИ",
        },
        field_date: "Дата",
        field_committee: "Комитет ТОС или ЦРН",
        no_place_to_log: "У вас нет прав вносить записи: их вносят активисты и председатели комитетов и сотрудники ЦРН.",
        unknown_owner: |owner| match owner {
            Owner::Committee(id) => format!("Комитет № {}", id.0),
            Owner::Centre(id) => format!("ЦРН № {}", id.0),
        },
        field_site_address: "Адрес участка",
        field_place: "Место",
        field_variant: |kind| match kind {
            ActivityKind::BeautificationAction | ActivityKind::NeighbourhoodCampaign => "Акция",
            ActivityKind::SummerEvent => "Направление",
            ActivityKind::CentreEvent => "Вид мероприятия",
            ActivityKind::YardContestWork => "Номинация",
            _ => "Вариант",
        },
        variant_name: |key| {
            Some(match key {
                "garden_of_memory" => "«Сад памяти»",
                "city_flowers" => "«Городские цветы»",
                "family_tree" => "«Семейное дерево»",
                "all_on_skis" => "«Все на лыжи»",
                "windows_of_victory" => "«Окна Победы»",
                "sing_in_the_yard" => "«Поём двором»",
                "i_draw_russia" => "«Рисую Россию»",
                "collect_and_recycle" => "«Соберём. Сдадим. Переработаем»",
                "feed_the_birds" => "«Покормите птиц зимой»",
                "clean_walls" => "«Чистые стены»",
                "earth_hour" => "«Час Земли»",
                "proud_of_you" => "«Гордимся вами, земляки»",
                "say_thank_you" => "«Скажи спасибо лично»",
                "clean_banks" => "«Чистые берега»",
                "remember_heroes" => "«Помни своих героев»",
                "parcel_for_a_soldier" => "«Посылка солдату»",
                "we_are_with_you" => "«Мы с вами»",
                "other" => "Другая",
                "civic_patriotic" => "Гражданско-патриотическое",
                "sports" => "Спортивное",
                "creative" => "Творческое",
                "ecological" => "Экологическое",
                "thematic" => "Тематическое",
                "festive" => "Праздничное",
                "my_yard_1" => "«Мой двор — моя гордость», I категория",
                "my_yard_2" => "«Мой двор — моя гордость», II категория",
                "dream_entrance_1" => "«Подъезд мечты», I категория",
                "dream_entrance_2" => "«Подъезд мечты», II категория",
                "blooming_balcony" => "«Цветущий балкон»",
                "shcheglovsky_yard" => "«Щегловский двор»",
                _ => return None,
            })
        },
        field_youth: "Мероприятие молодёжного движения",
        field_site_address_hint: "Улица, дом или ориентир",
        measure_label: |m| match m {
            Measure::Participants => "Участники",
            Measure::Bags => "Мешки с мусором",
            Measure::AreaM2 => "Убранная площадь",
            Measure::Shrubs => "Высажено кустарников",
            Measure::Trees => "Высажено деревьев",
            Measure::FlowerBeds => "Разбито клумб",
            Measure::Seedlings => "Высажено рассады цветов",
            Measure::Yards => "Благоустроено дворов",
            Measure::Entrances => "Оформлено подъездов",
            Measure::Balconies => "Оформлено балконов и окон",
            Measure::SnowTowns => "Снежные городки",
            Measure::SnowFigures => "Снежные фигуры",
            Measure::CitizensSeen => "Принято граждан",
            Measure::Members => "Участники кружка",
            Measure::Items => "Материалы",
            Measure::RecyclablesKg => "Собрано вторсырья",
            Measure::Parcels => "Отправлено посылок",
        },
        measure_unit: |m| match m {
            Measure::Participants | Measure::CitizensSeen | Measure::Members => "чел.",
            Measure::AreaM2 => "м²",
            Measure::Seedlings => "корней",
            Measure::RecyclablesKg => "кг",
            Measure::Bags
            | Measure::Shrubs
            | Measure::Trees
            | Measure::FlowerBeds
            | Measure::Yards
            | Measure::Entrances
            | Measure::Balconies
            | Measure::SnowTowns
            | Measure::SnowFigures
            | Measure::Items
            | Measure::Parcels => "шт.",
        },
        save: "Сохранить",
        saving: "Сохранение…",
        cancel: "Отмена",
        draft_restored: "Восстановлено то, что было введено раньше.",
        fix_marked_fields: "Исправьте отмеченные поля.",
        save_failed: |reason| format!("Не удалось сохранить на устройстве: {reason}"),
        sign_in_to_save: "Войдите, чтобы сохранять записи.",
        field_district: "Район",
        sync_lock_failed: "браузер не дал дождаться окончания синхронизации; попробуйте ещё раз",
        sites_title: "Объекты",
        new_site: "Новый объект",
        field_site_kind: "Вид объекта",
        site_kind_name: |kind| match kind {
            SiteKind::Yard => "Двор",
            SiteKind::FlowerBed => "Клумба",
            SiteKind::PublicSpace => "Общественное пространство",
            SiteKind::SchoolSportsGround => "Школьная спортплощадка",
            SiteKind::Riverbank => "Берег реки",
            SiteKind::Entrance => "Подъезд",
            SiteKind::Other => "Другое",
        },
        field_site: "Объект",
        field_title: "Название кружка или клуба",
        field_part_of: "Кружок или клуб",
        no_clubs_yet: "Сначала запишите кружок или клуб: занятие относится к нему.",
        no_site: "Без объекта",
        photo_tag: |tag| match tag {
            PhotoTag::Before => "до работ",
            PhotoTag::During => "во время работ",
            PhotoTag::After => "после работ",
        },
        number: thousands,
        date_long: |year, month, day| {
            const MONTHS: [&str; 12] = [
                "января",
                "февраля",
                "марта",
                "апреля",
                "мая",
                "июня",
                "июля",
                "августа",
                "сентября",
                "октября",
                "ноября",
                "декабря",
            ];
            let month = MONTHS
                .get(month.wrapping_sub(1) as usize)
                .copied()
                .unwrap_or("?");
            format!("{day} {month} {year}")
        },
        server_unreachable: "сервер недоступен",
        server_status: |status| format!("сервер ответил ошибкой {status}"),
        error: error_message,
        inv_title: "Склад и прокат",
        inv_place: "Место",
        inv_no_places: "Склад ведут сотрудники центров и председатели комитетов. У вас нет такого места.",
        inv_empty: "Предметов пока нет. Добавьте их из списка частых или свои.",
        inv_lend: "Выдать",
        inv_add: "Добавить предметы",
        inv_count: "Инвентаризация",
        inv_export: "Журнал (CSV)",
        inv_stock: "Остатки",
        inv_item_col: "Предмет",
        inv_available: "Доступно",
        inv_lent_col: "Выдано",
        inv_condition_col: "Состояние",
        inv_over_lent: "выдано больше, чем есть",
        inv_over_lent_hint: "Два устройства выдали последний предмет одновременно. Проверьте на месте и сделайте инвентаризацию.",
        inv_low: "заканчивается",
        inv_in_repair: "в ремонте",
        inv_loans_out: "Выдано сейчас",
        inv_no_loans_out: "Сейчас ничего не выдано.",
        inv_condition_name: |c| match c {
            Condition::Good => "Исправен",
            Condition::NeedsRepair => "Требует ремонта",
            Condition::WrittenOff => "Списан",
        },
        inv_kind_name: |k| match k {
            ItemKind::Durable => "Выдаётся и возвращается",
            ItemKind::Consumable => "Расходуется",
        },
        inv_reason_name: |r| match r {
            WriteOffReason::Lost => "Утерян",
            WriteOffReason::Broken => "Сломан",
            WriteOffReason::WornOut => "Износился",
        },
        inv_movement_name: |m| match m {
            MovementKind::Received => "Поступление".to_owned(),
            MovementKind::Lent { .. } => "Выдача".to_owned(),
            MovementKind::Returned { .. } => "Возврат".to_owned(),
            MovementKind::Issued { .. } => "Выдача в расход".to_owned(),
            MovementKind::WrittenOff { reason } => {
                format!(
                    "Списание: {}",
                    (RU.common.inv_reason_name)(reason).to_lowercase()
                )
            }
            MovementKind::Transferred { .. } => "Передача".to_owned(),
            MovementKind::Arrived { .. } => "Поступление по передаче".to_owned(),
            MovementKind::Counted { counted, .. } => format!("Пересчёт: насчитано {counted}"),
        },
        inv_csv_headings: [
            "Дата и время",
            "Место",
            "Предмет",
            "Движение",
            "Количество",
            "Откуда или куда",
            "Выдача",
            "Запись",
        ],
        inv_history: "История движений",
        inv_no_history: "Движений пока нет.",
        inv_action: "Что записать",
        inv_quantity: "Количество",
        inv_do_receive: "Поступление",
        inv_do_issue: "Выдача в расход",
        inv_do_write_off: "Списание",
        inv_do_transfer: "Передача в другое место",
        inv_for_activity: "Для мероприятия",
        inv_no_activity: "не указано",
        inv_reason: "Причина",
        inv_to: "Куда",
        inv_record: "Записать",
        inv_recorded: "Записано на устройстве",
        inv_item_settings: "Состояние и порог",
        inv_low_stock: "Предупреждать, когда осталось не больше",
        inv_save: "Сохранить",
        inv_item_missing: "Такого предмета на устройстве нет.",
        inv_loan_missing: "Такой выдачи на устройстве нет.",
        map_any: "Все",
        map_download_cancel: "Отменить",
        bytes: |n| match n {
            0..1_000_000 => format!("{} КБ", n.div_ceil(1_000)),
            _ => {
                let tenths = (n + 50_000) / 100_000;
                format!("{},{} МБ", thousands((tenths / 10) as i64), tenths % 10)
            }
        },
        report_section: |section| match section {
            Section::Events => "Культурно-массовая работа",
            Section::Summer => "Программа «Лето»",
            Section::Beautification => "Благоустройство",
            Section::Contests => "Городские конкурсы",
            Section::Centres => "Работа центров по работе с населением",
            Section::Media => "Информирование населения",
        },
        report_figure: |key| match key {
            "cultural_events" => "Культурно-массовые мероприятия",
            "youth_events" => "из них по развитию молодёжного движения",
            "cultural_participants" => "Участники культурно-массовых мероприятий",
            "campaigns" => "Акции по месту жительства",
            "campaign_participants" => "Участники акций по месту жительства",
            "recyclables_kg" => "Собрано вторсырья, кг",
            "parcels" => "Отправлено посылок",
            "summer_events" => "Мероприятия программы «Лето»",
            "summer_participants" => "Участники программы «Лето»",
            "summer_civic_patriotic" => "гражданско-патриотическое направление",
            "summer_civic_patriotic_participants" => {
                "участники гражданско-патриотического направления"
            }
            "summer_sports" => "спортивное направление",
            "summer_sports_participants" => "участники спортивного направления",
            "summer_creative" => "творческое направление",
            "summer_creative_participants" => "участники творческого направления",
            "summer_ecological" => "экологическое направление",
            "summer_ecological_participants" => "участники экологического направления",
            "beautification_actions" => "Акции по благоустройству и субботники",
            "beautification_participants" => "Участники благоустройства",
            "yards" => "Благоустроено придомовых территорий",
            "shrubs" => "Высажено кустарников",
            "trees" => "Высажено деревьев",
            "flower_beds" => "Разбито клумб",
            "seedlings" => "Высажено корней цветочной рассады",
            "area_m2" => "Убрано территории, м²",
            "bags" => "Собрано мешков мусора",
            "yard_contest_works" => "Работы на конкурс «Любимому городу — красивый дом и двор»",
            "contest_yards" => "благоустроено дворов",
            "contest_entrances" => "подъездов",
            "contest_balconies" => "балконов",
            "contest_flower_beds" => "оформлено клумб",
            "winter_contest_works" => "Работы на конкурс «Снежный калейдоскоп»",
            "snow_towns" => "построено снежных городков",
            "snow_figures" => "снежных фигур",
            "winter_entrances" => "украшено подъездов",
            "winter_balconies" => "оформлено балконов и окон",
            "centre_events" => "Мероприятия ЦРН",
            "centre_participants" => "Участники мероприятий ЦРН",
            "consultations" => "Консультативные приёмы граждан",
            "citizens_seen" => "Обратились на приёмы",
            "clubs" => "Кружки и клубы по интересам",
            "club_members" => "Занимаются в кружках и клубах",
            "inventory_loans" => "Выдачи в пунктах проката",
            "media_items" => "Материалы в СМИ",
            _ => "",
        },
        report_figure_choice: "Показатель",
        report_place: "Где",
        export_activity_headings: [
            "Дата",
            "Вид работы",
            "Направление, акция или номинация",
            "Молодёжное",
            "ТОС или ЦРН",
            "Район",
            "Название",
            "Объект",
            "Адрес",
            "Фотографий",
        ],
        export_site_headings: [
            "Название",
            "Вид объекта",
            "ТОС или ЦРН",
            "Район",
            "Адрес",
            "Широта",
            "Долгота",
            "Работ за период",
            "Последняя работа",
            "Вид последней работы",
        ],
        export_yes: "да",
        export_report_sheets: ["Отчёт", "По районам", "По ТОС и ЦРН", "По месяцам"],
        export_report_headings: ["Раздел", "Показатель", "Значение"],
        export_month: "Месяц",
        export_dataset: |dataset| match dataset {
            Dataset::Activities => "Работы",
            Dataset::Sites => "Объекты",
            Dataset::Ledger => "Журнал инвентаря",
            Dataset::Report => "Отчёт",
        },
    },
    shell: ShellText {
        app_name: "Двор",
        sync_status: "Состояние синхронизации",
        online: "В сети",
        offline: "Нет сети",
        unsynced_count: |n| format!("Не отправлено изменений: {n}"),
        all_synced: "Все записи отправлены",
        last_synced_at: |when| format!("Синхронизировано: {when}"),
        never_synced: "Ещё не синхронизировалось",
        sync_failed: |reason| format!("Не удалось синхронизировать: {reason}."),
        next_retry_in: |seconds| match seconds {
            0..60 => format!("Новая попытка через {seconds} с."),
            _ => format!("Новая попытка через {} мин.", seconds.div_ceil(60)),
        },
        pull_progress: |received, total| {
            format!(
                "Получение записей: {} из {}",
                thousands(received as i64),
                thousands(total as i64)
            )
        },
        sync_now: "Синхронизировать сейчас",
        syncing: "Синхронизация…",
        update_ready: "Доступна новая версия приложения.",
        update_now: "Обновить",
        superseded: "Приложение обновилось в другой вкладке. Перезагрузите страницу, чтобы продолжить.",
        reload: "Перезагрузить",
        close_other_tabs: "Двор открыт в другой вкладке в старой версии. Закройте ту вкладку: приложение обновит данные на устройстве и откроется.",
        offline_hint: "Нет сети: записи сохраняются на устройстве и отправятся, когда сеть появится.",
        session_ended: |n| match n {
            0 => "Сеанс завершён: войдите снова, чтобы синхронизировать.".to_owned(),
            n => format!(
                "Сеанс завершён: войдите снова. Неотправленные изменения ({n}) сохранены на устройстве и отправятся после входа."
            ),
        },
        sign_in_again: "Войти снова",
        destination: |destination| match destination {
            Destination::Records => "Записи",
            Destination::Log => "Добавить",
            Destination::Sites => "Объекты",
            Destination::Map => "Карта",
            Destination::Stock => "Склад",
            Destination::Loans => "Выдачи",
            Destination::Report => "Отчёт",
        },
        more_nav: "Ещё",
        tabs_label: "Разделы",
        more_title: "Разделы",
        log_again: "Записать",
        photos_unsent: |n| format!("Фото не отправлены: {n}"),
        photo_sending: |percent| format!("Отправка фото: {percent}%"),
        photo_send_failed: "Фото не отправилось — повторим при следующей синхронизации",
        retry: "Повторить",
        screen_unavailable: "Эта часть приложения ещё не загружена на устройство, а сети нет или сервер не ответил. Подключитесь к сети и нажмите «Повторить».",
        not_found_title: "Страница не найдена",
        go_home: "К записям",
    },
    records: RecordsText {
        logged_by: |name| format!("Записал(а): {name}"),
        records_title: "Записи",
        log_kind: |kind| match kind {
            ActivityKind::CleanupDay => "Записать субботник",
            ActivityKind::BeautificationAction => "Записать акцию по благоустройству",
            ActivityKind::NeighbourhoodCampaign => "Записать акцию по месту жительства",
            ActivityKind::CulturalEvent => "Записать культурно-массовое мероприятие",
            ActivityKind::SummerEvent => "Записать мероприятие «Лета»",
            ActivityKind::CentreEvent => "Записать мероприятие ЦРН",
            ActivityKind::Consultation => "Записать приём граждан",
            ActivityKind::Club => "Записать кружок или клуб",
            ActivityKind::ClubSession => "Записать занятие кружка",
            ActivityKind::WinterContestWork => "Записать работу «Снежного калейдоскопа»",
            ActivityKind::YardContestWork => "Записать работу конкурса дворов",
            ActivityKind::MediaItem => "Записать публикацию в СМИ",
        },
        no_records: "Записей пока нет.",
        records_hint: "Записи сохраняются на этом устройстве сразу, даже без сети, и отправляются на сервер, когда сеть есть.",
        records_shown: |shown, all| format!("Показано {shown} из {all}"),
        show_more: "Показать ещё",
        search: "Поиск",
        search_hint: "Адрес, комитет, вид, акция…",
        field_kind: "Вид записи",
        field_state: "Состояние",
        nothing_found: "Ничего не найдено.",
        fix: "Исправить",
        discard: "Удалить с устройства",
        discard_confirm: "Удалить эту запись с устройства? На сервере её нет, восстановить её будет нельзя.",
        delete_confirm: "Удалить эту запись? После синхронизации она исчезнет и на других устройствах.",
        deleted_on_device: "Запись удалена.",
        youth_mark: "молодёжное",
        other_kind: "Другая запись",
        choose_kind_title: "Что записать?",
        optional: "необязательно",
        storage_full: "На устройстве не хватает места для записей этого приложения. Освободите место и сохраните ещё раз — введённые данные остались в форме.",
        backup_title: "Резервная копия",
        backup_hint: "Сохраните неотправленные записи в файл — на случай, если браузер очистит данные или телефон придётся сменить. Файл можно восстановить на этом или другом устройстве.",
        backup_save: "Сохранить резервную копию",
        backup_restore: "Восстановить",
        backup_saved: |n| format!("Резервная копия сохранена в файл, изменений: {n}."),
        backup_nothing: "Все изменения отправлены — сохранять нечего.",
        backup_restored: |added, present| {
            format!(
                "Восстановлено изменений: {added}; уже были на устройстве или на сервере: {present}."
            )
        },
        backup_not_a_backup: "Этот файл не является резервной копией «Двора».",
        backup_too_new: "Резервная копия сделана более новой версией приложения. Обновите приложение и попробуйте снова.",
        backup_damaged: "Резервная копия повреждена; файл не восстановлен.",
        backup_before_accounts: "Резервная копия сделана версией приложения без учётных записей: её записи не принадлежат ни одному комитету, и сервер их не примет.",
        backup_failed: |reason| format!("Не удалось выполнить: {reason}"),
        site_unknown: "объект не найден на устройстве",
        photos_label: "Фотографии",
        take_photo: "Снять фото",
        choose_photos: "Из галереи",
        photo_tag_label: "Снято",
        remove_photo: "Убрать фото",
        photos_preparing: "Обработка фото…",
        photo_not_an_image: "Этот файл не открывается как фотография",
        photo_failed: |reason| format!("Не удалось обработать фото: {reason}"),
        photo_not_yet: "Фото ещё не отправлено с устройства автора",
        photo_offline: "Фото загрузится, когда будет сеть",
    },
    sites: SitesText {
        photo_alt: |site, moment| format!("{site}, {moment}"),
        no_sites: "Объектов пока нет.",
        sites_hint: "Объект — двор, клумба, сквер, спортплощадка. Отмечайте на нём работы: у объекта видна вся история и фотографии.",
        edit_site_title: "Изменение объекта",
        field_site_name: "Название",
        field_site_name_hint: "Например: двор на Весенней, 5",
        field_address: "Адрес",
        field_location: "Место",
        locate_me: "Я здесь",
        locating: "Определяем место…",
        location_shown: |lat, lon, accuracy| {
            let point = format!("{lat:.5}, {lon:.5}")
                .replace('.', ",")
                .replacen(", ", "; ", 1);
            match accuracy {
                Some(metres) => format!("{point} (точность ±{metres} м)"),
                None => point,
            }
        },
        no_location: "Место не отмечено.",
        clear_location: "Убрать точку",
        location_failed: |reason| format!("Не удалось определить место: {reason}."),
        geolocation_denied: "нет разрешения на геолокацию — разрешите её в настройках браузера",
        geolocation_unavailable: "геолокация недоступна на этом устройстве",
        geolocation_timeout: "нет сигнала GPS, попробуйте ещё раз на открытом месте",
        confirm_outside_city: "Точка верна, хотя она за пределами Кемерова",
        site_history: "История работ",
        site_no_history: "Здесь пока ничего не записано.",
        log_here: "Записать работу здесь",
        gallery: "Фотографии",
        map_show_on_map: "На карте",
    },
    map: MapText {
        map_title: "Карта объектов",
        map_loading: "Загружаем карту…",
        map_unavailable: "Не удалось загрузить карту. Проверьте связь и откройте экран ещё раз.",
        map_no_tiles: "Подложка карты недоступна: нет связи с сервером карт, а этот участок не сохранён на устройстве. Объекты и контуры показаны на пустом фоне.",
        map_some_tiles: "Часть подложки карты не загрузилась: нет связи с сервером карт или у него нет этого участка.",
        map_work_kind: "Вид работ",
        map_idle_since: "Без работ с",
        map_heat: "Тепловая карта работ",
        map_shown: |shown, total| {
            format!(
                "Показано объектов: {} из {}",
                thousands(shown as i64),
                thousands(total as i64)
            )
        },
        map_unplaced: |n| format!("Без точки на карте: {}", thousands(n as i64)),
        map_legend: "Обозначения",
        map_last_work: |date, kind| format!("Последняя работа: {date}, {kind}"),
        map_never_worked: "Работ здесь ещё не было",
        map_works: |n, period| {
            let n = thousands(i64::from(n));
            if period {
                format!("Работ за выбранный период: {n}")
            } else {
                format!("Работ всего: {n}")
            }
        },
        map_open_site: "Открыть объект",
        map_offline_title: "Карта без сети",
        map_offline_hint: "Скачайте карту своей территории, пока есть сеть: во дворе без связи подложка будет на месте. Просмотренные участки карты тоже сохраняются.",
        map_download: |name| format!("Скачать: {name}"),
        map_download_size: |tiles, size| {
            format!("плиток: {}, около {size}", thousands(i64::from(tiles)))
        },
        map_area_empty: "Здесь нет объектов с точкой на карте — скачивать нечего.",
        map_downloading: |done, total| {
            format!(
                "Скачано {} из {} плиток",
                thousands(i64::from(done)),
                thousands(i64::from(total))
            )
        },
        map_download_cancelled: "Скачивание отменено. Сохранённая ранее карта осталась.",
        map_download_failed: "Не удалось скачать карту: связь прервалась. Сохранённая ранее карта осталась — попробуйте ещё раз.",
        map_downloaded: |when, tiles, size| {
            format!(
                "Сохранено {when}: плиток {}, {size}",
                thousands(i64::from(tiles))
            )
        },
        map_forget: "Удалить сохранённые карты",
        map_forget_failed: "Не удалось удалить сохранённые карты.",
        map_forgotten: "Сохранённые карты удалены.",
        map_whole_city: "Весь город",
        map_unknown_area: "Территория без названия",
        map_picker_hint: "Перетащите метку или нажмите на карту, чтобы указать место.",
        map_zoom_in: "Приблизить",
        map_zoom_out: "Отдалить",
        map_pin: "Точка объекта",
        map_close: "Закрыть",
    },
    desk: DeskText {
        inv_overdue: "просрочено",
        inv_due: |date| format!("вернуть до {date}"),
        inv_hidden_borrower: "получатель виден только персоналу пункта",
        inv_erased_borrower: "данные получателя удалены",
        inv_lend_title: "Выдача",
        inv_borrower_name: "Имя получателя",
        inv_borrower_phone: "Телефон",
        inv_due_date: "Вернуть до",
        inv_default_days: "Обычный срок выдачи на этом месте, дней (0 — до конца дня)",
        inv_what: "Что выдаётся",
        inv_nothing_chosen: "Укажите количество хотя бы у одного предмета",
        inv_nothing_to_lend: "Нечего выдавать: возвращаемых предметов в наличии нет.",
        inv_lent_done: "Выдано. Запись сохранена на устройстве",
        inv_loan_title: |when| format!("Выдача {when}"),
        inv_return_all: "Вернуть всё",
        inv_return_nothing: "Укажите, сколько предметов вернули, или нажмите «Вернуть всё».",
        inv_return: "Принять возврат",
        inv_returned_done: "Возврат записан",
        inv_settled: "Всё возвращено",
        inv_borrower_history: "Другие выдачи этому человеку",
        inv_out: |n| format!("на руках: {n}"),
        inv_add_title: "Добавить предметы",
        inv_common: "Частые предметы",
        inv_common_hint: "Укажите, сколько есть, — предмет и поступление запишутся сразу.",
        inv_custom: "Свой предмет",
        inv_name: "Название",
        inv_category: "Категория",
        inv_unit: "Единица",
        inv_kind: "Вид",
        inv_number: "Инвентарный номер",
        inv_initial: "Сколько есть сейчас",
        inv_added: |n| format!("Добавлено предметов: {n}"),
        inv_count_hint: "Пересчитайте на месте и впишите, сколько есть. Расхождения запишутся как поправки; остальное не изменится.",
        inv_shown: "По учёту",
        inv_counted: "Насчитано",
        inv_print: "Печать",
        inv_save_count: "Записать пересчёт",
        inv_counted_done: |n| {
            if n == 0 {
                "Расхождений нет".to_owned()
            } else {
                format!("Записано поправок: {n}")
            }
        },
        inv_sheet_date: |date| format!("Дата: {date}. Подпись: ____________"),
    },
    report: ReportText {
        report_title: "Отчёт о работе ТОС и ЦРН",
        report_year: "Год",
        report_year_of: |year| format!("{year} год"),
        report_counting: "Считаем…",
        report_from_device: |when| {
            format!(
                "Нет связи с сервером: цифры посчитаны по записям на этом устройстве (синхронизировано: {when})."
            )
        },
        report_from_device_never: "Нет связи с сервером, а устройство ещё не синхронизировалось: цифры посчитаны только по его записям.",
        report_by_district: "По районам",
        report_by_owner: "По комитетам ТОС и ЦРН",
        report_by_month: "По месяцам",
        report_print: "Печать",
        month_short: |month| match month {
            1 => "янв",
            2 => "фев",
            3 => "мар",
            4 => "апр",
            5 => "май",
            6 => "июн",
            7 => "июл",
            8 => "авг",
            9 => "сен",
            10 => "окт",
            11 => "ноя",
            _ => "дек",
        },
        export_title: "Выгрузка",
        export_format: |format| match format {
            Format::Xlsx => "Excel (XLSX)",
            Format::Csv => "CSV",
            Format::GeoJson => "GeoJSON (карта)",
        },
        export_what: "Что выгрузить",
        export_format_label: "Формат",
        export_download: "Скачать",
        export_preparing: "Сервер готовит файл…",
        export_rows: |done, all| {
            format!(
                "Получено строк: {} из {}",
                thousands(done as i64),
                thousands(all as i64)
            )
        },
        export_bytes: |done, all| format!("Получено {done} из {all}"),
        export_done: |name| format!("Файл «{name}» сохранён."),
        export_offline: "Выгрузку готовит сервер, а связи с ним нет. Попробуйте, когда появится сеть.",
        export_failed: |why| format!("Не удалось выгрузить: {why}"),
    },
    account: AccountText {
        sign_in_title: "Вход",
        sign_in_hint: "Учётную запись создают по приглашению председателя комитета, сотрудника ЦРН или администратора.",
        field_login: "Телефон или e-mail",
        field_login_hint: "8 905 123-45-67 или name@mail.ru",
        field_password: "Пароль",
        sign_in: "Войти",
        signing_in: "Вход…",
        have_invite: "У меня есть приглашение",
        others_changes_waiting: |name, n| {
            format!(
                "На устройстве остались неотправленные изменения пользователя «{name}»: {n}. Пусть он войдёт и отправит их — или удалите их и войдите."
            )
        },
        discard_and_sign_in: "Удалить их и войти",
        join_title: "Вход по приглашению",
        join_hint: "Укажите код из приглашения, своё имя, телефон или e-mail и придумайте пароль. Если учётная запись уже есть, введите свой пароль — к ней добавится новая роль.",
        consent_title: "Какие данные мы храним и зачем",
        consent_notice: "Двор ведёт учёт работы комитетов ТОС и центров по работе с населением Кемерова и готовит отчёт города. Для этого хранятся ваши имя, телефон или e-mail, роли, сведения о входах (браузер и время) и записи, которые вы делаете. Имя видят те, кто читает ваши записи; телефон или e-mail — только вы. Всё, что о вас хранится, можно скачать в разделе «Ещё», там же можно попросить удалить учётную запись: имя и логин удалятся, а записи останутся в отчёте без них.",
        consent_label: "Я прочитал(а) это и согласен(на) на обработку моих персональных данных",
        my_data_title: "Мои данные",
        my_data_hint: "Всё, что сервер хранит о вас: учётная запись, входы, ваши записи и действия. Удаление учётной записи выполняет администратор: имя и логин удалятся, записи останутся без них.",
        download_my_data: "Скачать мои данные",
        request_erasure: "Попросить удалить учётную запись",
        erasure_confirm: "Попросить администратора удалить вашу учётную запись? После удаления войти будет нельзя, а записи останутся без вашего имени.",
        erasure_requested: "Запрос отправлен. Администратор удалит учётную запись; до тех пор ею можно пользоваться.",
        erasure_requests_title: "Запросы на удаление учётных записей",
        no_erasure_requests: "Запросов нет.",
        erase_account: "Удалить учётную запись",
        erase_confirm: |name, login| {
            format!(
                "Удалить учётную запись «{name}» ({login})? Имя и логин удалятся навсегда, все сеансы завершатся; записи останутся без имени."
            )
        },
        erasure_asked: |name, login, when| format!("{name} · {login} · запрос от {when}"),
        field_invite_code: "Код приглашения",
        field_name: "Ваше имя",
        field_new_password: "Пароль",
        password_hint: "Не короче 10 символов",
        join: "Присоединиться",
        account_title: "Учётная запись",
        role_name: |role| match role {
            Role::Volunteer => "Активист",
            Role::Chair => "Председатель комитета",
            Role::CentreStaff => "Сотрудник ЦРН",
            Role::Coordinator => "Координатор района",
            Role::Admin => "Администратор",
        },
        whole_city: "весь город",
        unknown_place: "место, ещё не полученное с сервера",
        district_committees: |n| format!("Комитеты ТОС в районе: {n}"),
        district_centres: |n| format!("ЦРН в районе: {n}"),
        district_empty: "В этом районе пока нет ни комитетов, ни центров.",
        grant_words: |role, place| format!("{} — {place}", (RU.account.role_name)(role)),
        invite_for: |grant, until| format!("Приглашение: {grant}. Действует до {until}."),
        invite_title: "Пригласить",
        invite_hint: "Приглашение — это код и ссылка. Новый участник откроет ссылку, укажет имя и пароль и сразу войдёт.",
        field_invite_grant: "Роль и место",
        field_invite_uses: "Сколько человек могут войти",
        field_invite_days: "Сколько дней действует",
        make_invite: "Создать приглашение",
        invite_code: |code| format!("Код: {code}"),
        invite_link: "Ссылка для отправки",
        invite_valid: |until, uses| format!("Действует до {until}, входов: {uses}"),
        invites_made: "Код виден только сейчас: скопируйте ссылку или отправьте её, пока экран открыт.",
        invite_copy: "Скопировать ссылку",
        invite_copied: "Ссылка скопирована.",
        invite_share: "Отправить…",
        invite_share_text: |grant| format!("Приглашение в «Двор»: {grant}"),
        invite_share_failed: |reason| format!("Не получилось: {reason}"),
        forgot_password: "Забыли пароль?",
        reset_title: "Новый пароль по коду",
        reset_hint: "Код сброса выдаёт председатель вашего комитета, сотрудник ЦРН или администратор. Код действует сутки и только для вашего логина. После сброса вход на других устройствах завершится.",
        field_reset_code: "Код сброса",
        reset_password: "Сменить пароль и войти",
        back_to_sign_in: "Вспомнили пароль? Войти",
        password_title: "Пароль",
        password_change_hint: "После смены пароля вход на других устройствах завершится; на этом устройстве вы останетесь.",
        field_current_password: "Текущий пароль",
        field_changed_password: "Новый пароль",
        change_password: "Сменить пароль",
        password_changed: "Пароль изменён. На других устройствах нужно войти снова.",
        reset_code_title: "Сброс пароля",
        reset_code_hint: "Если участник вашего комитета или центра забыл пароль, создайте для него код сброса и передайте лично или по телефону. Код действует сутки, один раз и только для его логина.",
        field_reset_login: "Телефон или e-mail участника",
        make_reset_code: "Создать код сброса",
        reset_code_made: |code, login, until| {
            format!("Код для {login}: {code}. Действует до {until}.")
        },
        sessions_title: "Где выполнен вход",
        this_device: "это устройство",
        device_name: |device| match (device.browser, device.system) {
            (Some(browser), Some(system)) => format!("{browser}, {system}"),
            (Some(name), None) | (None, Some(name)) => name.to_owned(),
            (None, None) => "Неизвестное устройство".to_owned(),
        },
        signed_in_at: |when| format!("вход {when}"),
        end_all_sessions: "Выйти на всех устройствах",
        end_all_confirm: "Выйти на всех устройствах, включая это? Неотправленные изменения останутся на этом устройстве до нового входа.",
        sign_out: "Выйти",
        sign_out_unsent: |n| {
            format!(
                "На устройстве неотправленных изменений: {n}. Если выйти сейчас, они будут удалены и не попадут на сервер. Сначала синхронизируйте или сохраните резервную копию."
            )
        },
        sign_out_discard: "Удалить изменения и выйти",
        stay: "Остаться",
        reference_title: "Справочник: районы, комитеты, ЦРН",
        add_district: "Добавить район",
        add_committee: "Добавить комитет",
        add_centre: "Добавить ЦРН",
        new_district_name: "Новый район",
        new_committee_name: "Новый комитет в выбранном районе",
        new_centre_name: "Новый ЦРН в выбранном районе",
        choose_district: "Сначала выберите район.",
        added: |name| format!("Добавлено: {name}"),
        action_failed: |reason| format!("Не удалось: {reason}"),
    },
    keeping: KeepingText {
        install_title: "Установить приложение",
        install_intro: "Установленный Двор открывается значком с экрана «Домой», работает без сети и хранит записи надёжнее, чем вкладка браузера.",
        installed_already: "Двор уже установлен: вы открыли его как приложение.",
        install_button: "Установить Двор",
        install_accepted: "Готово: Двор установлен. Открывайте его значком на экране.",
        install_dismissed: "Установка отменена. Её можно начать снова этой же кнопкой.",
        this_device: "На этом устройстве",
        other_devices: "На других устройствах",
        platform: |platform| match platform {
            Platform::Ios => "iPhone и iPad",
            Platform::Android => "Android",
            Platform::MacSafari => "Safari на Mac",
            Platform::FirefoxComputer => "Firefox на компьютере",
            Platform::Computer => "Компьютер",
        },
        steps: |platform| match platform {
            Platform::Ios => &[
                "Откройте Двор в Safari: в других браузерах на iPhone этого пункта может не быть.",
                "Нажмите «Поделиться» — квадрат со стрелкой вверх внизу экрана (на iPad — вверху).",
                "Пролистайте меню вниз и выберите «На экран „Домой“».",
                "Нажмите «Добавить» и открывайте Двор значком на экране «Домой».",
            ],
            Platform::Android => &[
                "Откройте Двор в Chrome, Яндекс Браузере или Samsung Internet.",
                "Нажмите «Установить Двор» выше или откройте меню браузера ⋮.",
                "Выберите «Установить приложение» или «Добавить на главный экран».",
                "Подтвердите — значок Двора появится среди приложений.",
            ],
            Platform::MacSafari => &[
                "Откройте Двор в Safari 17 или новее.",
                "В меню «Файл» выберите «Добавить в Dock».",
                "Нажмите «Добавить» — Двор будет открываться из Dock отдельным окном.",
            ],
            Platform::FirefoxComputer => &[
                "Firefox на компьютере не устанавливает веб-приложения: добавьте Двор в закладки (Ctrl+D) и отправляйте записи, пока есть сеть.",
                "Чтобы установить Двор, откройте его в Chrome, Edge или Яндекс Браузере и следуйте шагам для компьютера.",
            ],
            Platform::Computer => &[
                "В Chrome, Edge или Яндекс Браузере нажмите «Установить Двор» выше или значок установки в конце адресной строки.",
                "Или откройте меню браузера и выберите «Установить Двор» («Приложения → Установить»).",
            ],
        },
        why_home_screen: "На iPhone и iPad браузер стирает всё, что сайт хранит на устройстве, если его не открывать семь дней, — вместе с неотправленными записями. Двор, добавленный на экран «Домой», так не стирается.",
        home_screen_notice: "Добавьте Двор на экран «Домой»: во вкладке браузера записи на этом устройстве стираются, если не открывать приложение семь дней.",
        how_to_add: "Как добавить",
        how_to_install: "Как установить",
        unsent_waiting: |count, since| {
            format!(
                "Неотправленные изменения ({count}) ждут с {since}. Синхронизируйте их, как появится сеть, или сохраните резервную копию в файл."
            )
        },
        unsent_not_kept: |count| {
            format!(
                "Браузер не обещал хранить данные приложения: неотправленные изменения ({count}) могут пропасть. Синхронизируйте или сохраните резервную копию в файл."
            )
        },
        send_now: "Отправить сейчас",
        save_copy: "Сохранить копию",
        persistence: |answer| match answer {
            Persistence::Asking => "Браузер ещё не ответил, сохранит ли он данные приложения.",
            Persistence::Kept => "Браузер обещал не удалять данные приложения.",
            Persistence::NotKept => {
                "Браузер может удалить данные приложения при нехватке места: отправляйте записи или сохраняйте резервную копию."
            }
            Persistence::Unsupported => {
                "Этот браузер не обещает хранить данные приложения: отправляйте записи или сохраняйте резервную копию."
            }
        },
        erased_title: "Данные Двора на этом устройстве были удалены",
        erased_text: |pushed, last| {
            match last {
            Some(last) => format!("Браузер стёр всё, что Двор хранил на устройстве: так делает Safari, если приложение не открывали семь дней, и любой браузер, которому не хватило места. На сервере есть всё, что устройство успело отправить: изменений — {pushed}, последний раз {last}. Войдите снова, и записи вернутся. Неотправленное можно вернуть только из резервной копии."),
            None => "Браузер стёр всё, что Двор хранил на устройстве: так делает Safari, если приложение не открывали семь дней, и любой браузер, которому не хватило места. Устройство не успело ничего отправить на сервер. Войдите снова; неотправленное можно вернуть только из резервной копии.".to_owned(),
        }
        },
        offer_title: "Установите Двор",
        offer_text: "Первая запись сохранена. Установленный Двор открывается значком с экрана, работает без сети и не теряет записи.",
        offer_later: "Не сейчас",
    },
    audit: AuditText {
        title: "Журнал действий",
        intro: "Кто, когда и откуда приглашал людей, менял справочник, выгружал данные, сбрасывал пароли и завершал сеансы. Записи не меняются; координатор видит действия своего района, администратор — всего города.",
        filter_kind: "Действие",
        every_kind: "Все действия",
        kind: |kind| match kind {
            AuditKind::InviteMade => "Приглашение создано",
            AuditKind::InviteUsed => "Приглашение принято",
            AuditKind::ReferenceAdded => "Справочник дополнен",
            AuditKind::ExportDownloaded => "Выгрузка данных",
            AuditKind::BorrowersErased => "Данные заёмщиков удалены",
            AuditKind::SessionsEnded => "Все сеансы завершены",
            AuditKind::ResetCodeMade => "Код сброса пароля выдан",
            AuditKind::PasswordReset => "Пароль сброшен по коду",
            AuditKind::AttemptsBraked => "Попытки входа остановлены",
            AuditKind::ErasureRequested => "Запрошено удаление учётной записи",
            AuditKind::AccountErased => "Учётная запись удалена",
        },
        details: |act, place| {
            let place = place.unwrap_or("весь город");
            let role = |grant: &crate::access::Grant| (RU.account.role_name)(grant.role());
            match act {
                AuditAct::InviteMade { grant, uses, days } => {
                    format!("{}: {place}; человек: {uses}, дней: {days}", role(grant))
                }
                AuditAct::InviteUsed { grant } => format!("{}: {place}", role(grant)),
                AuditAct::ReferenceAdded { part, id, name } => {
                    let part = match part {
                        ReferencePart::District => "район",
                        ReferencePart::Committee => "комитет ТОС",
                        ReferencePart::Centre => "ЦРН",
                    };
                    format!("{part} «{name}» (№ {id})")
                }
                AuditAct::ExportDownloaded { file, from, to } => {
                    let day =
                        |d: &crate::date::Date| (RU.common.date_long)(d.year(), d.month(), d.day());
                    format!("{file} за {} — {}", day(from), day(to))
                }
                AuditAct::BorrowersErased { loans } => format!("выдач: {loans}"),
                AuditAct::SessionsEnded { sessions } => format!("сеансов: {sessions}"),
                AuditAct::ResetCodeMade { person } | AuditAct::AccountErased { person } => {
                    format!("пользователь № {}", person.0)
                }
                AuditAct::PasswordReset | AuditAct::AttemptsBraked | AuditAct::ErasureRequested => {
                    String::new()
                }
            }
        },
        by_server: "Сервер",
        by_nobody: "Без входа",
        by_erased: "Удалённая учётная запись",
        empty: "Записей нет.",
        older: "Более ранние",
        download: "Скачать CSV",
        columns: ["Время", "Кто", "Адрес", "Район", "Действие", "Подробности"],
    },
};

fn error_message(code: ErrorCode, limit: Option<i64>) -> String {
    let year = limit.unwrap_or_default();
    let seconds = year;
    let limit = limit.map(thousands).unwrap_or_default();
    match code {
        ErrorCode::Required => "Заполните это поле".to_owned(),
        ErrorCode::TooLong => format!("Не длиннее {limit} символов"),
        ErrorCode::ControlCharacters => "Уберите служебные символы".to_owned(),
        ErrorCode::NotANumber => "Введите целое число".to_owned(),
        ErrorCode::Negative => "Число не может быть отрицательным".to_owned(),
        ErrorCode::TooSmall => format!("Не меньше {limit}"),
        ErrorCode::TooLarge => format!("Не больше {limit}"),
        ErrorCode::InvalidDate => "Укажите дату в формате ГГГГ-ММ-ДД".to_owned(),
        ErrorCode::DateInFuture => "Дата не может быть в будущем".to_owned(),
        ErrorCode::DateTooEarly => format!("Дата не раньше {year} года"),
        ErrorCode::InvalidId => "Неверный идентификатор записи".to_owned(),
        ErrorCode::UnknownKind => "Неизвестный вид мероприятия".to_owned(),
        ErrorCode::UnknownMeasure => "Неизвестный показатель".to_owned(),
        ErrorCode::MeasureNotAllowed => {
            "Этот показатель не ведётся для такого мероприятия".to_owned()
        }
        ErrorCode::MalformedJson => "Тело запроса не является корректным JSON".to_owned(),
        ErrorCode::WrongType => "Неверный тип значения".to_owned(),
        ErrorCode::UnknownField => "Неизвестное поле".to_owned(),
        ErrorCode::MissingField => "Не хватает обязательного поля".to_owned(),
        ErrorCode::BodyTooLarge => format!("Запрос слишком большой: больше {limit} байт"),
        ErrorCode::UnsupportedMediaType => {
            "Ожидается JSON (Content-Type: application/json)".to_owned()
        }
        ErrorCode::BadQuery => "Неверные параметры запроса".to_owned(),
        ErrorCode::IdConflict => {
            "Запись с этим идентификатором уже сохранена с другими данными".to_owned()
        }
        ErrorCode::NotFound => "Не найдено".to_owned(),
        ErrorCode::ClockAhead => {
            "Часы устройства спешат: поставьте верные дату и время и сохраните запись снова"
                .to_owned()
        }
        ErrorCode::UpdateRequired => {
            "Приложение устарело: обновите его (закройте и откройте снова), чтобы синхронизировать"
                .to_owned()
        }
        ErrorCode::InvalidLogin => {
            "Укажите номер телефона (например, 8 905 123-45-67) или адрес электронной почты"
                .to_owned()
        }
        ErrorCode::PasswordTooShort => format!("Пароль не короче {limit} символов"),
        ErrorCode::PasswordIsLogin => "Пароль не должен совпадать с логином".to_owned(),
        ErrorCode::NotSignedIn => "Войдите в приложение".to_owned(),
        ErrorCode::SessionEnded => {
            "Сеанс завершён: войдите снова. Несохранённые на сервере записи останутся на устройстве"
                .to_owned()
        }
        ErrorCode::WrongCredentials => "Неверный логин или пароль".to_owned(),
        ErrorCode::TooManyAttempts if seconds < 60 => {
            format!("Слишком много неудачных попыток. Попробуйте через {seconds} с.")
        }
        ErrorCode::TooManyAttempts => format!(
            "Слишком много неудачных попыток. Попробуйте через {} мин.",
            (seconds + 59) / 60
        ),
        ErrorCode::Forbidden => "Недостаточно прав для этого действия".to_owned(),
        ErrorCode::InviteInvalid => {
            "Приглашение недействительно: проверьте код или попросите новое".to_owned()
        }
        ErrorCode::NameTaken => "Такое название уже есть".to_owned(),
        ErrorCode::LoginTaken => {
            "Этот логин уже занят. Если это вы, введите свой пароль".to_owned()
        }
        ErrorCode::UnknownOwner => "Такого комитета или центра нет в справочнике".to_owned(),
        ErrorCode::CentresOnly => {
            "Такие записи ведут только центры по работе с населением".to_owned()
        }
        ErrorCode::UnknownVariant => "Выберите вариант из списка".to_owned(),
        ErrorCode::NothingCounted => "Укажите хотя бы один показатель".to_owned(),
        ErrorCode::OutOfScope => {
            "У вас нет прав вносить и менять записи этого комитета или центра".to_owned()
        }
        ErrorCode::NotYourRecord => {
            "Эту запись может изменить только её автор или председатель комитета".to_owned()
        }
        ErrorCode::NotYourName => {
            "Запись сделана другим пользователем: отправить её может только он сам".to_owned()
        }
        ErrorCode::InvalidLocation => "Таких координат не бывает".to_owned(),
        ErrorCode::InvalidTile => "Такой плитки карты не бывает".to_owned(),
        ErrorCode::OutsideCity => {
            "Точка за пределами Кемерова. Проверьте её или подтвердите, что она верна".to_owned()
        }
        ErrorCode::UnknownSiteKind => "Выберите вид объекта".to_owned(),
        ErrorCode::NoPlace => "Укажите адрес или определите место по GPS".to_owned(),
        ErrorCode::TooManyPhotos => format!("Не больше {limit} фотографий"),
        ErrorCode::InvalidPhoto => "Неверная ссылка на фотографию".to_owned(),
        ErrorCode::WrongHash => "Файл повреждён при передаче: отправьте его снова".to_owned(),
        ErrorCode::UnsupportedImage => "Это не фотография в формате JPEG или WebP".to_owned(),
        ErrorCode::SamePlace => "Выберите другое место: предмет уже здесь".to_owned(),
        ErrorCode::InvalidPhone => "Введите номер телефона, например +7 905 123-45-67".to_owned(),
        ErrorCode::DateInPast => "Дата уже прошла".to_owned(),
        ErrorCode::ReturnsMoreThanLent => {
            format!("Вернуть можно не больше, чем выдано по этой выдаче: {limit}")
        }
        ErrorCode::NotInStock => format!("Столько нет в наличии: доступно {limit}"),
        ErrorCode::Immutable => {
            "Движение по складу не изменяют: исправьте его новым движением".to_owned()
        }
        ErrorCode::MixedScripts => {
            "В адресе смешаны русские и латинские буквы: наберите его в одной раскладке".to_owned()
        }
        ErrorCode::WrongPassword => "Текущий пароль неверен".to_owned(),
        ErrorCode::ConsentRequired => {
            "Чтобы присоединиться, подтвердите согласие на обработку персональных данных".to_owned()
        }
        ErrorCode::ResetCodeInvalid => {
            "Код сброса недействителен: проверьте код и логин или попросите новый код".to_owned()
        }
        ErrorCode::BadRequest => "Сервер не может прочитать этот запрос".to_owned(),
        ErrorCode::MethodNotAllowed => "Этот адрес не принимает такой запрос".to_owned(),
        ErrorCode::RequestTimeout => {
            "Запрос не дошёл до сервера вовремя. Проверьте связь и попробуйте снова".to_owned()
        }
        ErrorCode::ServerBusy => "Сервер сейчас перегружен. Попробуйте через минуту".to_owned(),
        ErrorCode::Internal => "Внутренняя ошибка сервера. Попробуйте позже".to_owned(),
    }
}

/// Groups thousands with a narrow no-break space, the Russian way: 10 000.
fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3 + 1);
    if n < 0 {
        out.push('−');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202F}');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declared_variant_has_a_name() {
        for spec in &crate::kinds::KINDS {
            for variant in spec.variants {
                assert!(
                    (RU.common.variant_name)(variant).is_some(),
                    "{variant} has no name"
                );
            }
        }
    }

    #[test]
    fn thousands_are_grouped_with_narrow_spaces() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(10_000), "10\u{202F}000");
        assert_eq!(thousands(1_234_567), "1\u{202F}234\u{202F}567");
        assert_eq!(thousands(-1_000), "−1\u{202F}000");
    }

    #[test]
    fn every_report_figure_has_a_name() {
        for figure in crate::report::figures::FIGURES {
            assert!(
                !(RU.common.report_figure)(figure.key).is_empty(),
                "{}",
                figure.key
            );
        }
    }

    #[test]
    fn sizes_read_in_kilobytes_or_megabytes() {
        assert_eq!((RU.common.bytes)(0), "0 КБ");
        assert_eq!((RU.common.bytes)(850_001), "851 КБ");
        assert_eq!((RU.common.bytes)(14_249_999), "14,2 МБ");
        assert_eq!((RU.common.bytes)(1_250_000_000), "1\u{202F}250,0 МБ");
    }

    #[test]
    fn dates_read_in_the_genitive() {
        assert_eq!((RU.common.date_long)(2026, 11, 24), "24 ноября 2026");
        let day = crate::date::Date::from_ymd(2026, 12, 7).expect("a day");
        assert_eq!(RU.date(day), "7 декабря 2026");
        // 2026-12-06 17:50 UTC is 00:50 of the 7th in Kemerovo.
        assert_eq!(RU.date_time(1_796_579_400_000), "7 декабря 2026, 00:50");
    }

    #[test]
    fn limits_appear_in_messages() {
        assert_eq!(
            error_message(ErrorCode::TooLarge, Some(10_000)),
            "Не больше 10\u{202F}000"
        );
    }
}
