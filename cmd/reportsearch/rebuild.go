package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"time"

	"reportsearch/indexer"
	"reportsearch/indexer/ingest"
	"reportsearch/internal/sample"
	"reportsearch/search/bleveindex"
)

// rebuildChildCommand is the hidden subcommand a server's full rebuild
// runs in (ingest.RunChild, started by the server, not by people: it
// reads its job on standard input).
const rebuildChildCommand = "rebuild-child"

// sampleSources lists the bundled sample's sources, which a rebuild
// re-reads like files.
func sampleSources() ([]indexer.Source, error) { return indexer.FSSources(sample.FS(), "sample") }

// runRebuildChild: reportsearch rebuild-child (hidden).
func runRebuildChild(ctx context.Context) error {
	return ingest.RunChild(ctx, os.Stdin, os.Stdout, func(dir string) (ingest.ChildStore, error) {
		ix, err := bleveindex.OpenGeneration(dir)
		if err != nil {
			return nil, err
		}
		return ix, nil
	}, sampleSources)
}

// rebuildOptions are serve's flags for full rebuilds.
type rebuildOptions struct {
	priority string
	timeout  time.Duration
}

func (o *rebuildOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.priority, "rebuild-priority", string(ingest.PriorityIdle), "CPU priority of a full rebuild's process: idle (Linux SCHED_IDLE), nice (19) or normal")
	fs.DurationVar(&o.timeout, "rebuild-timeout", ingest.DefaultChildTimeout, "a full rebuild's process is killed after this long (the index stays as it was)")
}

// config is the writer's child configuration: this program, run as
// rebuildChildCommand, ended with ctx.
func (o *rebuildOptions) config(ctx context.Context) (ingest.ChildConfig, error) {
	p, err := ingest.ParsePriority(o.priority)
	if err != nil {
		return ingest.ChildConfig{}, fmt.Errorf("%w: --rebuild-priority: %v", errUsage, err)
	}
	exe, err := os.Executable()
	if err != nil {
		return ingest.ChildConfig{}, fmt.Errorf("finding this program for rebuilds: %w", err)
	}
	return ingest.ChildConfig{
		Command:  func() *exec.Cmd { return exec.Command(exe, rebuildChildCommand) },
		Priority: p, Timeout: o.timeout, Context: ctx,
	}, nil
}
