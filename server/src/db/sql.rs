//! SQL the two databases share, and where they differ. Every statement is written with
//! numbered placeholders (`$1`, `$2`, …), which SQLite and PostgreSQL both read, so one text
//! serves both; where the dialects part (JSON paths, a bare column beside an aggregate, how a
//! transaction takes the write lock) the two forms stand side by side in `Dialect`.

use std::fmt::Write as _;

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::error::BoxDynError;
use sqlx::query::{Query, QueryScalar};
use sqlx::{Any, Arguments, AssertSqlSafe, Encode, Type};

use super::Tx;

/// Which database the server keeps its data in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// One SQLite file under the data directory: the embedded default.
    Sqlite,
    /// A PostgreSQL database, which several server processes may share.
    Postgres,
}

impl Dialect {
    /// The one of two forms of a statement this database reads.
    pub(crate) fn pick(self, sqlite: &'static str, postgres: &'static str) -> &'static str {
        match self {
            Self::Sqlite => sqlite,
            Self::Postgres => postgres,
        }
    }

    /// The text at `path` inside the JSON held in `column` (NULL where there is none, or where
    /// it is JSON's null). The expression indexes on records use exactly these forms.
    pub(crate) fn json_text(self, column: &str, path: &[&str]) -> String {
        match self {
            Self::Sqlite => format!("json_extract({column}, '$.{}')", path.join(".")),
            Self::Postgres => format!("(({column})::jsonb #>> '{{{}}}')", path.join(",")),
        }
    }

    /// The most values one statement of [`Sql::insert_all`] binds. SQLite finds each numbered
    /// placeholder's value by walking the statement's placeholders from the first, so binding
    /// n of them takes n² steps: a push of 500 activities bound 13 500 values in one statement
    /// and spent nine tenths of its time finding them. PostgreSQL binds by position, allows
    /// 65 535, and answers each statement with a round trip.
    fn most_bound(self) -> usize {
        match self {
            Self::Sqlite => 256,
            Self::Postgres => 16_384,
        }
    }
}

/// A statement built at run time and the values bound to it, in placeholder order.
pub(crate) struct Sql {
    text: String,
    arguments: AnyArguments,
    /// The first value that could not be encoded; the statement then fails when run.
    error: Option<BoxDynError>,
}

impl Sql {
    /// A statement beginning with `text`.
    pub(crate) fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            arguments: AnyArguments::default(),
            error: None,
        }
    }

    /// Appends `text`, which must never hold input: values go through `bind`.
    pub(crate) fn push(&mut self, text: impl AsRef<str>) -> &mut Self {
        self.text.push_str(text.as_ref());
        self
    }

    /// Appends a placeholder for `value`.
    pub(crate) fn bind<'t, T: Encode<'t, Any> + Type<Any>>(&mut self, value: T) -> &mut Self {
        if let Err(error) = self.arguments.add(value)
            && self.error.is_none()
        {
            self.error = Some(error);
        }
        // Writing to a String cannot fail.
        let _ = write!(self.text, "${}", self.arguments.len());
        self
    }

    /// Appends `values` as placeholders separated by commas, for `IN (…)`; no values as
    /// `NULL`, which nothing equals (PostgreSQL refuses an empty `IN ()`, which SQLite reads
    /// so).
    pub(crate) fn list<'t, T: Encode<'t, Any> + Type<Any>>(
        &mut self,
        values: impl IntoIterator<Item = T>,
    ) -> &mut Self {
        let mut empty = true;
        for value in values {
            if !empty {
                self.text.push_str(", ");
            }
            empty = false;
            self.bind(value);
        }
        if empty {
            self.text.push_str("NULL");
        }
        self
    }

    /// Appends `(a OR b OR …)`, one term written by `term` for each of `items`, or `1 = 0`
    /// (true of nothing) for none. The terms stand bare: SQLite reads an `OR` through indexes
    /// only when every one of its terms can use one, and a constant among them (`1 = 0 OR a`,
    /// which PostgreSQL folds away) sends it through the whole table instead.
    pub(crate) fn any_of<I>(
        &mut self,
        items: impl IntoIterator<Item = I>,
        mut term: impl FnMut(&mut Self, I),
    ) -> &mut Self {
        let mut items = items.into_iter().peekable();
        if items.peek().is_none() {
            self.text.push_str("1 = 0");
            return self;
        }
        self.text.push('(');
        for (i, item) in items.enumerate() {
            if i > 0 {
                self.text.push_str(" OR ");
            }
            term(self, item);
        }
        self.text.push(')');
        self
    }

    /// Appends `VALUES (…), (…)`, one tuple per row, each filled by `row`.
    pub(crate) fn values<R>(
        &mut self,
        rows: impl IntoIterator<Item = R>,
        mut row: impl FnMut(&mut Tuple<'_>, R),
    ) -> &mut Self {
        self.text.push_str("VALUES ");
        for (i, item) in rows.into_iter().enumerate() {
            self.text.push_str(if i > 0 { ", (" } else { "(" });
            row(
                &mut Tuple {
                    sql: self,
                    first: true,
                },
                item,
            );
            self.text.push(')');
        }
        self
    }

    /// Inserts `rows` of `columns` values each: `head` (`INSERT INTO t (a, b) `), `VALUES` of
    /// the rows, each bound by `row`, then `tail` (an `ON CONFLICT` clause, or nothing), in as
    /// many statements as keep each within the database's [`Dialect::most_bound`].
    pub(crate) async fn insert_all<R>(
        tx: &mut Tx,
        head: &str,
        rows: Vec<R>,
        columns: usize,
        mut row: impl FnMut(&mut Tuple<'_>, R),
        tail: &str,
    ) -> Result<(), sqlx::Error> {
        let per_statement = (Dialect::of(tx).most_bound() / columns.max(1)).max(1);
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let mut insert = Sql::new(head);
            insert
                .values(rows.by_ref().take(per_statement), &mut row)
                .push(tail);
            debug_assert!(insert.arguments.len() <= per_statement * columns);
            insert.query()?.execute(&mut **tx).await?;
        }
        Ok(())
    }

    /// The statement, ready to run, or the value that could not be bound.
    pub(crate) fn query(self) -> Result<Query<'static, Any, AnyArguments>, sqlx::Error> {
        let (text, arguments) = self.parts()?;
        Ok(sqlx::query_with(AssertSqlSafe(text), arguments))
    }

    /// The statement, reading one value from each row.
    pub(crate) fn scalar<O>(self) -> Result<QueryScalar<'static, Any, O, AnyArguments>, sqlx::Error>
    where
        (O,): for<'r> sqlx::FromRow<'r, AnyRow>,
    {
        let (text, arguments) = self.parts()?;
        Ok(sqlx::query_scalar_with(AssertSqlSafe(text), arguments))
    }

    /// The statement asking SQLite how it would read this one, for tests of query plans.
    #[cfg(test)]
    pub(crate) fn explained(mut self) -> Self {
        self.text.insert_str(0, "EXPLAIN QUERY PLAN ");
        self
    }

    fn parts(self) -> Result<(String, AnyArguments), sqlx::Error> {
        match self.error {
            Some(error) => Err(sqlx::Error::Encode(error)),
            None => Ok((self.text, self.arguments)),
        }
    }
}

