//! People, their roles and their sessions.

use dvor_core::access::{Action, Grant};
use dvor_core::account::{AuthorName, DeviceTrace, Me, SessionSummary, UserId};
use dvor_core::login::Login;
use dvor_core::record::AuthorId;
use sqlx::Row;

use super::{Db, DbError, Sql, Tx, to_id};

/// A new person.
pub struct NewUser<'a> {
    /// Their sign-in name.
    pub login: &'a Login,
    /// Their name.
    pub name: &'a str,
    /// Their password's argon2id hash (PHC string).
    pub password_hash: &'a str,
    /// Their roles.
    pub grants: &'a [Grant],
}

/// Who redeems an invite.
pub enum Joiner<'a> {
    /// Someone new.
    New(NewUser<'a>),
    /// Someone with an account (their password checked), taking on one more role.
    Existing(UserId),
}

/// What redeeming an invite did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Redeemed {
    /// The person now holds the invite's role.
    Joined(UserId),
    /// No such invite, or it expired or is used up; nothing changed.
    Invalid,
    /// The new person's login is someone else's; nothing changed.
    LoginTaken,
}

/// What a session token stands for right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionState {
    /// Valid: the person it belongs to.
    Active(UserId),
    /// Expired or ended: the person must sign in again.
    Ended,
    /// No such session.
    Unknown,
}

impl Db {
    /// Adds a person with their roles; `None` if the login is taken.
    pub async fn create_user(
        &self,
        user: NewUser<'_>,
        now: &str,
    ) -> Result<Option<UserId>, DbError> {
        let mut tx = self.pool.write().await?;
        let Some(id) = insert_user(&mut tx, &user, now).await? else {
            return Ok(None);
        };
        for grant in user.grants {
            insert_grant(&mut tx, id, &json(grant)?).await?;
        }
        tx.commit().await?;
        Ok(Some(UserId(to_id(id))))
    }

    /// Stores an invite to `grant`, made by `by`.
    pub async fn create_invite(
        &self,
        code_hash: &str,
        grant: &Grant,
        by: UserId,
        now_ms: i64,
        expires_at_ms: i64,
        uses: u32,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO invites (code_hash, grant_json, created_by, created_at, expires_at, uses_left)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(code_hash)
        .bind(json(grant)?)
        .bind(i64::from(by.0))
        .bind(now_ms)
        .bind(expires_at_ms)
        .bind(i64::from(uses))
        .execute(&self.pool.any)
        .await?;
        Ok(())
    }

    /// Uses the invite under `code_hash` once, for `joiner`, in one transaction: the use is
    /// taken, the person created or found, and the role granted — or none of it.
    pub async fn redeem_invite(
        &self,
        code_hash: &str,
        joiner: Joiner<'_>,
        now: &str,
        now_ms: i64,
    ) -> Result<Redeemed, DbError> {
        let mut tx = self.pool.write().await?;
        let grant: Option<String> = sqlx::query_scalar(
            "UPDATE invites SET uses_left = uses_left - 1
             WHERE code_hash = $1 AND uses_left > 0 AND expires_at > $2 RETURNING grant_json",
        )
        .bind(code_hash)
        .bind(now_ms)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(grant) = grant else {
            return Ok(Redeemed::Invalid);
        };
        let user = match joiner {
            Joiner::Existing(user) => i64::from(user.0),
            Joiner::New(user) => match insert_user(&mut tx, &user, now).await? {
                Some(id) => id,
                None => return Ok(Redeemed::LoginTaken),
            },
        };
        insert_grant(&mut tx, user, &grant).await?;
        tx.commit().await?;
        Ok(Redeemed::Joined(UserId(to_id(user))))
    }

    /// The id and password hash of the person signing in as `login`.
    pub async fn credentials(&self, login: &Login) -> Result<Option<(UserId, String)>, DbError> {
        let row = sqlx::query("SELECT id, password_hash FROM users WHERE login = $1")
            .bind(login.as_str())
            .fetch_optional(&self.pool.any)
            .await?;
        row.map(|row| {
            Ok((
                UserId(to_id(row.try_get("id")?)),
                row.try_get("password_hash")?,
            ))
        })
        .transpose()
    }

