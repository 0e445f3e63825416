//! Push and pull over real HTTP on 127.0.0.1 against a real SQLite file: every mutation applied
//! at most once, conflicts merged the same way whatever the order, every change pulled once.

use crate::util::{
    TestApp, change, creation, mutation, now_ms, record, signed_in_city, subbotnik_values,
};
use dvor_core::error::ErrorCode;
use dvor_core::hlc::MAX_DRIFT_MS;
use dvor_core::protocol::{Mutation, Outcome, PushResponse};
use dvor_core::record::AuthorId;
use dvor_server::db::Location;
use serde_json::json;

fn applied(n: usize) -> Vec<Outcome> {
    vec![Outcome::Applied; n]
}

fn outcomes(response: &dvor_core::protocol::PushResponse) -> Vec<Outcome> {
    response.results.iter().map(|r| r.outcome.clone()).collect()
}

fn one_value(
    name: &str,
    value: serde_json::Value,
) -> std::collections::BTreeMap<String, serde_json::Value> {
    [(name.to_owned(), value)].into()
}

#[tokio::test]
async fn a_pushed_record_is_pulled_as_it_was_written_and_survives_a_restart() {
    let app = signed_in_city().await;
    let created = change(record(1), 1, now_ms(), 0, subbotnik_values(40), Some(false));
    let response = app.push(&[mutation(1, 1, created.clone())]).await;
    assert_eq!(outcomes(&response), applied(1));
    assert!(response.server_time_ms.abs_diff(now_ms()) < 60_000);
    let app = app.restart().await;
    assert_eq!(app.pull_all().await, vec![created]);
}

#[tokio::test]
async fn a_retried_push_changes_nothing_and_gets_the_same_answers() {
    let app = signed_in_city().await;
    let now = now_ms();
    let batch = vec![
        mutation(
            1,
            1,
            change(record(1), 1, now, 0, subbotnik_values(1), Some(false)),
        ),
        mutation(
            1,
            2,
            change(record(2), 1, now, 1, subbotnik_values(2), Some(false)),
        ),
        mutation(
            1,
            3,
            change(
                record(1),
                1,
                now,
                2,
                one_value("date", json!("2999-01-01")),
                None,
            ),
        ),
    ];
    let first = app.push(&batch).await;
    let before = app.pull(0, 100).await;
    // The reply was lost; the device sends the batch again, and once more with a later
    // mutation appended.
    let again = app.push(&batch).await;
    assert_eq!(again.results, first.results);
    let mut longer = batch.clone();
    longer.push(mutation(
        1,
        4,
        change(record(3), 1, now, 3, subbotnik_values(3), Some(false)),
    ));
    let third = app.push(&longer).await;
    assert_eq!(third.results[..3], first.results[..]);
    let after = app.pull(0, 100).await;
    assert_eq!(
        after.changes[..2],
        before.changes[..],
        "nothing changed twice"
    );
    assert_eq!(after.changes.len(), 3);
    assert_eq!(after.cursor, before.cursor + 1);
}

#[tokio::test]
async fn a_batch_that_repeats_a_mutation_and_changes_a_record_twice_applies_each_once() {
    let app = signed_in_city().await;
    let now = now_ms();
    let created = mutation(
        1,
        1,
        change(record(1), 1, now, 0, subbotnik_values(1), Some(false)),
    );
    let edited = mutation(
        1,
        2,
        change(
            record(1),
            1,
            now,
            1,
            one_value("site_address", json!("Ягуновский")),
            None,
        ),
    );
    let batch = vec![created.clone(), edited.clone(), created.clone()];
    let response = app.push(&batch).await;
    assert_eq!(outcomes(&response), applied(3));
    let page = app.pull(0, 100).await;
    assert_eq!(page.changes.len(), 1, "one record, pulled once");
    assert_eq!(page.cursor, 1, "one new sequence number for the record");
    let expected = created.change.merged(&edited.change).expect("same record");
    assert_eq!(page.changes[0], expected);
}

