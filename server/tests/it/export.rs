//! Exports over real HTTP on SQLite: every file read back (CSV with a CSV reader, XLSX with
//! calamine, GeoJSON as JSON) gives the rows and sums counted here from what the test sent,
//! for an admin (the city) and a coordinator (one district); the report workbook gives the
//! report's figures; people without the right, bad files and bad periods are refused.

use std::collections::BTreeMap;
use std::io::Cursor;

use crate::util::{ADMIN_ID, TestApp, city_with_admin, join, mutation, node, now_ms};
use calamine::{Data, DataType, Reader, Xlsx};
use dvor_core::access::{CentreId, CommitteeId, Owner};
use dvor_core::activity::{Activity, ActivityKind};
use dvor_core::date::Date;
use dvor_core::geo::{Location, Point};
use dvor_core::hlc::Hlc;
use dvor_core::i18n::{Lang, strings};
use dvor_core::id::RecordId;
use dvor_core::inventory::item::ItemInput;
use dvor_core::inventory::ledger::{Movement, MovementKind};
use dvor_core::inventory::loan::LoanInput;
use dvor_core::measure::{Count, Measure};
use dvor_core::record::{AuthorId, Envelope, RecordKind};
use dvor_core::report::ReportAnswer;
use dvor_core::report::figures::FIGURES;
use dvor_core::report::totals::Totals;
use dvor_core::site::SiteInput;
use dvor_core::text::Address;
use serde_json::{Value, json};

const RUDNICHNY: Owner = Owner::Committee(CommitteeId(1));
const CENTRAL: Owner = Owner::Committee(CommitteeId(2));
const CENTRE: Owner = Owner::Centre(CentreId(2));
const ACTIVITIES: u16 = 60;
const PERIOD: &str = "from=2025-01-01&to=2025-12-31";

fn id(kind: u16, n: u16) -> RecordId {
    let [a, b] = n.to_be_bytes();
    let [k, l] = kind.to_be_bytes();
    RecordId::from_parts(
        1_735_700_000_000 + u64::from(n),
        [k, l, a, b, 0, 0, 0, 0, 0, 1],
    )
}

fn envelope(
    id: RecordId,
    kind: RecordKind,
    owner: Owner,
    values: BTreeMap<String, Value>,
) -> Envelope {
    Envelope::change(
        id,
        kind,
        AuthorId::user(ADMIN_ID),
        owner,
        Hlc::new(now_ms() - 60_000, 0, node(3)),
        values,
        Some(false),
    )
}

/// Two sites per committee; the second of each has no location.
fn site(n: u16) -> (RecordId, Owner, Envelope) {
    let owner = if n < 2 { RUDNICHNY } else { CENTRAL };
    let site = SiteInput {
        id: id(1, n).to_string(),
        name: format!("Двор, Весенняя, {n}"),
        site_kind: "yard".to_owned(),
        owner: Some(owner),
        address: format!("ул. Весенняя, {n}"),
        location: n.is_multiple_of(2).then(|| Location {
            point: Point::from_degrees(55.35 + f64::from(n) / 100.0, 86.08).expect("a point"),
            accuracy_m: None,
            outside_city: false,
        }),
        ..SiteInput::default()
    }
    .validate()
    .expect("a valid site");
    (
        site.id,
        owner,
        envelope(site.id, RecordKind::Site, owner, site.values()),
    )
}

/// Subbotniks from mid-December 2024 through 2025, in turn at each committee, every third at
/// one of the two sites of its committee.
fn activity(n: u16) -> Activity {
    let owner = if n.is_multiple_of(2) {
        RUDNICHNY
    } else {
        CENTRAL
    };
    let first = if owner == RUDNICHNY { 0 } else { 2 };
    let site = n.is_multiple_of(3).then(|| id(1, first + n / 6 % 2));
    Activity {
        id: id(2, n),
        kind: ActivityKind::CleanupDay,
        date: Date::from_ymd(2024, 12, 15)
            .expect("a day")
            .plus_days(u32::from(n) * 7),
        owner,
        title: None,
        part_of: None,
        site,
        site_address: Address::parse("ул. Весенняя, 5, \"двор\"").ok(),
        variant: None,
        youth: false,
        measures: [
            (Measure::Participants, Count::from(3 + u32::from(n % 5))),
            (Measure::Bags, Count::from(10 + u32::from(n))),
        ]
        .into_iter()
        .collect(),
        photos: Vec::new(),
    }
}

