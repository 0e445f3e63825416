//! The report over real HTTP on SQLite: the figures the server's SQL groups, checked against
//! figures counted here straight from the activities the test sent, for several scopes and
//! periods; deletions, the rebuild of the facts and bad queries.

use std::collections::BTreeMap;

use crate::util::{ADMIN_ID, TestApp, city_with_admin, join, mutation, node, now_ms, record};
use dvor_core::access::{CentreId, CommitteeId, DistrictId, Owner};
use dvor_core::activity::{Activity, ActivityKind};
use dvor_core::date::Date;
use dvor_core::hlc::Hlc;
use dvor_core::measure::Count as Counted;
use dvor_core::record::{AuthorId, Envelope, RecordKind};
use dvor_core::report::ReportAnswer;
use dvor_core::report::figures::{Count, FIGURES};
use dvor_core::report::totals::Totals;
use serde_json::json;

/// Every committee and centre of the test city, with its district.
const PLACES: [(Owner, DistrictId); 5] = [
    (Owner::Committee(CommitteeId(1)), DistrictId(1)),
    (Owner::Committee(CommitteeId(2)), DistrictId(1)),
    (Owner::Centre(CentreId(1)), DistrictId(1)),
    (Owner::Committee(CommitteeId(3)), DistrictId(2)),
    (Owner::Centre(CentreId(2)), DistrictId(2)),
];

/// The kinds logged: every kind that stands alone and needs no name.
fn kinds() -> Vec<ActivityKind> {
    ActivityKind::all()
        .filter(|k| k.spec().part_of.is_none() && !k.spec().titled)
        .collect()
}

/// The n-th activity: a kind in turn, a place that keeps that kind, a day within 2025–2026,
/// counts within the kind's bounds.
fn activity(n: u16) -> (Activity, DistrictId) {
    let kinds = kinds();
    let kind = kinds[usize::from(n) % kinds.len()];
    let spec = kind.spec();
    let places: Vec<_> = PLACES
        .iter()
        .filter(|(o, _)| spec.kept_by.allows(*o))
        .collect();
    let (owner, district) = *places[usize::from(n / 7) % places.len()];
    let day = Date::from_ymd(2025, 1, 1)
        .expect("date")
        .plus_days(u32::from(n) * 11 % 700);
    let activity = Activity {
        id: record(n),
        kind,
        date: day,
        owner,
        title: None,
        part_of: None,
        site: None,
        site_address: dvor_core::text::Address::parse("ул. Весенняя, 5").ok(),
        variant: (!spec.variants.is_empty())
            .then(|| spec.variants[usize::from(n) % spec.variants.len()].to_owned()),
        youth: spec.youth && n.is_multiple_of(2),
        measures: spec
            .measures
            .iter()
            .map(|m| {
                (
                    m.measure,
                    Counted::from((m.min + 1 + u32::from(n % 9)).min(m.max)),
                )
            })
            .collect(),
        photos: Vec::new(),
    };
    (activity, district)
}

fn creation(activity: &Activity, n: u16, deleted: bool) -> Envelope {
    Envelope::change(
        activity.id,
        RecordKind::Activity,
        AuthorId::user(ADMIN_ID),
        activity.owner,
        Hlc::new(now_ms() - 60_000, n, node(7)),
        activity.values(),
        Some(deleted),
    )
}

/// The figures counted here, straight from the activities, for those `keep` takes.
fn expected(
    list: &[(Activity, DistrictId)],
    keep: impl Fn(&Activity, DistrictId) -> bool,
) -> BTreeMap<&'static str, u64> {
    FIGURES
        .iter()
        .map(|figure| {
            let value = list
                .iter()
                .filter(|(a, d)| keep(a, *d))
                .filter(|(a, _)| figure.takes(a.kind, a.variant.as_deref(), a.youth))
                .map(|(a, _)| match figure.count {
                    Count::Records => 1,
                    Count::Sum(m) => a.measures.get(&m).map_or(0, |c| u64::from(c.get())),
                    Count::Loans => 0,
                })
                .sum();
            (figure.key, value)
        })
        .collect()
}

