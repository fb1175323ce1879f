package bleveindex

// TuningGrid is the grid searched by TestTune: the session-3 ranking (no
// aboutness, a window of 30), then each parameter around the
// chosen value with the others as chosen. Each setting is used by opening
// the index with it (OpenWith), never by changing the ranking of an open
// index.
func TuningGrid() []Ranking {
	base := DefaultRanking()
	old := base
	old.Lead, old.Early, old.Near, old.Plain, old.Focus, old.Vocab, old.Window = 0, 0, 0, 0, 0, 0, 30
	grid := []Ranking{old, base}
	vary := func(set func(r *Ranking, v float64), vs ...float64) {
		for _, v := range vs {
			r := base
			set(&r, v)
			grid = append(grid, r)
		}
	}
	vary(func(r *Ranking, v float64) { r.Vocab = v }, 0, 0.2, 0.6)
	vary(func(r *Ranking, v float64) { r.VocabN = v }, 1, 3)
	vary(func(r *Ranking, v float64) { r.Focus = v }, 0, 0.05, 0.15, 0.2)
	vary(func(r *Ranking, v float64) { r.ProxChars = v }, 1, 2)
	vary(func(r *Ranking, v float64) { r.ShortChars = v }, 120, 160, 320)
	vary(func(r *Ranking, v float64) { r.ShortExp = v }, 0.25, 0.75)
	vary(func(r *Ranking, v float64) { r.HeadingFactor = v }, 0.25, 1)
	vary(func(r *Ranking, v float64) { r.WordWindow = int(v) }, 20, 50, 75)
	vary(func(r *Ranking, v float64) { r.PosChars = v }, 10, 40)
	vary(func(r *Ranking, v float64) { r.Lead = v }, 0, 0.5, 1.5)
	vary(func(r *Ranking, v float64) { r.Early = v }, 0, 0.1, 0.4)
	vary(func(r *Ranking, v float64) { r.Near = v }, 0, 0.2, 1)
	vary(func(r *Ranking, v float64) { r.Plain = v }, 0, 1)
	vary(func(r *Ranking, v float64) { r.WordBoost = v }, 0, 0.5)
	vary(func(r *Ranking, v float64) { r.LeadChars = int(v) }, 30, 60)
	vary(func(r *Ranking, v float64) { r.LeadBody = v }, 100, 300)
	vary(func(r *Ranking, v float64) { r.Window = int(v) }, 50, 200)
	return grid
}
