//! The city's territorial structure: imported from a file, read by everyone.

use std::collections::HashMap;

use dvor_core::access::{CentreId, CommitteeId, DistrictId, Place, Scope};
use dvor_core::reference::{District, Named, Reference};
use serde::Serialize;
use sqlx::Row;

use super::{Db, DbError, Tx, to_id};

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

/// What adding a district, committee or centre did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Added {
    /// Added under this id.
    Created(u32),
    /// The name is taken there.
    Taken,
    /// The district named does not exist.
    NoDistrict,
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
            Scope::Committee(id) => ("SELECT district_id FROM committees WHERE id = $1", id.0),
            Scope::Centre(id) => ("SELECT district_id FROM centres WHERE id = $1", id.0),
            Scope::District(id) => ("SELECT id FROM districts WHERE id = $1", id.0),
        };
        let district: Option<i64> = sqlx::query_scalar(query)
            .bind(i64::from(id))
            .fetch_optional(&self.pool.any)
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

    /// Whether the city has any districts yet.
    pub async fn has_districts(&self) -> Result<bool, DbError> {
        Ok(sqlx::query("SELECT 1 FROM districts LIMIT 1")
            .fetch_optional(&self.pool.any)
            .await?
            .is_some())
    }

    /// Adds what `reference` has and the database lacks, in one transaction; entries already
    /// there are kept as they are, so importing a file twice adds nothing the second time.
    pub async fn import_reference(&self, reference: &Reference) -> Result<Imported, DbError> {
        let mut tx = self.pool.write().await?;
        let mut imported = Imported::default();
        for district in &reference.districts {
            if insert_district(&mut tx, &district.name).await?.is_some() {
                imported.districts += 1;
            }
            let id: i64 = sqlx::query_scalar("SELECT id FROM districts WHERE name = $1")
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

    /// Adds a district; `Taken` if one has that name.
    pub async fn add_district(&self, name: &str) -> Result<Added, DbError> {
        let mut tx = self.pool.write().await?;
        let added = insert_district(&mut tx, name).await?;
        tx.commit().await?;
        Ok(added.map_or(Added::Taken, |id| Added::Created(to_id(id))))
    }

    /// Adds a committee or centre to `district`.
    pub async fn add_part(
        &self,
        part: Part,
        district: DistrictId,
        name: &str,
    ) -> Result<Added, DbError> {
        let mut tx = self.pool.write().await?;
        let district = i64::from(district.0);
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM districts WHERE id = $1")
            .bind(district)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Ok(Added::NoDistrict);
        }
        let added = insert_part(&mut tx, part, district, name).await?;
        tx.commit().await?;
        Ok(added.map_or(Added::Taken, |id| Added::Created(to_id(id))))
    }

    /// Every district with its committees and centres, in order of name: three queries,
    /// whatever the size of the city.
    pub async fn reference(&self) -> Result<Vec<District>, DbError> {
        let mut tx = self.pool.read().await?;
        let mut committees = names(&mut tx, Part::Committees).await?;
        let mut centres = names(&mut tx, Part::Centres).await?;
        let mut districts = Vec::new();
        for row in sqlx::query("SELECT id, name FROM districts ORDER BY name")
            .fetch_all(&mut *tx)
            .await?
        {
            let id: i64 = row.try_get("id")?;
            let in_district = |parts: &mut HashMap<i64, Vec<(u32, String)>>| {
                parts.remove(&id).unwrap_or_default().into_iter()
            };
            districts.push(District {
                id: DistrictId(to_id(id)),
                name: row.try_get("name")?,
                committees: in_district(&mut committees)
                    .map(|(id, name)| Named {
                        id: CommitteeId(id),
                        name,
                    })
                    .collect(),
                centres: in_district(&mut centres)
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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// Neighbourhood committees.
    Committees,
    /// Community centres.
    Centres,
}

impl Part {
    fn insert(self) -> &'static str {
        match self {
            Part::Committees => {
                "INSERT INTO committees (district_id, name) VALUES ($1, $2)
                 ON CONFLICT (district_id, name) DO NOTHING RETURNING id"
            }
            Part::Centres => {
                "INSERT INTO centres (district_id, name) VALUES ($1, $2)
                 ON CONFLICT (district_id, name) DO NOTHING RETURNING id"
            }
        }
    }

    fn select(self) -> &'static str {
        match self {
            Part::Committees => "SELECT district_id, id, name FROM committees ORDER BY name",
            Part::Centres => "SELECT district_id, id, name FROM centres ORDER BY name",
        }
    }
}

async fn add_names(
    tx: &mut Tx,
    part: Part,
    district: i64,
    names: &[String],
) -> Result<u64, DbError> {
    let mut added = 0;
    for name in names {
        if insert_part(tx, part, district, name).await?.is_some() {
            added += 1;
        }
    }
    Ok(added)
}

/// Adds a committee or centre; `None` if the district has one of that name.
async fn insert_part(
    tx: &mut Tx,
    part: Part,
    district: i64,
    name: &str,
) -> Result<Option<i64>, DbError> {
    Ok(sqlx::query_scalar(part.insert())
        .bind(district)
        .bind(name)
        .fetch_optional(&mut **tx)
        .await?)
}

/// Adds a district; `None` if one has that name.
async fn insert_district(tx: &mut Tx, name: &str) -> Result<Option<i64>, DbError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO districts (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING id",
    )
    .bind(name)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Every committee or centre, by district, each district's in order of name.
async fn names(tx: &mut Tx, part: Part) -> Result<HashMap<i64, Vec<(u32, String)>>, DbError> {
    let mut by_district: HashMap<i64, Vec<(u32, String)>> = HashMap::new();
    for row in sqlx::query(part.select()).fetch_all(&mut **tx).await? {
        by_district
            .entry(row.try_get("district_id")?)
            .or_default()
            .push((to_id(row.try_get("id")?), row.try_get("name")?));
    }
    Ok(by_district)
}