async fn report(app: &TestApp, token: &str, query: &str) -> reqwest::Response {
    app.client
        .get(app.url(&format!("/api/v1/report?{query}")))
        .bearer_auth(token)
        .send()
        .await
        .expect("answers")
}

async fn figures(app: &TestApp, token: &str, query: &str) -> BTreeMap<&'static str, u64> {
    let response = report(app, token, query).await;
    assert_eq!(response.status(), 200, "{query}");
    let answer: ReportAnswer = response.json().await.expect("report");
    Totals::of(&answer.rows, &answer.loans).all
}

const ACTIVITIES: u16 = 120;
const DELETED: [u16; 3] = [5, 17, 40];

/// Two districts with their committees and centres, the activities pushed (three deleted
/// after), and district 2's coordinator.
async fn city() -> (
    TestApp,
    String,
    String,
    Vec<(Activity, DistrictId)>,
    tempfile::TempDir,
) {
    let (mut app, admin, temp) = city_with_admin(json!([
        {"name": "Рудничный", "committees": ["Забойщик", "Рудник"], "centres": ["ЦРН Рудничный"]},
        {"name": "Центральный", "committees": ["Центр"], "centres": ["ЦРН Центральный"]}
    ]))
    .await;
    app.token = Some(admin.clone());
    let list: Vec<_> = (0..ACTIVITIES).map(activity).collect();
    let created: Vec<_> = list
        .iter()
        .enumerate()
        .map(|(i, (a, _))| mutation(7, i as u64, creation(a, i as u16, false)))
        .collect();
    app.push_applied(&created).await;
    let deletions: Vec<_> = DELETED
        .iter()
        .map(|n| {
            mutation(
                7,
                1_000 + u64::from(*n),
                creation(&list[usize::from(*n)].0, 500 + n, true),
            )
        })
        .collect();
    app.push_applied(&deletions).await;
    let coordinator = join(
        &app,
        &admin,
        json!({"role": "coordinator", "scope": {"district": 2}}),
        "coord@example.ru",
    )
    .await;
    let live = list
        .into_iter()
        .filter(|(a, _)| !DELETED.iter().any(|n| record(*n) == a.id))
        .collect();
    (app, admin, coordinator.token, live, temp)
}

#[tokio::test]
async fn figures_match_the_activities_for_every_scope_and_period() {
    let (app, admin, coordinator, list, _temp) = city().await;
    let all_time = "from=2000-01-01&to=2030-12-31";
    assert_eq!(
        figures(&app, &admin, all_time).await,
        expected(&list, |_, _| true)
    );
    let in_2025 = |a: &Activity| a.date.year() == 2025;
    assert_eq!(
        figures(&app, &admin, "from=2025-01-01&to=2025-12-31").await,
        expected(&list, |a, _| in_2025(a))
    );
    // Whole months and the days around them, and days within one month.
    for (from, to) in [("2025-03-17", "2026-02-09"), ("2025-06-03", "2025-06-20")] {
        let (from, to): (Date, Date) = (from.parse().expect("date"), to.parse().expect("date"));
        assert_eq!(
            figures(&app, &admin, &format!("from={from}&to={to}")).await,
            expected(&list, |a, _| a.date >= from && a.date <= to),
            "{from}…{to}"
        );
    }
    let may = |a: &Activity| a.date.year() == 2026 && a.date.month() == 5;
    assert_eq!(
        figures(&app, &admin, "from=2026-05-01&to=2026-05-31&district=1").await,
        expected(&list, |a, d| may(a) && d == DistrictId(1))
    );
    assert_eq!(
        figures(&app, &admin, &format!("{all_time}&owner=committee:2")).await,
        expected(&list, |a, _| a.owner == Owner::Committee(CommitteeId(2)))
    );
    // A coordinator sees their district only, asked for the city or not.
    let theirs = expected(&list, |_, d| d == DistrictId(2));
    assert_eq!(figures(&app, &coordinator, all_time).await, theirs);
    assert_eq!(
        figures(&app, &coordinator, &format!("{all_time}&district=2")).await,
        theirs
    );
    assert!(
        figures(&app, &coordinator, &format!("{all_time}&district=1"))
            .await
            .values()
            .all(|v| *v == 0)
    );
    assert!(
        theirs.values().any(|v| *v > 0),
        "the test city has work in district 2"
    );
}