    /// Whether anyone has an account: a server without is new.
    pub async fn has_users(&self) -> Result<bool, DbError> {
        Ok(sqlx::query("SELECT 1 FROM users LIMIT 1")
            .fetch_optional(&self.pool.any)
            .await?
            .is_some())
    }

    /// A person with their roles.
    pub async fn me(&self, id: UserId) -> Result<Option<Me>, DbError> {
        // One query, not one for the person and one for the roles: every request of a signed-in
        // person asks this.
        let rows = sqlx::query(
            "SELECT u.login, u.name, g.grant_json FROM users u \
             LEFT JOIN user_grants g ON g.user_id = u.id WHERE u.id = $1 ORDER BY g.grant_json",
        )
        .bind(i64::from(id.0))
        .fetch_all(&self.pool.any)
        .await?;
        let Some(first) = rows.first() else {
            return Ok(None);
        };
        let mut grants = Vec::with_capacity(rows.len());
        for row in &rows {
            if let Some(text) = row.try_get::<Option<String>, _>("grant_json")? {
                grants.push(serde_json::from_str(&text).map_err(|e| DbError::Corrupt {
                    id: format!("grant of user {}", id.0),
                    reason: e.to_string(),
                })?);
            }
        }
        Ok(Some(Me {
            id,
            name: first.try_get("name")?,
            login: first.try_get("login")?,
            grants,
        }))
    }

    /// Whether the person has signed in before on the device whose key hashes to `key_hash`.
    pub async fn is_known_device(&self, user: UserId, key_hash: &str) -> Result<bool, DbError> {
        Ok(
            sqlx::query("SELECT 1 FROM known_devices WHERE user_id = $1 AND key_hash = $2")
                .bind(i64::from(user.0))
                .bind(key_hash)
                .fetch_optional(&self.pool.any)
                .await?
                .is_some(),
        )
    }

