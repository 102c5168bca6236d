// Command purna-ferretdb runs FerretDB v1 embedded, so that tests of Purna's MongoDB store talk to a real
// MongoDB-wire-compatible server on machines where no MongoDB server can be installed.
//
// It exists because `go install .../cmd/ferretdb` builds a binary that panics on a missing generated version
// file; importing the embeddable package avoids that.
//
// Usage:
//
//	purna-ferretdb -listen 127.0.0.1:27018 -handler sqlite -sqlite-dir /tmp/purna-ferret
//	purna-ferretdb -listen 127.0.0.1:27018 -handler postgresql -postgresql-url postgres://127.0.0.1:5432/purna
//
// It prints the MongoDB URI on one line once it listens, and stops on SIGINT or SIGTERM.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27018", "TCP address to listen on")
	handler := flag.String("handler", "sqlite", "backend: sqlite or postgresql")
	sqliteDir := flag.String("sqlite-dir", "", "directory for the sqlite backend (created if missing)")
	pgURL := flag.String("postgresql-url", "postgres://127.0.0.1:5432/postgres", "URL for the postgresql backend")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fail("bad -log-level %q: %v", *logLevel, err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	cfg := &ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listen},
		Logger:   logger,
		Handler:  *handler,
	}
	switch *handler {
	case "sqlite":
		if *sqliteDir == "" {
			fail("-sqlite-dir is required with -handler sqlite")
		}
		abs, err := filepath.Abs(*sqliteDir)
		if err != nil {
			fail("bad -sqlite-dir %q: %v", *sqliteDir, err)
		}
		if err := os.MkdirAll(abs, 0o755); err != nil {
			fail("cannot create -sqlite-dir %q: %v", abs, err)
		}
		cfg.SQLiteURL = "file:" + abs + "/"
	case "postgresql":
		cfg.PostgreSQLURL = *pgURL
	default:
		fail("unknown -handler %q: use sqlite or postgresql", *handler)
	}

	f, err := ferretdb.New(cfg)
	if err != nil {
		fail("cannot configure FerretDB: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	done := make(chan struct{})
	go func() {
		defer close(done)
		f.Run(ctx)
	}()

	fmt.Println(f.MongoDBURI())
	<-done
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "purna-ferretdb: "+format+"\n", args...)
	os.Exit(2)
}
