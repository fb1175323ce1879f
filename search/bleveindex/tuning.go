package bleveindex

import "fmt"

// Params is one setting of the ranking parameters, for tuning on the
// judged set (see TestTune).
type Params struct {
	WordBoost, ShortChars, ShortExp, HeadingFactor float64
	Window                                         int
}

func (p Params) String() string {
	return fmt.Sprintf("word=%.1f short=%.0f^%.2f heading=%.2f window=%d", p.WordBoost, p.ShortChars, p.ShortExp, p.HeadingFactor, p.Window)
}

// Apply sets the parameters and returns a function restoring the old ones.
// Not safe while searches run; for tuning only.
func (p Params) Apply() (restore func()) {
	old := Params{wordBoost, shortChars, shortExp, headingFactor, rerankWindow}
	wordBoost, shortChars, shortExp, headingFactor, rerankWindow = p.WordBoost, p.ShortChars, p.ShortExp, p.HeadingFactor, p.Window
	priorTable = makePriorTable()
	return func() { old.Apply() }
}

// TuningGrid is the grid searched by TestTune, including the baseline of
// plain bleve scoring (no word boost, no rescoring).
func TuningGrid() []Params {
	grid := []Params{{WordBoost: 0, ShortChars: 1, ShortExp: 0, HeadingFactor: 1, Window: 10}}
	for _, wb := range []float64{0, 0.25, 0.5, 1, 2} {
		for _, sc := range []float64{120, 240, 360} {
			for _, se := range []float64{0.5, 1} {
				for _, hf := range []float64{1, 0.5} {
					grid = append(grid, Params{wb, sc, se, hf, 100})
				}
			}
		}
	}
	return grid
}
