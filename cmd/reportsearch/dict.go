package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"reportsearch/search"
	"reportsearch/search/analysis"
	"reportsearch/search/bleveindex"
)

// runDict: reportsearch dict [list | add WORD... | remove WORD... | import [--replace] FILE]
// on a local index: the change is stored and the word field rebuilt at
// once, with progress (a running server's dictionary is changed on its
// admin page or API, and rebuilt there in the background).
func runDict(ctx context.Context, args []string, stdout io.Writer) error {
	fs, dir := newFlags("dict")
	replace := fs.Bool("replace", false, "import: replace the whole dictionary")
	if err := parse(fs, args); err != nil {
		return err
	}
	sub := "list"
	if fs.NArg() > 0 {
		// Flags may follow the subcommand too (dict import --replace FILE).
		sub = fs.Arg(0)
		if err := parse(fs, fs.Args()[1:]); err != nil {
			return err
		}
	}
	words := fs.Args()
	var ch search.DictChange
	switch sub {
	case "list":
		if len(words) > 0 {
			return fmt.Errorf("%w: dict list takes no words", errUsage)
		}
	case "add":
		ch.Add = words
	case "remove":
		ch.Remove = words
	case "import":
		if len(words) != 1 {
			return fmt.Errorf("%w: dict import [--replace] FILE (one word a line)", errUsage)
		}
		f, err := os.Open(words[0])
		if err != nil {
			return err
		}
		ws, err := analysis.ReadWords(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", words[0], err)
		}
		ch = search.DictChange{Add: ws, Replace: *replace}
	default:
		return fmt.Errorf("%w: dict list, add WORD..., remove WORD... or import FILE", errUsage)
	}
	if sub != "list" && len(ch.Add)+len(ch.Remove) == 0 && !ch.Replace {
		return fmt.Errorf("%w: dict %s needs words", errUsage, sub)
	}
	ix, err := bleveindex.Open(*dir)
	if errors.Is(err, bleveindex.ErrLocked) {
		return fmt.Errorf("%w: a server holds the index: change its dictionary on the admin page (/admin/dict) or with POST /api/dict", err)
	}
	if err != nil {
		return err
	}
	defer ix.Close()
	if sub != "list" {
		if err := ix.SetUserDictWords(ch); err != nil {
			return err
		}
	}
	u := ix.UserDict()
	if sub == "list" {
		for _, w := range u.Words {
			fmt.Fprintln(stdout, w)
		}
		if u.Version != u.Applied {
			fmt.Fprintf(stdout, "# %d words (version %s); the index was built with version %q: run `reportsearch dict add` with no new words, or start the server, to rebuild\n", len(u.Words), u.Version, u.Applied)
		}
		return nil
	}
	fmt.Fprintf(stdout, "dictionary: %d words (version %s); rebuilding the word field\n", len(u.Words), u.Version)
	last := -1
	st, err := ix.RebuildWords(ctx, func(r search.DictRebuild) {
		if r.Total > 0 && r.Paragraphs*20/r.Total != last {
			last = r.Paragraphs * 20 / r.Total
			fmt.Fprintf(stdout, "  %d / %d paragraphs\n", r.Paragraphs, r.Total)
		}
	})
	if err != nil {
		return err
	}
	if st.State == search.RebuildDone && st.Started != nil && st.Finished != nil {
		fmt.Fprintf(stdout, "rebuilt %d paragraphs in %s\n", st.Total, st.Finished.Sub(*st.Started).Round(1e7))
	} else {
		fmt.Fprintln(stdout, "the word field already has this dictionary")
	}
	return nil
}
