//! The audit log: every administrative act, kept append-only with who did it, when, from
//! where and what. The server writes an entry as the act succeeds; admins read the whole
//! city's, coordinators their district's (`Action::ReadAudit`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::access::{DistrictId, Grant};
use crate::account::UserId;
use crate::date::Date;
use crate::export::{Cell, Table};
use crate::i18n::Strings;
use crate::reference::{District, scope_name};

/// One act, with what it touched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AuditAct {
    /// An invite to `grant` was made, for `uses` people over `days`.
    InviteMade {
        /// The role and place it gives.
        grant: Grant,
        /// How many may use it.
        uses: u32,
        /// How many days it is open.
        days: u32,
    },
    /// Someone joined, or took on one more role, with an invite.
    InviteUsed {
        /// The role and place it gave.
        grant: Grant,
    },
    /// A district, committee or centre was added to the reference data.
    ReferenceAdded {
        /// Which kind of place.
        part: ReferencePart,
        /// Its id.
        id: u32,
        /// Its name.
        name: String,
    },
    /// A file was exported.
    ExportDownloaded {
        /// The file, as `activities.xlsx`.
        file: String,
        /// The period's first day.
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
        from: Date,
        /// Its last day.
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
        to: Date,
    },
    /// Loans returned long enough ago lost their borrowers' names and phones (the hourly
    /// erasure, by the server itself).
    BorrowersErased {
        /// How many loans.
        loans: u64,
    },
    /// A person ended all their sessions.
    SessionsEnded {
        /// How many.
        sessions: u64,
    },
    /// An admin made a password reset code for a person.
    ResetCodeMade {
        /// For whom.
        person: UserId,
    },
    /// A person set a new password with a reset code.
    PasswordReset,
    /// A sign-in or code was refused because too many attempts failed.
    AttemptsBraked,
    /// A person asked for their account's erasure.
    ErasureRequested,
    /// An admin erased a person's account: their name and login are gone, their records stay.
    AccountErased {
        /// Whose.
        person: UserId,
    },
}

impl AuditAct {
    /// Its kind, for filtering.
    pub fn kind(&self) -> AuditKind {
        match self {
            Self::InviteMade { .. } => AuditKind::InviteMade,
            Self::InviteUsed { .. } => AuditKind::InviteUsed,
            Self::ReferenceAdded { .. } => AuditKind::ReferenceAdded,
            Self::ExportDownloaded { .. } => AuditKind::ExportDownloaded,
            Self::BorrowersErased { .. } => AuditKind::BorrowersErased,
            Self::SessionsEnded { .. } => AuditKind::SessionsEnded,
            Self::ResetCodeMade { .. } => AuditKind::ResetCodeMade,
            Self::PasswordReset => AuditKind::PasswordReset,
            Self::AttemptsBraked => AuditKind::AttemptsBraked,
            Self::ErasureRequested => AuditKind::ErasureRequested,
            Self::AccountErased { .. } => AuditKind::AccountErased,
        }
    }
}

/// The kinds of [`AuditAct`], by the names the log keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AuditKind {
    /// [`AuditAct::InviteMade`].
    InviteMade,
    /// [`AuditAct::InviteUsed`].
    InviteUsed,
    /// [`AuditAct::ReferenceAdded`].
    ReferenceAdded,
    /// [`AuditAct::ExportDownloaded`].
    ExportDownloaded,
    /// [`AuditAct::BorrowersErased`].
    BorrowersErased,
    /// [`AuditAct::SessionsEnded`].
    SessionsEnded,
    /// [`AuditAct::ResetCodeMade`].
    ResetCodeMade,
    /// [`AuditAct::PasswordReset`].
    PasswordReset,
    /// [`AuditAct::AttemptsBraked`].
    AttemptsBraked,
    /// [`AuditAct::ErasureRequested`].
    ErasureRequested,
    /// [`AuditAct::AccountErased`].
    AccountErased,
}

impl AuditKind {
    /// Every kind, in the order a filter offers them.
    pub const ALL: [AuditKind; 11] = [
        AuditKind::InviteMade,
        AuditKind::InviteUsed,
        AuditKind::ReferenceAdded,
        AuditKind::ExportDownloaded,
        AuditKind::BorrowersErased,
        AuditKind::SessionsEnded,
        AuditKind::ResetCodeMade,
        AuditKind::PasswordReset,
        AuditKind::AttemptsBraked,
        AuditKind::ErasureRequested,
        AuditKind::AccountErased,
    ];

    /// The name the log keeps and links carry.
    pub fn key(self) -> &'static str {
        match self {
            Self::InviteMade => "invite_made",
            Self::InviteUsed => "invite_used",
            Self::ReferenceAdded => "reference_added",
            Self::ExportDownloaded => "export_downloaded",
            Self::BorrowersErased => "borrowers_erased",
            Self::SessionsEnded => "sessions_ended",
            Self::ResetCodeMade => "reset_code_made",
            Self::PasswordReset => "password_reset",
            Self::AttemptsBraked => "attempts_braked",
            Self::ErasureRequested => "erasure_requested",
            Self::AccountErased => "account_erased",
        }
    }
}

impl fmt::Display for AuditKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for AuditKind {
    type Err = ();

    fn from_str(text: &str) -> Result<Self, ()> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.key() == text)
            .ok_or(())
    }
}

/// Which part of the reference data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ReferencePart {
    /// A district.
    District,
    /// A committee.
    Committee,
    /// A centre.
    Centre,
}