/// One tuple of `Sql::values`.
pub(crate) struct Tuple<'a> {
    sql: &'a mut Sql,
    first: bool,
}

impl Tuple<'_> {
    /// Adds the next value of the tuple.
    pub(crate) fn bind<'t, T: Encode<'t, Any> + Type<Any>>(&mut self, value: T) -> &mut Self {
        if !self.first {
            self.sql.text.push_str(", ");
        }
        self.first = false;
        self.sql.bind(value);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_the_order_values_are_bound() {
        let mut sql = Sql::new("SELECT 1 WHERE a = ");
        sql.bind(1_i64)
            .push(" AND b IN (")
            .list(["x", "y"])
            .push(")");
        assert_eq!(sql.text, "SELECT 1 WHERE a = $1 AND b IN ($2, $3)");
        assert_eq!(sql.arguments.len(), 3);
    }

    #[test]
    fn an_empty_list_is_null_which_nothing_is_in() {
        let mut sql = Sql::new("SELECT 1 WHERE a IN (");
        sql.list(Vec::<i64>::new()).push(")");
        assert_eq!(sql.text, "SELECT 1 WHERE a IN (NULL)");
    }

    #[test]
    fn any_of_joins_bare_terms_and_is_false_for_none() {
        let mut sql = Sql::new("SELECT 1 WHERE ");
        sql.any_of(["a", "b"], |sql, column| {
            sql.push(column).push(" = ").bind(1_i64);
        });
        assert_eq!(sql.text, "SELECT 1 WHERE (a = $1 OR b = $2)");
        let mut none = Sql::new("SELECT 1 WHERE ");
        none.any_of(Vec::<&str>::new(), |sql, column| {
            sql.push(column);
        });
        assert_eq!(none.text, "SELECT 1 WHERE 1 = 0");
    }

    #[test]
    fn values_are_tuples_of_placeholders() {
        let mut sql = Sql::new("INSERT INTO t (a, b) ");
        sql.values([(1_i64, "p"), (2, "q")], |row, (a, b)| {
            row.bind(a).bind(b);
        });
        assert_eq!(sql.text, "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)");
    }

    /// Every row lands, in statements that each bind no more than SQLite's bound, and the
    /// tail applies to every one of them.
    #[tokio::test]
    async fn insert_all_splits_rows_into_statements_within_the_bound() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = super::super::Db::open(&super::super::Location::Sqlite(
            dir.path().join("dvor.sqlite3"),
        ))
        .await
        .expect("opens");
        let mut tx = db.pool.write().await.expect("begins");
        sqlx::query("CREATE TEMP TABLE t (a INTEGER PRIMARY KEY, b TEXT NOT NULL)")
            .execute(&mut *tx)
            .await
            .expect("created");
        let rows = 1_000_i64;
        assert!(rows as usize * 2 > Dialect::Sqlite.most_bound() * 3);
        async fn insert(tx: &mut Tx, rows: i64, b: &str) -> Result<(), sqlx::Error> {
            Sql::insert_all(
                tx,
                "INSERT INTO t (a, b) ",
                (0..rows).collect(),
                2,
                |row, a| {
                    row.bind(a).bind(b.to_owned());
                },
                " ON CONFLICT (a) DO UPDATE SET b = excluded.b",
            )
            .await
        }
        insert(&mut tx, rows, "first").await.expect("inserted");
        insert(&mut tx, rows, "second").await.expect("updated");
        let counted: Vec<(String, i64)> = sqlx::query_as("SELECT b, COUNT(*) FROM t GROUP BY b")
            .fetch_all(&mut *tx)
            .await
            .expect("counted");
        assert_eq!(counted, vec![("second".to_owned(), rows)]);
    }

    #[test]
    fn json_paths_read_the_same_field_in_both_dialects() {
        let path = ["fields", "name", "value"];
        assert_eq!(
            Dialect::Sqlite.json_text("state", &path),
            "json_extract(state, '$.fields.name.value')"
        );
        assert_eq!(
            Dialect::Postgres.json_text("state", &path),
            "((state)::jsonb #>> '{fields,name,value}')"
        );
    }
}
