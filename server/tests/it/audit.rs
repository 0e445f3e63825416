//! The audit log over real HTTP: each administrative act leaves one entry with who, when, from
//! where and what; admins read the city's, a coordinator their district's, others nothing;
//! entries page, filter and download; nothing can change one.

use dvor_core::audit::{AuditAct, AuditEntry, AuditKind, AuditPage, ReferencePart};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::util::{ADMIN, TestApp, city_with_admin, join};

async fn get(app: &TestApp, token: &str, path: &str) -> reqwest::Response {
    app.client
        .get(app.url(&format!("/api/v1{path}")))
        .bearer_auth(token)
        .send()
        .await
        .expect("answered")
}

async fn post(app: &TestApp, token: Option<&str>, path: &str, body: Value) -> Value {
    let mut request = app
        .client
        .post(app.url(&format!("/api/v1{path}")))
        .json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("answered");
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    response.json().await.unwrap_or(Value::Null)
}

/// Every entry `token` may read, of `kind` if given, newest first, a page of two at a time.
async fn read(app: &TestApp, token: &str, kind: Option<AuditKind>) -> Vec<AuditEntry> {
    let mut entries = Vec::new();
    let mut before = None;
    loop {
        let mut path = "/audit?limit=2".to_owned();
        if let Some(kind) = kind {
            path.push_str(&format!("&kind={kind}"));
        }
        if let Some(before) = before {
            path.push_str(&format!("&before={before}"));
        }
        let response = get(app, token, &path).await;
        assert_eq!(response.status(), StatusCode::OK);
        let page: AuditPage = response.json().await.expect("a page");
        assert!(page.entries.len() <= 2);
        entries.extend(page.entries);
        match page.next {
            Some(next) => before = Some(next),
            None => return entries,
        }
    }
}

fn kinds(entries: &[AuditEntry]) -> Vec<AuditKind> {
    entries.iter().map(|entry| entry.act.kind()).collect()
}

#[tokio::test]
async fn each_act_is_noted_once_and_read_by_whom_it_concerns() {
    let (app, admin, _temp) = city_with_admin(json!([
        {"name": "Рудничный", "committees": ["Забойщик"], "centres": []},
        {"name": "Кедровка", "committees": ["Лидер"], "centres": []}
    ]))
    .await;
    // Joining makes an invite and uses it: two entries each.
    let coordinator = join(
        &app,
        &admin,
        json!({"role": "coordinator", "scope": {"district": 1}}),
        "coordinator@example.ru",
    )
    .await;
    let volunteer = join(
        &app,
        &admin,
        json!({"role": "volunteer", "scope": {"committee": 2}}),
        "volunteer@example.ru",
    )
    .await;
    let added = post(
        &app,
        Some(&admin),
        "/reference/committees",
        json!({"district": 2, "name": "Кедр"}),
    )
    .await;
    let export = get(
        &app,
        &coordinator.token,
        "/export/activities.csv?from=2026-01-01&to=2026-12-31",
    )
    .await;
    assert_eq!(export.status(), StatusCode::OK);
    post(
        &app,
        Some(&volunteer.token),
        "/auth/sessions/end-all",
        json!({}),
    )
    .await;
    let code = post(
        &app,
        Some(&admin),
        "/auth/reset-codes",
        json!({"login": "volunteer@example.ru"}),
    )
    .await;
    let reset = post(
        &app,
        None,
        "/auth/reset",
        json!({"login": "volunteer@example.ru", "code": code["code"], "new_password": "новый пароль для входа"}),
    )
    .await;
    // Guessing the admin's password until braked: one entry, however many are refused.
    for _ in 0..8 {
        app.client
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"login": ADMIN, "password": "не тот пароль"}))
            .send()
            .await
            .expect("answered");
    }

    let all = read(&app, &admin, None).await;
    use AuditKind::*;
    assert_eq!(
        kinds(&all),
        [
            AttemptsBraked,
            PasswordReset,
            ResetCodeMade,
            SessionsEnded,
            ExportDownloaded,
            ReferenceAdded,
            InviteUsed,
            InviteMade,
            InviteUsed,
            InviteMade,
        ],
        "newest first, each once"
    );
    let at = |kind| all.iter().find(|e| e.act.kind() == kind).expect("noted");
    let invited = at(InviteMade);
    assert_eq!(invited.actor_name.as_deref(), Some("Администратор"));
    assert_eq!(invited.address.as_deref(), Some("127.0.0.1"));
    assert_eq!(at(InviteUsed).actor, Some(volunteer.me.id));
    assert_eq!(
        at(ReferenceAdded).act,
        AuditAct::ReferenceAdded {
            part: ReferencePart::Committee,
            id: u32::try_from(added["id"].as_u64().expect("an id")).expect("small"),
            name: "Кедр".to_owned(),
        }
    );
    let exported = at(ExportDownloaded);
    assert_eq!(exported.actor, Some(coordinator.me.id));
    assert_eq!(exported.district.map(|d| d.0), Some(1));
    assert_eq!(
        at(SessionsEnded).act,
        AuditAct::SessionsEnded { sessions: 1 }
    );
    assert_eq!(at(PasswordReset).actor, Some(volunteer.me.id));
    assert_eq!(at(AttemptsBraked).actor, None);
    assert!(
        all.windows(2)
            .all(|w| w[0].id > w[1].id && w[0].at_ms >= w[1].at_ms)
    );

    // The coordinator reads their district's: the invites to it and their own export.
    let theirs = read(&app, &coordinator.token, None).await;
    assert_eq!(
        kinds(&theirs),
        [ExportDownloaded, InviteUsed, InviteMade],
        "{theirs:?}"
    );
    assert_eq!(
        kinds(&read(&app, &admin, Some(InviteMade)).await),
        [InviteMade, InviteMade]
    );
    let volunteer_now = reset["token"].as_str().expect("signed in again");
    for path in ["/audit", "/audit/export.csv"] {
        let status = get(&app, volunteer_now, path).await.status();
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
    }
    for path in ["/audit?kind=nothing", "/audit?limit=0", "/audit?limit=201"] {
        assert_ne!(
            get(&app, &admin, path).await.status(),
            StatusCode::OK,
            "{path}"
        );
    }

    // The download holds what the screen shows, a line each.
    let csv = get(&app, &coordinator.token, "/audit/export.csv").await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert_eq!(csv.headers()["dvor-rows"], "3");
    let text = csv.text().await.expect("text");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[0].contains("Время,Кто,Адрес,Район,Действие,Подробности"));
    assert!(lines[1].contains("Выгрузка данных") && lines[1].contains("Рудничный"));
    assert!(
        lines[3].contains("Координатор района: Рудничный"),
        "{}",
        lines[3]
    );

    // Nothing changes an entry, whoever asks the database.
    let pool =
        crate::database::connect(&crate::database::config(app.data_dir().to_owned()).await).await;
    let changed = sqlx::query("UPDATE audit_log SET actor_id = NULL")
        .execute(&pool)
        .await;
    assert!(changed.is_err(), "the log is append-only");
    assert_eq!(read(&app, &admin, None).await, all);
}
