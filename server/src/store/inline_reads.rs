//! Reads answered on the request's own thread, for SQLite files.
//!
//! A primary-key lookup in SQLite takes a few microseconds once its pages are cached.
//! Through the pool it also costs a hop to the connection's worker thread and back, and
//! under load that hop is most of what a signed-in request waits for. [`InlineReader`]
//! keeps read-only connections of its own (as many as threads ask at once, no more) and
//! runs such lookups directly, without an `await`.
//!
//! It never waits and never decides an answer alone: a busy database (`SQLITE_BUSY`,
//! which a WAL reader meets only while the log is being reset), a missing table or any
//! other error returns `None`, and the caller asks the pool, which answers as before. A
//! file it cannot open turns it off, so a request never pays for a failing open.
//! Reads see the last committed transaction, as the pool's do. Only lookups of a few rows
//! by key belong here: a read that may touch the disk for long would hold up the thread.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

/// Connections kept idle between reads; more are opened when more threads read at once
/// and closed when given back beyond this.
const KEEP_IDLE: usize = 16;

/// Read-only connections to one SQLite file.
#[derive(Debug)]
pub(super) struct InlineReader {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    /// Set when the file could not be opened: the reader stands aside for good, rather
    /// than try again on every request.
    off: AtomicBool,
}

impl InlineReader {
    /// A reader for the file a pool URL (as [`super::prepare_sqlite_url`] leaves it)
    /// names; `None` for an in-memory database, which another connection cannot see.
    pub(super) fn for_url(url: &str) -> Option<InlineReader> {
        let rest = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))?;
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let in_memory = path.is_empty()
            || path == ":memory:"
            || query.split('&').any(|pair| pair == "mode=memory");
        (!in_memory).then(|| InlineReader {
            path: PathBuf::from(path),
            idle: Mutex::new(Vec::new()),
            off: AtomicBool::new(false),
        })
    }

    /// `read` run on an idle connection, or `None` when it failed (the caller asks the
    /// pool instead).
    pub(super) fn read<T>(
        &self,
        read: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Option<T> {
        if self.off.load(Ordering::Relaxed) {
            return None;
        }
        let connection = match self.take() {
            Ok(connection) => connection,
            Err(error) => {
                self.off.store(true, Ordering::Relaxed);
                tracing::warn!(%error, path = %self.path.display(),
                    "cannot open the database for reads on the request's thread; every read uses the pool");
                return None;
            }
        };
        match read(&connection) {
            Ok(value) => {
                self.give_back(connection);
                Some(value)
            }
            Err(error) => {
                // The connection is dropped: whatever went wrong stays with it.
                tracing::debug!(%error, "inline read failed; using the pool");
                None
            }
        }
    }

    fn take(&self) -> rusqlite::Result<Connection> {
        if let Some(connection) = self.lock().pop() {
            return Ok(connection);
        }
        // Never creates the file: the pool did, and applied the migrations.
        let connection = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // Reads only, and never a wait: a busy database sends the caller to the pool.
        connection.pragma_update(None, "query_only", true)?;
        connection.busy_timeout(Duration::ZERO)?;
        Ok(connection)
    }

    fn give_back(&self, connection: Connection) {
        let mut idle = self.lock();
        if idle.len() < KEEP_IDLE {
            idle.push(connection);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Connection>> {
        // A panic while the list was held cannot leave it half-changed.
        self.idle.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_get_a_reader() {
        assert!(InlineReader::for_url("sqlite::memory:").is_none());
        assert!(InlineReader::for_url("sqlite://:memory:").is_none());
        assert!(InlineReader::for_url("sqlite://shared?mode=memory&cache=shared").is_none());
        assert!(InlineReader::for_url("postgres://localhost/test").is_none());
        let reader = InlineReader::for_url("sqlite:///var/lib/comeback/shop.db?mode=rwc");
        assert_eq!(
            reader.map(|reader| reader.path),
            Some(PathBuf::from("/var/lib/comeback/shop.db"))
        );
    }

    /// A database file set up by `sql` on a writer connection, and a reader of it.
    fn database(sql: &str) -> (tempfile::TempDir, Connection, InlineReader) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shop.db");
        let writer = Connection::open(&path).unwrap();
        writer.execute_batch(sql).unwrap();
        let reader = InlineReader::for_url(&format!("sqlite://{}", path.display())).unwrap();
        (dir, writer, reader)
    }

    #[test]
    fn a_file_it_cannot_open_turns_it_off() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing.db");
        let reader = InlineReader::for_url(&format!("sqlite://{}", path.display())).unwrap();
        let one = || {
            reader
                .read(|connection| connection.query_row("SELECT 1", [], |row| row.get::<_, i64>(0)))
        };
        assert_eq!(one(), None, "it never creates the file");
        // Created later, the file is still left to the pool.
        Connection::open(&path).unwrap();
        assert_eq!(one(), None);
        assert!(reader.off.load(Ordering::Relaxed));
    }

    #[test]
    fn reads_what_was_committed_and_never_writes() {
        let (_dir, writer, reader) = database(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE customers (id TEXT PRIMARY KEY, lock_version INTEGER);
             INSERT INTO customers VALUES ('c1', 3);",
        );
        let version = |reader: &InlineReader| {
            reader.read(|connection| {
                connection.query_row(
                    "SELECT lock_version FROM customers WHERE id = 'c1'",
                    [],
                    |row| row.get::<_, i64>(0),
                )
            })
        };
        assert_eq!(version(&reader), Some(3));
        writer
            .execute("UPDATE customers SET lock_version = 4", [])
            .unwrap();
        assert_eq!(version(&reader), Some(4), "a later commit is seen");

        let wrote = reader
            .read(|connection| connection.execute("UPDATE customers SET lock_version = 99", []));
        assert_eq!(wrote, None, "a write is refused and reported as a miss");
        assert_eq!(version(&reader), Some(4));

        // A missing table (or any failure) is a miss, never an answer.
        let missing = reader.read(|connection| {
            connection.query_row("SELECT 1 FROM nowhere", [], |row| row.get::<_, i64>(0))
        });
        assert_eq!(missing, None);
    }

    #[test]
    fn a_locked_database_is_a_miss_not_a_wait() {
        // Rollback journal: a writer's exclusive lock keeps every reader out.
        let (_dir, writer, reader) = database(
            "CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1);
             BEGIN EXCLUSIVE; UPDATE t SET v = 2;",
        );
        let value = || {
            reader.read(|connection| {
                connection.query_row("SELECT v FROM t", [], |row| row.get::<_, i64>(0))
            })
        };
        let started = std::time::Instant::now();
        assert_eq!(value(), None);
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "it did not wait"
        );
        writer.execute_batch("COMMIT").unwrap();
        assert_eq!(value(), Some(2));
    }
}
