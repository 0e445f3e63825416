//! The city's territorial structure: imported from a file by the admin command, served to
//! everyone over real HTTP on 127.0.0.1 from a real SQLite file.

use std::path::{Path, PathBuf};

use crate::util::TestApp;
use dvor_server::commands::{CommandError, import_reference};
use dvor_server::db::reference::Imported;
use serde_json::{Value, json};

fn file(dir: &Path, contents: &Value) -> PathBuf {
    let path = dir.join("reference.json");
    std::fs::write(&path, contents.to_string()).expect("written");
    path
}

async fn served(data_dir: PathBuf) -> Value {
    let app = TestApp::start_on(data_dir).await;
    let response = app
        .client
        .get(format!("http://{}/api/v1/reference", app.addr))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 200);
    response.json().await.expect("JSON")
}

#[tokio::test]
async fn an_imported_file_is_served_and_importing_it_again_adds_nothing() {
    let temp = tempfile::tempdir().expect("temp dir");
    let data = temp.path().join("data");
    let reference = file(
        temp.path(),
        &json!({"districts": [
            {"name": "Рудничный", "committees": ["Рудник", "Забойщик"], "centres": ["ЦРН на Рудничном"]},
            {"name": " Кедровка "}
        ]}),
    );
    let first = import_reference(&crate::database::config(data.clone()).await, &reference)
        .await
        .expect("imported");
    assert_eq!(
        first,
        Imported {
            districts: 2,
            committees: 2,
            centres: 1
        }
    );
    let again = import_reference(&crate::database::config(data.clone()).await, &reference)
        .await
        .expect("imported");
    assert_eq!(again, Imported::default());
    let body = served(data).await;
    let names: Vec<&str> = body
        .as_array()
        .expect("a list")
        .iter()
        .map(|d| d["name"].as_str().expect("a name"))
        .collect();
    assert_eq!(
        names,
        ["Кедровка", "Рудничный"],
        "trimmed, in order of name"
    );
    let rudnichny = &body[1];
    let committees: Vec<&str> = rudnichny["committees"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|c| c["name"].as_str().expect("a name"))
        .collect();
    assert_eq!(committees, ["Забойщик", "Рудник"]);
    assert_eq!(rudnichny["centres"][0]["name"], "ЦРН на Рудничном");
    assert!(rudnichny["id"].is_u64() && rudnichny["committees"][0]["id"].is_u64());
}

#[tokio::test]
async fn a_bad_file_imports_nothing_and_says_where_it_is_wrong() {
    let temp = tempfile::tempdir().expect("temp dir");
    let data = temp.path().join("data");
    let reference = file(
        temp.path(),
        &json!({"districts": [
            {"name": "Центральный", "committees": ["Центр"]},
            {"name": "Ленинский", "committees": ["Лидер", "Лидер"]}
        ]}),
    );
    let error = import_reference(&crate::database::config(data.clone()).await, &reference)
        .await
        .expect_err("refused");
    assert!(matches!(error, CommandError::Reference { .. }));
    assert!(
        error
            .to_string()
            .contains("district 2, committee 2: «Лидер» appears twice"),
        "{error}"
    );
    assert_eq!(served(data).await, json!([]));
}

#[tokio::test]
async fn the_command_line_imports_the_citys_districts() {
    let temp = tempfile::tempdir().expect("temp dir");
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("reference/kemerovo.json");
    let run = || async {
        crate::database::server_command(temp.path())
            .await
            .arg("import-reference")
            .arg(&shipped)
            .output()
            .expect("runs")
    };
    let first = run().await;
    assert!(first.status.success(), "{first:?}");
    assert_eq!(
        String::from_utf8_lossy(&first.stdout).trim(),
        "imported 8 district(s), 0 committee(s), 0 centre(s); the rest were there already"
    );
    let second = run().await;
    assert!(String::from_utf8_lossy(&second.stdout).starts_with("imported 0 district(s)"));
    let missing = crate::database::server_command(temp.path())
        .await
        .args(["import-reference", "no-such-file.json"])
        .output()
        .expect("runs");
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read no-such-file.json"));
}