/// One entry of the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// Its place in the log: later entries have greater ids.
    pub id: u64,
    /// When, ms since the Unix epoch.
    pub at_ms: i64,
    /// Who did it; `None` for the server's own jobs and for someone not signed in.
    pub actor: Option<UserId>,
    /// Their name as the accounts hold it now; `None` once the account is erased.
    pub actor_name: Option<String>,
    /// The address the request came from, as the server saw it (the client's, behind a
    /// trusted proxy).
    pub address: Option<String>,
    /// The district the act touched, if one; city-wide acts have none.
    pub district: Option<DistrictId>,
    /// What was done.
    pub act: AuditAct,
}

/// A page of the log, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    /// The entries.
    pub entries: Vec<AuditEntry>,
    /// Pass as `before` for the next, older page; `None` at the log's start.
    pub next: Option<u64>,
}

/// The most entries a page holds.
pub const MAX_AUDIT_PAGE: u32 = 200;

impl AuditEntry {
    /// Who acted, as people read it.
    pub fn actor_label(&self, t: &Strings) -> String {
        match (&self.actor, &self.actor_name) {
            (Some(_), Some(name)) => name.clone(),
            (Some(_), None) => t.audit.by_erased.to_owned(),
            (None, _) if self.act.kind() == AuditKind::BorrowersErased => {
                t.audit.by_server.to_owned()
            }
            (None, _) => t.audit.by_nobody.to_owned(),
        }
    }

    /// What was done, as people read it, with the places the city's `districts` name.
    pub fn details(&self, districts: &[District], t: &Strings) -> String {
        let place = match &self.act {
            AuditAct::InviteMade { grant, .. } | AuditAct::InviteUsed { grant } => {
                scope_name(districts, grant.scope())
            }
            _ => None,
        };
        (t.audit.details)(&self.act, place.as_deref())
    }

    /// The name of the district it touched, if one.
    pub fn district_name<'a>(&self, districts: &'a [District]) -> Option<&'a str> {
        let id = self.district?;
        districts
            .iter()
            .find(|district| district.id == id)
            .map(|district| district.name.as_str())
    }
}

/// `entries` as the export's table: one row each, as the screen shows them, the moment in
/// Kemerovo's time.
pub fn table(entries: &[AuditEntry], districts: &[District], t: &Strings) -> Table {
    let text = |text: String| Cell::Text(text);
    let rows = entries
        .iter()
        .map(|entry| {
            vec![
                text(t.date_time(u64::try_from(entry.at_ms).unwrap_or_default())),
                text(entry.actor_label(t)),
                entry.address.clone().map_or(Cell::Empty, Cell::Text),
                entry
                    .district_name(districts)
                    .map_or(Cell::Empty, |name| text(name.to_owned())),
                text((t.audit.kind)(entry.act.kind()).to_owned()),
                text(entry.details(districts, t)),
            ]
        })
        .collect();
    Table {
        name: t.audit.title.to_owned(),
        headings: t.audit.columns.iter().map(|&h| h.to_owned()).collect(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{CommitteeId, Role, Scope};

    #[test]
    fn every_kind_reads_back_from_its_key_and_names_its_acts() {
        for kind in AuditKind::ALL {
            assert_eq!(kind.key().parse(), Ok(kind));
            let json = serde_json::to_value(kind).expect("a kind");
            assert_eq!(json, serde_json::json!(kind.key()));
        }
        let act = AuditAct::InviteMade {
            grant: Grant::new(Role::Volunteer, Scope::Committee(CommitteeId(3))).expect("fits"),
            uses: 5,
            days: 7,
        };
        let json = serde_json::to_value(&act).expect("an act");
        assert_eq!(json["kind"], serde_json::json!(act.kind().key()));
        assert_eq!("nothing".parse::<AuditKind>(), Err(()));
    }

    #[test]
    fn the_export_names_the_actor_the_place_and_what_was_done() {
        use crate::access::DistrictId;
        use crate::i18n::{Lang, strings};
        use crate::reference::Named;
        let t = strings(Lang::Ru);
        let districts = vec![District {
            id: DistrictId(2),
            name: "Рудничный".to_owned(),
            committees: vec![Named {
                id: CommitteeId(3),
                name: "Забойщик".to_owned(),
            }],
            centres: Vec::new(),
        }];
        let grant = Grant::new(Role::Volunteer, Scope::Committee(CommitteeId(3))).expect("fits");
        let entry = |actor: Option<u32>, name: Option<&str>, act: AuditAct| AuditEntry {
            id: 1,
            at_ms: 1_765_000_000_000,
            actor: actor.map(UserId),
            actor_name: name.map(str::to_owned),
            address: Some("=cmd".to_owned()),
            district: Some(DistrictId(2)),
            act,
        };
        let entries = [
            entry(
                Some(1),
                Some("Анна"),
                AuditAct::InviteMade {
                    grant,
                    uses: 5,
                    days: 7,
                },
            ),
            entry(Some(9), None, AuditAct::InviteUsed { grant }),
            entry(None, None, AuditAct::BorrowersErased { loans: 3 }),
            entry(None, None, AuditAct::AttemptsBraked),
        ];
        let table = table(&entries, &districts, t);
        assert_eq!(table.headings.len(), table.rows[0].len());
        let cell = |row: usize, column: usize| match &table.rows[row][column] {
            Cell::Text(text) => text.clone(),
            other => format!("{other:?}"),
        };
        assert_eq!(cell(0, 1), "Анна");
        assert_eq!(cell(0, 3), "Рудничный");
        assert_eq!(cell(0, 4), "Приглашение создано");
        assert_eq!(cell(0, 5), "Активист: Забойщик; человек: 5, дней: 7");
        assert_eq!(cell(1, 1), "Удалённая учётная запись");
        assert_eq!(cell(2, 1), "Сервер");
        assert_eq!(cell(3, 1), "Без входа");
        assert!(
            crate::export::csv::document(&table).contains(",'=cmd,"),
            "no formula runs"
        );
    }
}