#[tokio::test]
async fn the_facts_are_rebuilt_from_the_records_when_their_definition_changes() {
    let (app, admin, _coordinator, list, _temp) = city().await;
    let config = crate::database::config(app.data_dir().to_path_buf()).await;
    let app = app.restart().await;
    {
        let pool = crate::database::connect(&config).await;
        sqlx::query("UPDATE facts_version SET version = 0")
            .execute(&pool)
            .await
            .expect("stale");
        sqlx::query(
            "DELETE FROM activity_facts WHERE id IN \
             (SELECT id FROM activity_facts ORDER BY id LIMIT (SELECT COUNT(*) / 2 FROM activity_facts))",
        )
        .execute(&pool)
        .await
        .expect("damaged");
        pool.close().await;
    }
    let mut app = app.restart().await;
    app.token = Some(admin.clone());
    assert_eq!(
        figures(&app, &admin, "from=2000-01-01&to=2030-12-31").await,
        expected(&list, |_, _| true)
    );
    assert_eq!(
        figures(&app, &admin, "from=2025-02-11&to=2025-09-03").await,
        expected(&list, |a, _| a.date >= day("2025-02-11")
            && a.date <= day("2025-09-03"))
    );
}

fn day(text: &str) -> Date {
    text.parse().expect("date")
}

#[tokio::test]
async fn a_changed_activity_moves_between_months_and_counts_anew() {
    let (app, admin, _coordinator, mut list, _temp) = city().await;
    let (moved, _) = &mut list[0];
    moved.date = day("2026-07-14");
    moved.measures = moved
        .measures
        .iter()
        .map(|(m, c)| (*m, Counted::from(c.get() + 1)))
        .collect();
    let change = Envelope::change(
        moved.id,
        RecordKind::Activity,
        AuthorId::user(ADMIN_ID),
        moved.owner,
        Hlc::new(now_ms(), 900, node(7)),
        moved.values(),
        None,
    );
    let answer = app.push(&[mutation(7, 9_000, change)]).await;
    assert!(
        matches!(
            answer.results[0].outcome,
            dvor_core::protocol::Outcome::Applied
        ),
        "{answer:?}"
    );
    assert_eq!(
        figures(&app, &admin, "from=2000-01-01&to=2030-12-31").await,
        expected(&list, |_, _| true)
    );
    assert_eq!(
        figures(&app, &admin, "from=2026-07-01&to=2026-07-31").await,
        expected(&list, |a, _| a.date.year() == 2026 && a.date.month() == 7)
    );
}

#[tokio::test]
async fn bad_questions_are_refused() {
    let (app, admin, _coordinator, _list, _temp) = city().await;
    for (query, field) in [
        ("from=2026-02-01&to=2026-01-01", "to"),
        ("from=2026-01-01&to=2026-01-31&owner=street:1", "owner"),
    ] {
        let response = report(&app, &admin, query).await;
        assert_eq!(response.status(), 400, "{query}");
        let body: serde_json::Value = response.json().await.expect("json");
        assert_eq!(body["error"]["field"], field, "{query}");
    }
    assert_eq!(
        report(&app, &admin, "from=вчера&to=2026-01-01")
            .await
            .status(),
        400
    );
    let anonymous = app
        .client
        .get(app.url("/api/v1/report?from=2026-01-01&to=2026-01-31"))
        .send()
        .await
        .expect("answers");
    assert_eq!(anonymous.status(), 401);
}