    /// Remembers that the person signed in on the device whose key hashes to `key_hash`.
    pub async fn remember_device(
        &self,
        user: UserId,
        key_hash: &str,
        now_ms: i64,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO known_devices (user_id, key_hash, last_used_at) VALUES ($1, $2, $3)
             ON CONFLICT (user_id, key_hash) DO UPDATE SET last_used_at = excluded.last_used_at",
        )
        .bind(i64::from(user.0))
        .bind(key_hash)
        .bind(now_ms)
        .execute(&self.pool.any)
        .await?;
        Ok(())
    }

    /// Sets a person's password and ends every session of theirs but `keep` (the one that
    /// changed it), in one transaction.
    pub async fn set_password(
        &self,
        user: UserId,
        password_hash: &str,
        keep: Option<&str>,
        now_ms: i64,
    ) -> Result<(), DbError> {
        let mut tx = self.pool.write().await?;
        set_password(&mut tx, i64::from(user.0), password_hash, keep, now_ms).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores a reset code for `user`, made by `by`, replacing any earlier one of theirs.
    pub async fn create_reset(
        &self,
        code_hash: &str,
        user: UserId,
        by: UserId,
        now_ms: i64,
        expires_at_ms: i64,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO password_resets (code_hash, user_id, created_by, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (user_id) DO UPDATE SET code_hash = excluded.code_hash,
                 created_by = excluded.created_by, created_at = excluded.created_at,
                 expires_at = excluded.expires_at",
        )
        .bind(code_hash)
        .bind(i64::from(user.0))
        .bind(i64::from(by.0))
        .bind(now_ms)
        .bind(expires_at_ms)
        .execute(&self.pool.any)
        .await?;
        Ok(())
    }

    /// Whether the reset code under `code_hash` is valid at `now_ms` and made for `login`.
    pub async fn reset_is_open(
        &self,
        code_hash: &str,
        login: &Login,
        now_ms: i64,
    ) -> Result<bool, DbError> {
        Ok(sqlx::query(
            "SELECT 1 FROM password_resets WHERE code_hash = $1 AND expires_at > $2
               AND user_id = (SELECT id FROM users WHERE login = $3)",
        )
        .bind(code_hash)
        .bind(now_ms)
        .bind(login.as_str())
        .fetch_optional(&self.pool.any)
        .await?
        .is_some())
    }

    /// The names of the people who made the records `person` may read, oldest account first.
    pub async fn author_names(&self, person: &Me) -> Result<Vec<AuthorName>, DbError> {
        let mut query = Sql::new(
            "SELECT id, name FROM users WHERE erased_at_ms IS NULL AND ('user:' || id) IN \
             (SELECT DISTINCT author FROM records WHERE 1 = 1",
        );
        super::records::allowed_to(&mut query, person, Action::Read);
        query.push(") ORDER BY id");
        let rows = query.query()?.fetch_all(&self.pool.any).await?;
        rows.iter()
            .map(|row| {
                Ok(AuthorName {
                    author: AuthorId::user(UserId(to_id(row.try_get("id")?))),
                    name: row.try_get("name")?,
                })
            })
            .collect()
    }

    /// The grant and closing time of the invite under `code_hash`, if it can still be used at
    /// `now_ms`.
    pub async fn open_invite(
        &self,
        code_hash: &str,
        now_ms: i64,
    ) -> Result<Option<(Grant, i64)>, DbError> {
        let row = sqlx::query(
            "SELECT grant_json, expires_at FROM invites WHERE code_hash = $1 AND uses_left > 0
               AND expires_at > $2",
        )
        .bind(code_hash)
        .bind(now_ms)
        .fetch_optional(&self.pool.any)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let grant: String = row.try_get("grant_json")?;
        Ok(Some((
            super::records::parse("an invite's grant".to_owned(), &grant)?,
            row.try_get("expires_at")?,
        )))
    }

    /// Uses the reset code under `code_hash` if it is valid and made for `login`: in one
    /// transaction the code is deleted, the password set and every session ended. `None`,
    /// changing nothing, for any other code.
    pub async fn redeem_reset(
        &self,
        code_hash: &str,
        login: &Login,
        password_hash: &str,
        now_ms: i64,
    ) -> Result<Option<UserId>, DbError> {
        let mut tx = self.pool.write().await?;
        let user: Option<i64> = sqlx::query_scalar(
            "DELETE FROM password_resets WHERE code_hash = $1 AND expires_at > $2
               AND user_id = (SELECT id FROM users WHERE login = $3)
             RETURNING user_id",
        )
        .bind(code_hash)
        .bind(now_ms)
        .bind(login.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(user) = user else {
            return Ok(None);
        };
        set_password(&mut tx, user, password_hash, None, now_ms).await?;
        tx.commit().await?;
        Ok(Some(UserId(to_id(user))))
    }

    /// The person signing in as `login`, with their roles.
    pub async fn person_by_login(&self, login: &Login) -> Result<Option<Me>, DbError> {
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE login = $1")
            .bind(login.as_str())
            .fetch_optional(&self.pool.any)
            .await?;
        match id {
            Some(id) => self.me(UserId(to_id(id))).await,
            None => Ok(None),
        }
    }

    /// Starts a session under `token_hash` until `expires_at` (ms since the epoch).
    pub async fn start_session(
        &self,
        user: UserId,
        token_hash: &str,
        mark_hash: &str,
        device: &str,
        now_ms: i64,
        expires_at_ms: i64,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, mark_hash, user_id, device, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_hash)
        .bind(mark_hash)
        .bind(i64::from(user.0))
        .bind(device)
        .bind(now_ms)
        .bind(expires_at_ms)
        .execute(&self.pool.any)
        .await?;
        Ok(())
    }

    /// What the session under `token_hash` stands for at `now_ms`.
    pub async fn session(&self, token_hash: &str, now_ms: i64) -> Result<SessionState, DbError> {
        let row =
            sqlx::query("SELECT user_id, expires_at, ended_at FROM sessions WHERE token_hash = $1")
                .bind(token_hash)
                .fetch_optional(&self.pool.any)
                .await?;
        let Some(row) = row else {
            return Ok(SessionState::Unknown);
        };
        let expires_at: i64 = row.try_get("expires_at")?;
        let ended_at: Option<i64> = row.try_get("ended_at")?;
        Ok(if ended_at.is_some() || expires_at <= now_ms {
            SessionState::Ended
        } else {
            SessionState::Active(UserId(to_id(row.try_get("user_id")?)))
        })
    }

    /// Ends one session ("Выйти").
    pub async fn end_session(&self, token_hash: &str, now_ms: i64) -> Result<(), DbError> {
        sqlx::query("UPDATE sessions SET ended_at = $1 WHERE token_hash = $2 AND ended_at IS NULL")
            .bind(now_ms)
            .bind(token_hash)
            .execute(&self.pool.any)
            .await?;
        Ok(())
    }

    /// The latest session of the browser whose mark hashes to `mark_hash`.
    pub async fn device_trace(&self, mark_hash: &str) -> Result<Option<DeviceTrace>, DbError> {
        let row: Option<(i64, Option<i64>, i64)> = sqlx::query_as(
            "SELECT created_at, last_push_at, pushed FROM sessions
             WHERE mark_hash = $1 ORDER BY created_at DESC LIMIT 1",
        )
        .bind(mark_hash)
        .fetch_optional(&self.pool.any)
        .await?;
        Ok(
            row.map(|(signed_in_at_ms, last_push_at_ms, pushed)| DeviceTrace {
                signed_in_at_ms,
                last_push_at_ms,
                pushed: u64::try_from(pushed).unwrap_or_default(),
            }),
        )
    }

    /// Ends every session of a person ("Выйти на всех устройствах").
    pub async fn end_all_sessions(&self, user: UserId, now_ms: i64) -> Result<u64, DbError> {
        Ok(
            sqlx::query(
                "UPDATE sessions SET ended_at = $1 WHERE user_id = $2 AND ended_at IS NULL",
            )
            .bind(now_ms)
            .bind(i64::from(user.0))
            .execute(&self.pool.any)
            .await?
            .rows_affected(),
        )
    }

    /// A person's sessions that are still valid, newest first; `current` marks the asking one.
    pub async fn sessions(
        &self,
        user: UserId,
        current: &str,
        now_ms: i64,
    ) -> Result<Vec<SessionSummary>, DbError> {
        let rows = sqlx::query(
            "SELECT token_hash, device, created_at, expires_at FROM sessions
             WHERE user_id = $1 AND ended_at IS NULL AND expires_at > $2 ORDER BY created_at DESC",
        )
        .bind(i64::from(user.0))
        .bind(now_ms)
        .fetch_all(&self.pool.any)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(SessionSummary {
                    created_at_ms: row.try_get("created_at")?,
                    expires_at_ms: row.try_get("expires_at")?,
                    device: row.try_get("device")?,
                    current: row.try_get::<String, _>("token_hash")? == current,
                })
            })
            .collect()
    }
}

/// Adds a person; `None` if the login is taken.
async fn insert_user(tx: &mut Tx, user: &NewUser<'_>, now: &str) -> Result<Option<i64>, DbError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO users (login, name, password_hash, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (login) DO NOTHING RETURNING id",
    )
    .bind(user.login.as_str())
    .bind(user.name)
    .bind(user.password_hash)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?)
}

async fn set_password(
    tx: &mut Tx,
    user: i64,
    password_hash: &str,
    keep: Option<&str>,
    now_ms: i64,
) -> Result<(), DbError> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(user)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "UPDATE sessions SET ended_at = $1 WHERE user_id = $2 AND ended_at IS NULL
           AND token_hash IS DISTINCT FROM $3",
    )
    .bind(now_ms)
    .bind(user)
    .bind(keep)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Gives a person a role (a no-op if they hold it).
async fn insert_grant(tx: &mut Tx, user: i64, grant_json: &str) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO user_grants (user_id, grant_json) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(user)
    .bind(grant_json)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn json(grant: &Grant) -> Result<String, DbError> {
    serde_json::to_string(grant).map_err(|e| DbError::Corrupt {
        id: "grant".to_owned(),
        reason: e.to_string(),
    })
}
