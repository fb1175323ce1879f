package bleveindex

import "fmt"

// Params is one setting of the ranking parameters, for tuning on the
// judged set (see TestTune).
type Params struct {
	// Stage one and the word field.
	WordBoost, ShortChars, ShortExp, HeadingFactor float64
	// Stage two's windows (text, then word field).
	Window, WordWindow int
	// The aboutness weights (aboutFactor) and their scales.
	Lead, Early, Near, Plain      float64
	LeadChars                     int
	LeadBody, PosChars, ProxChars float64
}

func (p Params) String() string {
	return fmt.Sprintf("word=%.2f short=%.0f^%.2f heading=%.2f window=%d/%d lead=%.2f(%d,%.0f) early=%.2f(%.0f) near=%.2f(%.0f) plain=%.2f",
		p.WordBoost, p.ShortChars, p.ShortExp, p.HeadingFactor, p.Window, p.WordWindow,
		p.Lead, p.LeadChars, p.LeadBody, p.Early, p.PosChars, p.Near, p.ProxChars, p.Plain)
}

// Current returns the parameters in use.
func Current() Params {
	return Params{
		WordBoost: wordBoost, ShortChars: shortChars, ShortExp: shortExp, HeadingFactor: headingFactor,
		Window: rerankWindow, WordWindow: wordWindow,
		Lead: leadWeight, Early: earlyWeight, Near: nearWeight, Plain: plainWeight,
		LeadChars: leadChars, LeadBody: leadBody, PosChars: posChars, ProxChars: proxChars,
	}
}

// Apply sets the parameters and returns a function restoring the old ones.
// Not safe while searches run; for tuning only.
func (p Params) Apply() (restore func()) {
	old := Current()
	wordBoost, shortChars, shortExp, headingFactor = p.WordBoost, p.ShortChars, p.ShortExp, p.HeadingFactor
	rerankWindow, wordWindow = p.Window, p.WordWindow
	leadWeight, earlyWeight, nearWeight, plainWeight = p.Lead, p.Early, p.Near, p.Plain
	leadChars, leadBody, posChars, proxChars = p.LeadChars, p.LeadBody, p.PosChars, p.ProxChars
	priorTable = makePriorTable()
	return func() { old.Apply() }
}

// TuningGrid is the grid searched by TestTune: the session-3 ranking (no
// aboutness, a window of 30), then each aboutness weight around the
// chosen value with the others as chosen.
func TuningGrid() []Params {
	base := Current()
	old := base
	old.Lead, old.Early, old.Near, old.Plain, old.Window = 0, 0, 0, 0, 30
	grid := []Params{old, base}
	vary := func(set func(p *Params, v float64), vs ...float64) {
		for _, v := range vs {
			p := base
			set(&p, v)
			grid = append(grid, p)
		}
	}
	vary(func(p *Params, v float64) { p.Lead = v }, 0, 0.5, 1.5)
	vary(func(p *Params, v float64) { p.Early = v }, 0, 0.1, 0.4)
	vary(func(p *Params, v float64) { p.Near = v }, 0, 0.2, 1)
	vary(func(p *Params, v float64) { p.Plain = v }, 0, 1)
	vary(func(p *Params, v float64) { p.WordBoost = v }, 0, 0.5)
	vary(func(p *Params, v float64) { p.LeadChars = int(v) }, 30, 60)
	vary(func(p *Params, v float64) { p.LeadBody = v }, 100, 300)
	vary(func(p *Params, v float64) { p.Window = int(v) }, 50, 200)
	return grid
}