/// A ball at the central centre: received once a month of 2025 and once in 2024; and its
/// desk's loans.
fn ledger() -> Vec<Envelope> {
    let item = ItemInput {
        id: id(3, 0).to_string(),
        name: "Мяч футбольный, №5".to_owned(),
        category: "Спортинвентарь".to_owned(),
        unit: "шт.".to_owned(),
        kind: "durable".to_owned(),
        owner: Some(CENTRE),
        ..ItemInput::default()
    }
    .validate()
    .expect("a valid item");
    let mut records = vec![envelope(item.id, RecordKind::Item, CENTRE, item.values())];
    // Noon in Kemerovo on the 10th of each month, and one in December 2024.
    for (n, (year, month)) in
        (1u16..).zip([(2024, 12)].into_iter().chain((1..=12).map(|m| (2025, m))))
    {
        let day = Date::from_ymd(year, month, 10).expect("a day");
        let made = day.midnight_unix_ms() + 5 * 3_600_000;
        let movement = Movement {
            id: RecordId::from_parts(made, [9, 9, 0, 0, 0, 0, 0, 0, 0, n as u8]),
            item: item.id,
            place: CENTRE,
            kind: MovementKind::Received,
            quantity: u32::from(n),
        };
        records.push(envelope(
            movement.id,
            RecordKind::Movement,
            CENTRE,
            movement.values(),
        ));
    }
    // Loans of the desk: two in 2025, one in December 2024.
    for (n, (year, month)) in (20u8..).zip([(2024, 12), (2025, 3), (2025, 7)]) {
        let made = Date::from_ymd(year, month, 5)
            .expect("a day")
            .midnight_unix_ms();
        let loan = LoanInput {
            id: RecordId::from_parts(made, [8, 8, 0, 0, 0, 0, 0, 0, 0, n]).to_string(),
            place: Some(CENTRE),
            name: "Иван Петров".to_owned(),
            phone: "+7 900 000-00-00".to_owned(),
            due: "2100-01-01".to_owned(),
        }
        .validate(Date::from_ymd(2000, 1, 1).expect("a day"))
        .expect("a valid loan");
        records.push(envelope(loan.id, RecordKind::Loan, CENTRE, loan.values()));
    }
    records
}

struct City {
    app: TestApp,
    admin: String,
    coordinator: String,
    chair: String,
    activities: Vec<Activity>,
    sites: Vec<(RecordId, Owner)>,
    _temp: tempfile::TempDir,
}

async fn city() -> City {
    let (mut app, admin, temp) = city_with_admin(json!([
        {"name": "Рудничный", "committees": ["Забойщик"], "centres": ["ЦРН Рудничный"]},
        {"name": "Центральный", "committees": ["Центр"], "centres": ["ЦРН Центральный"]}
    ]))
    .await;
    app.token = Some(admin.clone());
    let sites: Vec<_> = (0..4).map(site).collect();
    let activities: Vec<_> = (0..ACTIVITIES).map(activity).collect();
    let records = sites
        .iter()
        .map(|(_, _, e)| e.clone())
        .chain(
            activities
                .iter()
                .map(|a| envelope(a.id, RecordKind::Activity, a.owner, a.values())),
        )
        .chain(ledger());
    let mutations: Vec<_> = records
        .enumerate()
        .map(|(i, e)| mutation(3, i as u64, e))
        .collect();
    app.push_applied(&mutations).await;
    let coordinator = join(
        &app,
        &admin,
        json!({"role": "coordinator", "scope": {"district": 2}}),
        "coord@example.ru",
    )
    .await;
    let chair = join(
        &app,
        &admin,
        json!({"role": "chair", "scope": {"committee": 2}}),
        "chair@example.ru",
    )
    .await;
    City {
        app,
        admin,
        coordinator: coordinator.token,
        chair: chair.token,
        activities,
        sites: sites
            .into_iter()
            .map(|(id, owner, _)| (id, owner))
            .collect(),
        _temp: temp,
    }
}

