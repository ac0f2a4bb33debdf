package rpmdb

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"time"

	_ "modernc.org/sqlite" // pure-Go SQLite, registered as "sqlite"
)

// sqliteTimeout bounds one read of the database.
const sqliteTimeout = 15 * time.Second

// readSQLite returns the header blobs of the gpg-pubkey packages of an
// rpmdb.sqlite (lib/backend/sqlite.c: table Packages(hnum INTEGER PRIMARY
// KEY, blob BLOB), index tables such as Name(key, hnum, idx)). The database
// is opened read-only and query-only: rpm keeps it in WAL mode (PRAGMA
// journal_mode = WAL in sqlite_init), where a reader never blocks rpm's
// writer and sees the last committed state, WAL included. rpm keeps the
// -wal and -shm files (SQLITE_FCNTL_PERSIST_WAL, "necessary to support
// non-privileged readers"), so a read-only open works for any user that
// can read them; the busy timeout is rpm's (sqlite3_busy_timeout 10000).
func readSQLite(path string) ([]record, error) {
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?mode=ro&_pragma=query_only(1)&_pragma=busy_timeout(10000)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	ctx, cancel := context.WithTimeout(context.Background(), sqliteTimeout)
	defer cancel()
	// rpm looks the keys up by name (keystore_rpmdb::load_keys:
	// rpmtsInitIterator(RPMDBI_NAME, "gpg-pubkey")): the Name index table.
	rows, err := db.QueryContext(ctx,
		`SELECT n.hnum, length(p.blob) FROM Name AS n LEFT JOIN Packages AS p ON p.hnum = n.hnum WHERE n.key = ? ORDER BY n.hnum`, pubkeyName)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	type entry struct {
		hnum int64
		size sql.NullInt64
	}
	var found []entry
	for rows.Next() {
		var e entry
		if err := rows.Scan(&e.hnum, &e.size); err != nil {
			rows.Close()
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if len(found) >= maxPubkeys {
			rows.Close()
			return nil, fmt.Errorf("%s: more than %d gpg-pubkey headers", path, maxPubkeys)
		}
		found = append(found, e)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	rows.Close()
	var out []record
	for _, e := range found {
		switch {
		case e.hnum <= 0 || e.hnum > 1<<32-1:
			return nil, fmt.Errorf("%s: bad package number %d in the Name index", path, e.hnum)
		case !e.size.Valid:
			return nil, fmt.Errorf("%s: the Name index names package %d, which is not in Packages", path, e.hnum)
		case e.size.Int64 > maxPubkeyHeader:
			return nil, fmt.Errorf("%s: gpg-pubkey header %d of %d bytes (limit %d)", path, e.hnum, e.size.Int64, maxPubkeyHeader)
		}
		var blob []byte
		if err := db.QueryRowContext(ctx, `SELECT blob FROM Packages WHERE hnum = ?`, e.hnum).Scan(&blob); err != nil {
			return nil, fmt.Errorf("%s: package %d: %w", path, e.hnum, err)
		}
		out = append(out, record{num: uint32(e.hnum), blob: blob})
	}
	return out, nil
}