#[tokio::test]
async fn a_refused_mutation_is_answered_in_russian_and_does_not_stop_the_ones_after_it() {
    let app = signed_in_city().await;
    let now = now_ms();
    let mut negative = subbotnik_values(0);
    negative.insert("measures.bags".into(), json!(-3));
    let batch = vec![
        mutation(1, 1, change(record(1), 1, now, 0, negative, Some(false))),
        mutation(
            1,
            2,
            change(
                record(2),
                1,
                now,
                1,
                one_value("site_address", json!("Рудник")),
                None,
            ),
        ),
        mutation(
            1,
            3,
            change(record(3), 1, now, 2, subbotnik_values(5), Some(false)),
        ),
    ];
    let response = app.push(&batch).await;
    assert_eq!(
        outcomes(&response),
        vec![
            Outcome::Rejected {
                code: ErrorCode::Negative,
                message: "Число не может быть отрицательным".into(),
                field: Some("measures.bags".into()),
            },
            Outcome::Rejected {
                code: ErrorCode::UnknownKind,
                message: "Неизвестный вид мероприятия".into(),
                field: Some("kind".into()),
            },
            Outcome::Applied,
        ]
    );
    let pulled = app.pull_all().await;
    assert_eq!(
        pulled.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![record(3)]
    );
}

#[tokio::test]
async fn edits_merge_field_by_field_and_the_later_write_wins_in_either_order() {
    let now = now_ms();
    let created = mutation(
        1,
        1,
        change(
            record(1),
            1,
            now - 10_000,
            0,
            subbotnik_values(1),
            Some(false),
        ),
    );
    // Two devices edit offline: device 2 later (date), device 3 earlier (date and address).
    // The later date and the only address edit must both survive.
    let later = mutation(
        2,
        1,
        change(
            record(1),
            2,
            now - 1_000,
            0,
            one_value("date", json!("2024-05-19")),
            None,
        ),
    );
    let mut both = one_value("date", json!("2024-05-17"));
    both.insert("site_address".into(), json!("ул. Весенняя, 3"));
    let earlier = mutation(3, 1, change(record(1), 3, now - 2_000, 0, both, None));
    let mut finals = Vec::new();
    for order in [[&later, &earlier], [&earlier, &later]] {
        let app = signed_in_city().await;
        app.push(std::slice::from_ref(&created)).await;
        for m in order {
            assert_eq!(
                outcomes(&app.push(std::slice::from_ref(m)).await),
                applied(1)
            );
        }
        let pulled = app.pull_all().await;
        let values = pulled[0].values();
        assert_eq!(values["date"], json!("2024-05-19"));
        assert_eq!(values["site_address"], json!("ул. Весенняя, 3"));
        finals.push(pulled);
    }
    assert_eq!(finals[0], finals[1]);
}

#[tokio::test]
async fn a_deleted_record_stays_deleted_when_an_older_edit_arrives() {
    let app = signed_in_city().await;
    let now = now_ms();
    app.push(&[mutation(
        1,
        1,
        change(
            record(1),
            1,
            now - 5_000,
            0,
            subbotnik_values(1),
            Some(false),
        ),
    )])
    .await;
    app.push(&[mutation(
        2,
        1,
        change(record(1), 2, now - 1_000, 0, Default::default(), Some(true)),
    )])
    .await;
    let stale = mutation(
        3,
        1,
        change(
            record(1),
            3,
            now - 3_000,
            0,
            one_value("site_address", json!("Кедровка")),
            None,
        ),
    );
    assert_eq!(outcomes(&app.push(&[stale]).await), applied(1));
    let pulled = app.pull_all().await;
    assert!(pulled[0].is_deleted());
    assert_eq!(pulled[0].values()["site_address"], json!("Кедровка"));
}

#[tokio::test]
async fn a_device_clock_far_ahead_is_refused_so_it_cannot_win_every_conflict() {
    let app = signed_in_city().await;
    let ahead = now_ms() + MAX_DRIFT_MS + 60_000;
    let response = app
        .push(&[mutation(
            1,
            1,
            change(record(1), 1, ahead, 0, subbotnik_values(1), Some(false)),
        )])
        .await;
    assert!(matches!(
        &outcomes(&response)[0],
        Outcome::Rejected {
            code: ErrorCode::ClockAhead,
            ..
        }
    ));
    assert_eq!(app.pull_all().await, vec![]);
}