async fn get(app: &TestApp, token: &str, path: &str) -> reqwest::Response {
    app.client
        .get(app.url(&format!("/api/v1/export/{path}")))
        .bearer_auth(token)
        .send()
        .await
        .expect("answers")
}

async fn file(app: &TestApp, token: &str, path: &str) -> (reqwest::header::HeaderMap, Vec<u8>) {
    let response = get(app, token, path).await;
    assert_eq!(response.status(), 200, "{path}");
    let headers = response.headers().clone();
    (headers, response.bytes().await.expect("a body").to_vec())
}

/// A CSV file's headings and rows, its BOM checked.
fn csv_rows(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    let text = text.strip_prefix('\u{feff}').expect("a BOM");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headings = reader
        .headers()
        .expect("headings")
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("a row").iter().map(str::to_owned).collect())
        .collect();
    (headings, rows)
}

/// A workbook's sheet as text and numbers, its first row the headings.
fn sheet(bytes: &[u8], name: &str) -> Vec<Vec<Data>> {
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("a workbook");
    let range = workbook.worksheet_range(name).expect("the sheet");
    range.rows().map(<[Data]>::to_vec).collect()
}

fn column(headings: &[String], heading: &str) -> usize {
    headings
        .iter()
        .position(|h| h == heading)
        .unwrap_or_else(|| panic!("no column {heading}"))
}

fn in_2025(a: &Activity) -> bool {
    a.date.year() == 2025
}

fn bags(activities: &[&Activity]) -> u64 {
    activities
        .iter()
        .map(|a| {
            a.measures
                .get(&Measure::Bags)
                .map_or(0, |c| u64::from(c.get()))
        })
        .sum()
}

#[tokio::test]
async fn activities_read_back_with_their_counts_in_csv_and_xlsx_within_the_scope() {
    let city = city().await;
    let bags_heading = "Мешки с мусором, шт.";
    for (token, keep) in [
        (
            &city.admin,
            Box::new(|_: &Activity| true) as Box<dyn Fn(&Activity) -> bool>,
        ),
        (
            &city.coordinator,
            Box::new(|a: &Activity| a.owner == CENTRAL),
        ),
    ] {
        let expected: Vec<&Activity> = city
            .activities
            .iter()
            .filter(|a| in_2025(a) && keep(a))
            .collect();
        let (headers, bytes) = file(&city.app, token, &format!("activities.csv?{PERIOD}")).await;
        assert_eq!(headers["dvor-rows"], expected.len().to_string());
        assert!(
            headers["content-disposition"]
                .to_str()
                .expect("text")
                .contains("activities-2025-01-01-2025-12-31.csv")
        );
        let (headings, rows) = csv_rows(&bytes);
        assert_eq!(rows.len(), expected.len());
        let bags_at = column(&headings, bags_heading);
        let sum: u64 = rows
            .iter()
            .map(|r| r[bags_at].parse::<u64>().expect("a count"))
            .sum();
        assert_eq!(sum, bags(&expected));
        let dates: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
        assert!(dates.is_sorted(), "by date");
        assert_eq!(
            rows[0][column(&headings, "Адрес")],
            "ул. Весенняя, 5, \"двор\""
        );
        let district = column(&headings, "Район");
        if token == &city.coordinator {
            assert!(rows.iter().all(|r| r[district] == "Центральный"));
        }
        let at_site = rows
            .iter()
            .filter(|r| r[column(&headings, "Объект")].starts_with("Двор, Весенняя"))
            .count();
        assert_eq!(
            at_site,
            expected.iter().filter(|a| a.site.is_some()).count()
        );

        let (_, bytes) = file(&city.app, token, &format!("activities.xlsx?{PERIOD}")).await;
        let rows = sheet(&bytes, "Работы");
        assert_eq!(rows.len(), expected.len() + 1, "headings and a row each");
        let headings: Vec<String> = rows[0].iter().map(ToString::to_string).collect();
        let bags_at = column(&headings, bags_heading);
        let sum: f64 = rows[1..]
            .iter()
            .map(|r| r[bags_at].get_float().expect("a number"))
            .sum();
        assert_eq!(sum as u64, bags(&expected));
        assert!(matches!(rows[1][0], Data::DateTime(_)), "{:?}", rows[1][0]);
        assert_eq!(
            rows[1][0].as_date().map(|d| d.to_string()),
            Some(expected[0].date.to_string())
        );
    }
}

