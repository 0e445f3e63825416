//! The city's territorial structure: imported from a file, read by everyone.

use dvor_core::access::{CentreId, CommitteeId, DistrictId, Place, Scope};
use dvor_core::reference::Reference;
use serde::Serialize;
use sqlx::{Row, Sqlite, Transaction};

use super::{Db, DbError, to_id};

/// How many entries an import added; the rest were there already.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Imported {
    /// New districts.
    pub districts: u64,
    /// New committees.
    pub committees: u64,
    /// New centres.
    pub centres: u64,
}

/// A district as the API lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct District {
    /// The server's id.
    pub id: DistrictId,
    /// Its name.
    pub name: String,
    /// Its committees, by name.
    pub committees: Vec<Named<CommitteeId>>,
    /// Its centres, by name.
    pub centres: Vec<Named<CentreId>>,
}

/// An id and a name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Named<Id> {
    /// The server's id.
    pub id: Id,
    /// The name.
    pub name: String,
}

/// Where a scope lies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeWhere {
    /// In one district: the place of a committee, centre or district.
    At(Place),
    /// The whole city.
    City,
    /// No such committee, centre or district.
    Unknown,
}

impl Db {
    /// Where `scope` lies in the city.
    pub async fn place_of(&self, scope: Scope) -> Result<ScopeWhere, DbError> {
        let (query, id) = match scope {
            Scope::City => return Ok(ScopeWhere::City),
            Scope::Committee(id) => ("SELECT district_id FROM committees WHERE id = ?", id.0),
            Scope::Centre(id) => ("SELECT district_id FROM centres WHERE id = ?", id.0),
            Scope::District(id) => ("SELECT id FROM districts WHERE id = ?", id.0),
        };
        let district: Option<i64> = sqlx::query_scalar(query)
            .bind(i64::from(id))
            .fetch_optional(&self.pool)
            .await?;
        Ok(district.map_or(ScopeWhere::Unknown, |district| {
            ScopeWhere::At(Place {
                district: DistrictId(to_id(district)),
                committee: match scope {
                    Scope::Committee(id) => Some(id),
                    _ => None,
                },
                centre: match scope {
                    Scope::Centre(id) => Some(id),
                    _ => None,
                },
            })
        }))
    }

    /// Adds what `reference` has and the database lacks, in one transaction; entries already
    /// there are kept as they are, so importing a file twice adds nothing the second time.
    pub async fn import_reference(&self, reference: &Reference) -> Result<Imported, DbError> {
        let mut tx = self.pool.begin().await?;
        let mut imported = Imported::default();
        for district in &reference.districts {
            imported.districts += sqlx::query(
                "INSERT INTO districts (name) VALUES (?) ON CONFLICT (name) DO NOTHING",
            )
            .bind(&district.name)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let id: i64 = sqlx::query_scalar("SELECT id FROM districts WHERE name = ?")
                .bind(&district.name)
                .fetch_one(&mut *tx)
                .await?;
            imported.committees +=
                add_names(&mut tx, Part::Committees, id, &district.committees).await?;
            imported.centres += add_names(&mut tx, Part::Centres, id, &district.centres).await?;
        }
        tx.commit().await?;
        Ok(imported)
    }

    /// Every district with its committees and centres, in order of name.
    pub async fn reference(&self) -> Result<Vec<District>, DbError> {
        let mut tx = self.pool.begin().await?;
        let mut districts = Vec::new();
        for row in sqlx::query("SELECT id, name FROM districts ORDER BY name")
            .fetch_all(&mut *tx)
            .await?
        {
            let id: i64 = row.try_get("id")?;
            districts.push(District {
                id: DistrictId(to_id(id)),
                name: row.try_get("name")?,
                committees: names(&mut tx, Part::Committees, id)
                    .await?
                    .into_iter()
                    .map(|(id, name)| Named {
                        id: CommitteeId(id),
                        name,
                    })
                    .collect(),
                centres: names(&mut tx, Part::Centres, id)
                    .await?
                    .into_iter()
                    .map(|(id, name)| Named {
                        id: CentreId(id),
                        name,
                    })
                    .collect(),
            });
        }
        tx.commit().await?;
        Ok(districts)
    }
}

/// What lies in a district.
#[derive(Clone, Copy)]
enum Part {
    Committees,
    Centres,
}

impl Part {
    fn insert(self) -> &'static str {
        match self {
            Part::Committees => {
                "INSERT INTO committees (district_id, name) VALUES (?, ?)
                 ON CONFLICT (district_id, name) DO NOTHING"
            }
            Part::Centres => {
                "INSERT INTO centres (district_id, name) VALUES (?, ?)
                 ON CONFLICT (district_id, name) DO NOTHING"
            }
        }
    }

    fn select(self) -> &'static str {
        match self {
            Part::Committees => {
                "SELECT id, name FROM committees WHERE district_id = ? ORDER BY name"
            }
            Part::Centres => "SELECT id, name FROM centres WHERE district_id = ? ORDER BY name",
        }
    }
}

async fn add_names(
    tx: &mut Transaction<'static, Sqlite>,
    part: Part,
    district: i64,
    names: &[String],
) -> Result<u64, DbError> {
    let mut added = 0;
    for name in names {
        added += sqlx::query(part.insert())
            .bind(district)
            .bind(name)
            .execute(&mut **tx)
            .await?
            .rows_affected();
    }
    Ok(added)
}

async fn names(
    tx: &mut Transaction<'static, Sqlite>,
    part: Part,
    district: i64,
) -> Result<Vec<(u32, String)>, DbError> {
    let rows = sqlx::query(part.select())
        .bind(district)
        .fetch_all(&mut **tx)
        .await?;
    rows.iter()
        .map(|row| Ok((to_id(row.try_get("id")?), row.try_get("name")?)))
        .collect()
}