#[tokio::test]
async fn an_id_reused_by_another_author_or_owner_is_refused_and_nothing_changes() {
    let app = signed_in_city().await;
    let now = now_ms();
    let original = change(record(1), 1, now, 0, subbotnik_values(1), Some(false));
    app.push(&[mutation(1, 1, original.clone())]).await;
    let mut other_author = change(record(1), 2, now, 1, subbotnik_values(9), Some(false));
    other_author.author = AuthorId::user(dvor_core::account::UserId(2));
    let mut other_owner = change(record(1), 2, now, 2, subbotnik_values(9), Some(false));
    other_owner.owner = dvor_core::access::Owner::Committee(dvor_core::access::CommitteeId(2));
    let response = app
        .push(&[mutation(2, 1, other_author), mutation(2, 2, other_owner)])
        .await;
    for outcome in outcomes(&response) {
        assert!(matches!(
            outcome,
            Outcome::Rejected {
                code: ErrorCode::IdConflict,
                ..
            }
        ));
    }
    assert_eq!(app.pull_all().await, vec![original]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_pushes_from_two_devices_to_one_record_converge() {
    let app = signed_in_city().await;
    let now = now_ms();
    let created = change(
        record(1),
        1,
        now - 60_000,
        0,
        subbotnik_values(0),
        Some(false),
    );
    app.push(&[mutation(1, 0, created.clone())]).await;
    let edits = |device: u64| -> Vec<Mutation> {
        (1..=20u16)
            .map(|n| {
                let bags = u32::from(n) * 10 + device as u32;
                let mut values = one_value("measures.bags", json!(bags));
                if n % 3 == 0 {
                    values.insert("site_address".into(), json!(format!("ТОС {device}-{n}")));
                }
                mutation(
                    device,
                    u64::from(n),
                    change(
                        record(1),
                        device,
                        now - 30_000 + u64::from(n) * 7,
                        0,
                        values,
                        None,
                    ),
                )
            })
            .collect()
    };
    let (a, b) = (edits(2), edits(3));
    let mut expected = created;
    for m in a.iter().chain(&b) {
        expected.merge(&m.change).expect("same record");
    }
    let batches = [a, b]
        .into_iter()
        .flat_map(|device| device.into_iter().map(|m| vec![m]).collect::<Vec<_>>())
        .collect();
    for answer in push_at_once(&app, batches).await {
        answer.expect("pushed");
    }
    assert_eq!(app.pull_all().await, vec![expected]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pushes_arriving_together_are_each_answered_with_their_own_outcomes() {
    // The server commits pushes that wait for its writer together: each must still get the
    // outcomes of its own mutations, a refusal in one must not touch the others, and a retry
    // arriving with the original must be applied once.
    let app = signed_in_city().await;
    let now = now_ms();
    let create = |n: u16| creation(n, now, u32::from(n));
    let refused = |n: u16| {
        let mut values = subbotnik_values(0);
        values.insert("measures.bags".into(), json!(-1));
        mutation(
            2,
            u64::from(n),
            change(record(n), 2, now, n, values, Some(false)),
        )
    };
    let mut batches: Vec<Vec<Mutation>> = (0..40u16)
        .map(|n| {
            if n % 5 == 0 {
                vec![refused(100 + n), create(n)]
            } else {
                vec![create(n)]
            }
        })
        .collect();
    batches.push(batches[1].clone());
    let answers: Vec<_> = push_at_once(&app, batches.clone())
        .await
        .into_iter()
        .map(|answer| answer.expect("pushed"))
        .collect();
    for (batch, answer) in batches.iter().zip(&answers) {
        let ids: Vec<_> = answer.results.iter().map(|r| r.mutation_id).collect();
        assert_eq!(ids, batch.iter().map(|m| m.mutation_id).collect::<Vec<_>>());
        let expected: Vec<bool> = batch.iter().map(|m| m.change.id < record(100)).collect();
        let applied: Vec<bool> = answer
            .results
            .iter()
            .map(|r| r.outcome == Outcome::Applied)
            .collect();
        assert_eq!(applied, expected, "{:?}", answer.results);
    }
    assert_eq!(answers[40].results, answers[1].results);
    let mut pulled: Vec<_> = app.pull_all().await.iter().map(|r| r.id).collect();
    pulled.sort();
    assert_eq!(pulled, (0..40).map(record).collect::<Vec<_>>());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_push_the_storage_fails_is_undone_alone_among_those_arriving_with_it() {
    let app = signed_in_city().await;
    // The storage refuses one record, as a full disk or a broken page would refuse a write.
    let config = crate::database::config(app.data_dir().to_path_buf()).await;
    let database = crate::database::connect(&config).await;
    // A record id is hex digits and dashes: nothing in it can end the string.
    let refused = record(999);
    let trigger = match config.database() {
        Location::Sqlite(_) => vec![format!(
            "CREATE TRIGGER refuse_one BEFORE INSERT ON records WHEN NEW.id = '{refused}' \
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
        )],
        Location::Postgres(_) => vec![
            format!(
                "CREATE FUNCTION refuse_one() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN IF NEW.id = '{refused}' THEN RAISE EXCEPTION 'refused by the test'; \
                 END IF; RETURN NEW; END $$"
            ),
            "CREATE TRIGGER refuse_one BEFORE INSERT ON records \
             FOR EACH ROW EXECUTE FUNCTION refuse_one()"
                .to_owned(),
        ],
    };
    for statement in trigger {
        sqlx::query(sqlx::AssertSqlSafe(statement))
            .execute(&database)
            .await
            .expect("trigger");
    }
    database.close().await;
    let now = now_ms();
    let create = |n: u16| creation(n, now, 1);
    let mut batches: Vec<Vec<Mutation>> = (0..30u16).map(|n| vec![create(n)]).collect();
    // The failing push also carries a record the storage takes: it must go with the push.
    batches[15] = vec![create(500), create(999)];
    let answers = push_at_once(&app, batches).await;
    for (n, answer) in answers.iter().enumerate() {
        if n == 15 {
            assert_eq!(
                answer.as_ref().err(),
                Some(&reqwest::StatusCode::INTERNAL_SERVER_ERROR)
            );
        } else {
            let results = &answer.as_ref().expect("pushed").results;
            assert!(
                results.iter().all(|r| r.outcome == Outcome::Applied),
                "{results:?}"
            );
        }
    }
    let mut pulled: Vec<_> = app.pull_all().await.iter().map(|r| r.id).collect();
    pulled.sort();
    let expected: Vec<_> = (0..30).filter(|&n| n != 15).map(record).collect();
    assert_eq!(pulled, expected);
}

/// Sends every batch at once, each as a request of its own; the answers, or the status of a
/// request that failed, in the batches' order.
async fn push_at_once(
    app: &TestApp,
    batches: Vec<Vec<Mutation>>,
) -> Vec<Result<PushResponse, reqwest::StatusCode>> {
    let sends: Vec<_> = batches
        .into_iter()
        .map(|batch| {
            let (client, url) = (app.client.clone(), app.url("/api/v1/sync/push"));
            let token = app.token.clone().unwrap_or_default();
            tokio::spawn(async move {
                let response = client
                    .post(url)
                    .bearer_auth(token)
                    .header(
                        dvor_core::protocol::PROTOCOL_HEADER,
                        dvor_core::protocol::PROTOCOL_VERSION.to_string(),
                    )
                    .json(&dvor_core::protocol::PushRequest { mutations: batch })
                    .send()
                    .await
                    .expect("request");
                match response.status() {
                    reqwest::StatusCode::OK => Ok(response
                        .json::<PushResponse>()
                        .await
                        .expect("push response")),
                    status => Err(status),
                }
            })
        })
        .collect();
    let mut answers = Vec::with_capacity(sends.len());
    for send in sends {
        answers.push(send.await.expect("task"));
    }
    answers
}

#[tokio::test]
async fn each_page_says_how_many_changes_follow_it() {
    let app = signed_in_city().await;
    let now = now_ms();
    let batch: Vec<_> = (0..6u16).map(|n| creation(n, now, 1)).collect();
    app.push_applied(&batch).await;
    // What a page holds and says follows it.
    let told =
        |page: &dvor_core::protocol::PullPage| (page.changes.len(), page.remaining, page.has_more);
    let first = app.pull(0, 4).await;
    assert_eq!(told(&first), (4, 2, true));
    // A full page at the very end: nothing follows it.
    let second = app.pull(first.cursor, 2).await;
    assert_eq!(told(&second), (2, 0, false));
    assert_eq!(told(&app.pull(0, 10).await), (6, 0, false));
    let past = app.pull(second.cursor, 10).await;
    assert_eq!(
        (past.changes.len(), past.cursor, past.has_more),
        (0, second.cursor, false)
    );
}

#[tokio::test]
async fn paging_while_others_write_returns_every_change_exactly_once() {
    let app = signed_in_city().await;
    let now = now_ms();
    let create = |n: u16| creation(n, now, 1);
    for n in 0..7 {
        app.push(&[create(n)]).await;
    }
    let (mut seen, mut cursor, mut written) = (Vec::new(), 0, 7);
    loop {
        let page = app.pull(cursor, 3).await;
        seen.extend(page.changes.iter().map(|r| r.id));
        cursor = page.cursor;
        if written < 12 {
            // Someone else writes between our pages.
            app.push(&[create(written)]).await;
            written += 1;
        } else if !page.has_more {
            break;
        }
    }
    assert_eq!(seen, (0..written).map(record).collect::<Vec<_>>());
}

#[tokio::test]
async fn records_from_before_accounts_are_set_aside_not_served_and_not_lost() {
    if crate::database::postgres().is_some() {
        // Accounts came before PostgreSQL: its schema begins after them, with nothing to set
        // aside.
        return;
    }
    let temp = tempfile::tempdir().expect("temp dir");
    let data_dir = temp.path().join("data");
    std::fs::create_dir_all(&data_dir).expect("data dir");
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(data_dir.join("dvor.sqlite3"))
        .create_if_missing(true);
    let pool = sqlx::SqlitePool::connect_with(options.clone())
        .await
        .expect("open");
    sqlx::migrate!("./migrations/sqlite")
        .run_to(5, &pool)
        .await
        .expect("version 5");
    sqlx::query(
        "INSERT INTO records (id, kind, author, seq, hlc, deleted, state, updated_at)
         VALUES ('r1', 'activity', 'device:01', 1, '', 0, '{}', '2025-01-01T00:00:00.000Z')",
    )
    .execute(&pool)
    .await
    .expect("a record from before accounts");
    pool.close().await;

    let (mut app, token) = crate::util::city_with_admin_in(
        data_dir.clone(),
        serde_json::json!([{"name": "Рудничный", "committees": ["Забойщик"], "centres": []}]),
    )
    .await;
    app.token = Some(token);
    assert_eq!(app.pull_all().await, vec![]);
    drop(app);
    let pool = sqlx::SqlitePool::connect_with(options).await.expect("open");
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM records_before_accounts")
        .fetch_one(&pool)
        .await
        .expect("kept");
    assert_eq!(kept, 1);
}

#[tokio::test]
async fn sites_sync_like_activities_and_a_point_outside_the_city_needs_its_confirmation() {
    let app = signed_in_city().await;
    let site = |n: u16, lat_e6: i64, outside_city: bool| {
        let mut location = json!({ "lat_e6": lat_e6, "lon_e6": 86_081_000, "accuracy_m": 9 });
        if outside_city {
            location["outside_city"] = json!(true);
        }
        let mut envelope = change(
            record(n),
            1,
            now_ms(),
            n,
            [
                ("name", json!("Двор на Весенней, 5")),
                ("site_kind", json!("yard")),
                ("address", json!(null)),
                ("location", location),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
            Some(false),
        );
        envelope.kind = dvor_core::record::RecordKind::Site;
        envelope
    };
    let response = app
        .push(&[
            mutation(1, 1, site(1, 55_356_000, false)),
            mutation(1, 2, site(2, 54_000_000, false)),
            mutation(1, 3, site(3, 54_000_000, true)),
        ])
        .await;
    let codes: Vec<Option<ErrorCode>> = outcomes(&response)
        .into_iter()
        .map(|outcome| match outcome {
            Outcome::Applied => None,
            Outcome::Rejected { code, .. } => Some(code),
        })
        .collect();
    assert_eq!(codes, [None, Some(ErrorCode::OutsideCity), None]);
    let pulled = app.pull_all().await;
    let ids: Vec<_> = pulled.iter().map(|r| r.id).collect();
    assert_eq!(ids, [record(1), record(3)]);
    assert!(
        pulled
            .iter()
            .all(|r| r.kind == dvor_core::record::RecordKind::Site)
    );
}

/// Holds the database's write lock from behind the server's back until dropped, as a long
/// write would: pushes arriving meanwhile queue for the writer.
async fn hold_the_write_lock(app: &TestApp) -> sqlx::Transaction<'static, sqlx::Any> {
    let config = crate::database::config(app.data_dir().to_path_buf()).await;
    let pool = crate::database::connect(&config).await;
    #[allow(clippy::disallowed_methods)]
    let mut tx = match config.database() {
        Location::Sqlite(_) => pool.begin_with("BEGIN IMMEDIATE").await,
        Location::Postgres(_) => pool.begin().await,
    }
    .expect("a transaction");
    if matches!(config.database(), Location::Postgres(_)) {
        sqlx::query("SELECT seq FROM sync_counter WHERE id = 1 FOR UPDATE")
            .execute(&mut *tx)
            .await
            .expect("the counter's lock");
    }
    tx
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pushes_written_as_one_group_each_see_those_before_them_under_their_own_rights() {
    let app = signed_in_city().await;
    let admin = app.token.clone().expect("signed in");
    let grant = |committee| json!({"role": "volunteer", "scope": {"committee": committee}});
    let anna = crate::util::join(&app, &admin, grant(1), "anna@example.ru").await;
    let oleg = crate::util::join(&app, &admin, grant(2), "oleg@example.ru").await;
    let now = now_ms();
    let annas = |n: u16, bags: u32| {
        let mut created = creation(n, now, bags);
        created.change.author = AuthorId::user(anna.me.id);
        created
    };
    let edit = |device: u64, n: u16| {
        let values = [("measures.bags".to_owned(), json!(n))]
            .into_iter()
            .collect();
        let mut change = change(record(500), device, now + u64::from(n), n, values, None);
        change.author = AuthorId::user(anna.me.id);
        mutation(device, u64::from(n), change)
    };
    let held = hold_the_write_lock(&app).await;
    // Sent one after another, so they queue in this order: the writer takes the first and waits
    // for the lock; the rest wait for it and are written together.
    let sends = [
        (anna.token.clone(), vec![annas(499, 1)]),
        (anna.token.clone(), vec![annas(500, 1)]),
        (admin.clone(), vec![edit(2, 7)]),
        (oleg.token.clone(), vec![edit(3, 9)]),
        (anna.token.clone(), vec![annas(500, 1)]),
    ];
    let mut waiting = Vec::new();
    for (token, mutations) in sends {
        let mut device = app.at(app.addr);
        device.token = Some(token);
        waiting.push(tokio::spawn(async move { device.push(&mutations).await }));
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    }
    held.rollback().await.expect("released");
    let mut answers = Vec::new();
    for push in waiting {
        answers.push(outcomes(&push.await.expect("answered")));
    }
    assert_eq!(answers[0], applied(1));
    assert_eq!(answers[1], applied(1), "Anna creates the record");
    assert_eq!(
        answers[2],
        applied(1),
        "the admin edits it, written in the same group"
    );
    assert!(
        matches!(
            &answers[3][0],
            Outcome::Rejected {
                code: ErrorCode::OutOfScope,
                ..
            }
        ),
        "Oleg, of another committee, may not: {:?}",
        answers[3]
    );
    assert_eq!(
        answers[4],
        applied(1),
        "a creation sent again gets its first answer"
    );
    let records = app.pull_all().await;
    let made = records
        .iter()
        .find(|r| r.id == record(500))
        .expect("stored once");
    assert_eq!(
        made.fields["measures.bags"].value,
        json!(7),
        "the admin's edit holds"
    );
    assert_eq!(records.iter().filter(|r| r.id == record(500)).count(), 1);
}