#[tokio::test]
async fn sites_carry_the_work_of_the_period_in_geojson_xlsx_and_csv() {
    let city = city().await;
    let (headers, bytes) = file(&city.app, &city.admin, &format!("sites.geojson?{PERIOD}")).await;
    assert_eq!(headers["content-type"], "application/geo+json");
    assert_eq!(headers["dvor-rows"], "4");
    let collection: Value = serde_json::from_slice(&bytes).expect("GeoJSON");
    assert_eq!(collection["type"], "FeatureCollection");
    let features = collection["features"].as_array().expect("features");
    assert_eq!(features.len(), city.sites.len());
    for (site, _) in &city.sites {
        let feature = features
            .iter()
            .find(|f| f["properties"]["id"] == site.to_string())
            .expect("every site");
        let works: Vec<&Activity> = city
            .activities
            .iter()
            .filter(|a| in_2025(a) && a.site == Some(*site))
            .collect();
        assert_eq!(feature["properties"]["works"], works.len());
        assert_eq!(feature["properties"]["bags"], bags(&works));
        assert_eq!(
            feature["properties"]["last_work"],
            works
                .iter()
                .map(|a| a.date.to_string())
                .max()
                .expect("work at every site")
        );
        let has_point = feature["geometry"]["type"] == "Point";
        assert_eq!(
            has_point,
            feature["properties"]["name"]
                .as_str()
                .is_some_and(|n| n.ends_with('0') || n.ends_with('2'))
        );
    }

    let (_, bytes) = file(
        &city.app,
        &city.coordinator,
        &format!("sites.xlsx?{PERIOD}"),
    )
    .await;
    let rows = sheet(&bytes, "Объекты");
    assert_eq!(
        rows.len(),
        3,
        "headings and the two sites of the coordinator's district"
    );
    let headings: Vec<String> = rows[0].iter().map(ToString::to_string).collect();
    let total: f64 = rows[1..]
        .iter()
        .map(|r| {
            r[column(&headings, "Мешки с мусором, шт.")]
                .get_float()
                .unwrap_or(0.0)
        })
        .sum();
    let central: Vec<&Activity> = city
        .activities
        .iter()
        .filter(|a| in_2025(a) && a.owner == CENTRAL && a.site.is_some())
        .collect();
    assert_eq!(total as u64, bags(&central));

    let (_, bytes) = file(&city.app, &city.coordinator, &format!("sites.csv?{PERIOD}")).await;
    let (headings, rows) = csv_rows(&bytes);
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter()
            .all(|r| r[column(&headings, "Район")] == "Центральный")
    );
}

#[tokio::test]
async fn the_ledger_holds_the_movements_of_the_period() {
    let city = city().await;
    let (headers, bytes) = file(&city.app, &city.admin, &format!("ledger.csv?{PERIOD}")).await;
    assert_eq!(headers["dvor-rows"], "12");
    let (headings, rows) = csv_rows(&bytes);
    let quantities: Vec<i64> = rows
        .iter()
        .map(|r| {
            r[column(&headings, "Количество")]
                .parse()
                .expect("a number")
        })
        .collect();
    assert_eq!(
        quantities,
        (2..=13).collect::<Vec<_>>(),
        "2025's, in the order they were made"
    );
    assert!(
        rows.iter()
            .all(|r| r[column(&headings, "Предмет")] == "Мяч футбольный, №5")
    );
    assert_eq!(rows[0][0], "2025-01-10 12:00");

    let (_, bytes) = file(
        &city.app,
        &city.coordinator,
        "ledger.xlsx?from=2024-12-01&to=2025-01-31",
    )
    .await;
    let rows = sheet(&bytes, "Журнал инвентаря");
    assert_eq!(rows.len(), 3, "headings, December 2024 and January 2025");
}

