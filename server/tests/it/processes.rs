//! Several `dvor-server` processes on one database, as a deployment behind a load balancer runs
//! them: each device may reach any of them on every request.

use std::collections::HashSet;

use dvor_core::id::RecordId;

use crate::util::{Process, TestApp, creation, now_ms, signed_in_city};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pullers_see_every_record_once_while_pushers_write_through_three_processes() {
    let first = signed_in_city().await;
    let others = [
        Process::start(&first, &[]).await,
        Process::start(&first, &[]).await,
    ];
    let servers: Vec<TestApp> = std::iter::once(first.at(first.addr))
        .chain(others.iter().map(|p| first.at(p.addr)))
        .collect();
    const PUSHERS: u16 = 6;
    const BATCHES: u16 = 25;
    const BATCH: u16 = 4;
    let now = now_ms();
    let pushers: Vec<_> = (0..PUSHERS)
        .map(|pusher| {
            let servers: Vec<TestApp> = servers.iter().map(|s| s.at(s.addr)).collect();
            tokio::spawn(async move {
                for batch in 0..BATCHES {
                    let first = (pusher * BATCHES + batch) * BATCH;
                    let mutations: Vec<_> = (first..first + BATCH)
                        .map(|n| creation(n, now, 1))
                        .collect();
                    // Every batch through another process than the last.
                    servers[usize::from(batch + pusher) % servers.len()]
                        .push_applied(&mutations)
                        .await;
                }
            })
        })
        .collect();
    let written = PUSHERS * BATCHES * BATCH;
    let pullers: Vec<_> = (0..3_usize)
        .map(|puller| {
            let servers: Vec<TestApp> = servers.iter().map(|s| s.at(s.addr)).collect();
            tokio::spawn(async move {
                let (mut seen, mut cursor, mut turn) = (Vec::<RecordId>::new(), 0, puller);
                while seen.len() < usize::from(written) {
                    let page = servers[turn % servers.len()].pull(cursor, 7).await;
                    turn += 1;
                    seen.extend(page.changes.iter().map(|r| r.id));
                    cursor = page.cursor;
                    if page.changes.is_empty() {
                        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                    }
                }
                seen
            })
        })
        .collect();
    for pusher in pushers {
        pusher.await.expect("pushed");
    }
    let all: HashSet<RecordId> = (0..written).map(crate::util::record).collect();
    for puller in pullers {
        let seen = tokio::time::timeout(std::time::Duration::from_secs(60), puller)
            .await
            .expect("a puller that missed a record would wait for it forever")
            .expect("pulled");
        assert_eq!(seen.len(), usize::from(written), "each record once");
        assert_eq!(seen.into_iter().collect::<HashSet<_>>(), all);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn wrong_passwords_through_different_processes_count_against_one_account() {
    let first = signed_in_city().await;
    let other = Process::start(&first, &[]).await;
    let servers = [first.at(first.addr), first.at(other.addr)];
    let sign_in = |server: &TestApp, password: &str| {
        server
            .client
            .post(server.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"login": crate::util::ADMIN, "password": password}))
            .send()
    };
    for attempt in 0..5 {
        let response = sign_in(&servers[attempt % 2], "не тот пароль")
            .await
            .expect("answered");
        assert_eq!(response.status(), reqwest::StatusCode::UNAUTHORIZED);
    }
    for server in &servers {
        let response = sign_in(server, crate::util::PASSWORD)
            .await
            .expect("answered");
        assert_eq!(
            response.status(),
            reqwest::StatusCode::TOO_MANY_REQUESTS,
            "the sixth try from a new device waits, whichever process it reaches"
        );
    }
}