#[tokio::test]
async fn the_admin_adds_districts_committees_and_centres_and_nobody_else_may() {
    let temp = tempfile::tempdir().expect("temp dir");
    let data = temp.path().join("data");
    dvor_server::commands::create_admin(
        &crate::database::config(data.clone()).await,
        "admin@kemerovo.example",
        "Администратор",
        dvor_server::commands::PasswordSource::Given("субботник в мае".into()),
    )
    .await
    .expect("created");
    let app = TestApp::start_on(data).await;
    let post = |path: &'static str, token: Option<String>, body: Value| {
        let request = app
            .client
            .post(format!("http://{}/api/v1{path}", app.addr))
            .json(&body);
        let request = match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        };
        async move {
            let response = request.send().await.expect("answered");
            let status = response.status().as_u16();
            (
                status,
                response.json::<Value>().await.unwrap_or(Value::Null),
            )
        }
    };
    let (_, signed_in) = post(
        "/auth/login",
        None,
        json!({"login": "admin@kemerovo.example", "password": "субботник в мае"}),
    )
    .await;
    let admin = signed_in["token"].as_str().map(str::to_owned);

    let (status, district) = post(
        "/reference/districts",
        admin.clone(),
        json!({"name": " Кедровка "}),
    )
    .await;
    assert_eq!(
        (status, &district["name"]),
        (201, &json!("Кедровка")),
        "{district}"
    );
    let id = district["id"].clone();
    let (status, _) = post(
        "/reference/committees",
        admin.clone(),
        json!({"district": id, "name": "Лидер"}),
    )
    .await;
    assert_eq!(status, 201);
    let (status, _) = post(
        "/reference/centres",
        admin.clone(),
        json!({"district": id, "name": "ЦРН «Кедровка»"}),
    )
    .await;
    assert_eq!(status, 201);

    for (path, body, status, code, field) in [
        (
            "/reference/districts",
            json!({"name": "Кедровка"}),
            409,
            "name_taken",
            "name",
        ),
        (
            "/reference/committees",
            json!({"district": id, "name": "Лидер"}),
            409,
            "name_taken",
            "name",
        ),
        (
            "/reference/committees",
            json!({"district": 999, "name": "Лидер"}),
            422,
            "not_found",
            "district",
        ),
        (
            "/reference/centres",
            json!({"district": id, "name": "  "}),
            422,
            "required",
            "name",
        ),
    ] {
        let (got, answer) = post(path, admin.clone(), body).await;
        assert_eq!(got, status, "{path}: {answer}");
        assert_eq!(answer["error"]["code"], code, "{path}");
        assert_eq!(answer["error"]["field"], field, "{path}");
    }
    let (status, answer) = post("/reference/districts", None, json!({"name": "Новый"})).await;
    assert_eq!(
        (status, &answer["error"]["code"]),
        (401, &json!("not_signed_in"))
    );

    let served = served_now(&app).await;
    assert_eq!(
        served,
        json!([{"id": id, "name": "Кедровка",
                "committees": [{"id": 1, "name": "Лидер"}],
                "centres": [{"id": 1, "name": "ЦРН «Кедровка»"}]}])
    );
}

async fn served_now(app: &TestApp) -> Value {
    app.client
        .get(format!("http://{}/api/v1/reference", app.addr))
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("JSON")
}

/// `dvor-server setup` as a scripted install runs it: no terminal, the admin from the
/// environment, or nobody and a hint.
async fn setup(data_dir: &Path, admin: Option<(&str, &str, &str)>) -> String {
    let mut command = crate::database::server_command(data_dir).await;
    command
        .arg("setup")
        .stdin(std::process::Stdio::null())
        .env_remove("DVOR_ADMIN_LOGIN")
        .env_remove("DVOR_ADMIN_NAME")
        .env_remove("DVOR_ADMIN_PASSWORD");
    if let Some((login, name, password)) = admin {
        command
            .env("DVOR_ADMIN_LOGIN", login)
            .env("DVOR_ADMIN_NAME", name)
            .env("DVOR_ADMIN_PASSWORD", password);
    }
    let output = command.output().expect("runs");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test]
async fn setup_prepares_a_new_server_once_and_leaves_a_prepared_one_alone() {
    let temp = tempfile::tempdir().expect("temp dir");
    let data = temp.path().join("data");
    let first = setup(&data, None).await;
    assert!(first.contains("8 district(s)"), "{first}");
    assert!(
        first.contains("create-admin"),
        "says how to make the first admin: {first}"
    );
    let admin = setup(
        &data,
        Some(("admin@example.ru", "Анна", crate::util::PASSWORD)),
    )
    .await;
    assert!(
        admin.contains("administrator admin@example.ru created"),
        "{admin}"
    );
    assert!(
        !admin.contains("district(s)"),
        "the reference is loaded once: {admin}"
    );
    let again = setup(
        &data,
        Some(("other@example.ru", "Олег", crate::util::PASSWORD)),
    )
    .await;
    assert_eq!(again, "", "a prepared server is left as it is");
    let districts = served(data).await;
    assert_eq!(districts.as_array().map(Vec::len), Some(8));
}