#[tokio::test]
async fn the_report_workbook_gives_the_reports_figures() {
    let city = city().await;
    let t = strings(Lang::Ru);
    for token in [&city.admin, &city.coordinator] {
        let answer: ReportAnswer = city
            .app
            .client
            .get(city.app.url(&format!("/api/v1/report?{PERIOD}")))
            .bearer_auth(token)
            .send()
            .await
            .expect("answers")
            .json()
            .await
            .expect("a report");
        let totals = Totals::of(&answer.rows, &answer.loans);
        let (_, bytes) = file(&city.app, token, &format!("report.xlsx?{PERIOD}")).await;
        let rows = sheet(&bytes, "Отчёт");
        assert_eq!(rows.len(), FIGURES.len() + 1);
        for row in &rows[1..] {
            let figure = FIGURES
                .iter()
                .find(|f| row[1].get_string() == Some((t.common.report_figure)(f.key)))
                .expect("a figure by its name");
            assert_eq!(
                row[2].get_float().expect("a number") as u64,
                totals.all[figure.key],
                "{}",
                figure.key
            );
        }
        assert!(totals.all["bags"] > 0);
        assert_eq!(totals.all["inventory_loans"], 2, "the desk's loans of 2025");
        let by_district = sheet(&bytes, "По районам");
        let districts = if token == &city.admin { 2 } else { 1 };
        assert_eq!(by_district.len(), districts + 1);
        let by_month = sheet(&bytes, "По месяцам");
        assert_eq!(by_month.len(), 12 + 1);
        // Each committee and centre with its district, since names repeat across districts.
        let by_place = sheet(&bytes, "По ТОС и ЦРН");
        let text = |cell: &Data| cell.get_string().unwrap_or_default().to_owned();
        assert_eq!(
            by_place[0][..2].iter().map(text).collect::<Vec<_>>(),
            [t.common.report_place, "Район"]
        );
        let lies_in = BTreeMap::from([
            ("Забойщик", "Рудничный"),
            ("ЦРН Рудничный", "Рудничный"),
            ("Центр", "Центральный"),
            ("ЦРН Центральный", "Центральный"),
        ]);
        assert!(by_place.len() > districts, "{by_place:?}");
        for row in &by_place[1..] {
            assert_eq!(
                lies_in.get(text(&row[0]).as_str()).copied(),
                Some(text(&row[1]).as_str()),
                "{row:?}"
            );
        }
    }
}

#[tokio::test]
async fn exports_are_refused_to_those_without_the_right_and_for_bad_requests() {
    let city = city().await;
    let refused = get(&city.app, &city.chair, &format!("activities.csv?{PERIOD}")).await;
    assert_eq!(refused.status(), 403);
    for (path, status) in [
        (format!("activities.pdf?{PERIOD}"), 404),
        (format!("report.csv?{PERIOD}"), 404),
        (format!("people.csv?{PERIOD}"), 404),
        (
            "activities.csv?from=2025-02-01&to=2025-01-01".to_owned(),
            400,
        ),
        (
            "activities.csv?from=2025-01-01&to=2025-12-31&owner=club:1".to_owned(),
            400,
        ),
        (
            "activities.csv?from=2025-13-01&to=2025-12-31".to_owned(),
            400,
        ),
    ] {
        assert_eq!(
            get(&city.app, &city.admin, &path).await.status(),
            status,
            "{path}"
        );
    }
    let anonymous = city
        .app
        .client
        .get(
            city.app
                .url(&format!("/api/v1/export/activities.csv?{PERIOD}")),
        )
        .send()
        .await
        .expect("answers");
    assert_eq!(anonymous.status(), 401);
    // The coordinator's district has no sites of the other district, whatever is asked.
    let (_, bytes) = file(
        &city.app,
        &city.coordinator,
        &format!("sites.csv?{PERIOD}&district=1"),
    )
    .await;
    assert_eq!(csv_rows(&bytes).1.len(), 0);
}
