package extract

import (
	"encoding/xml"
	"io"
)

// xmlBudget bounds the XML read from one file: the nesting of every part
// (MaxXMLDepth) and the elements of all parts together (MaxElements).
// encoding/xml would otherwise accept any depth below its own 10,000 and
// any number of elements.
type xmlBudget struct {
	lim      *Limits
	elements int
}

// decoder returns an XML decoder of r that fails with a *limitError when
// the budget is exceeded.
func (b *xmlBudget) decoder(r io.Reader) *xml.Decoder {
	return xml.NewTokenDecoder(&xmlCounter{d: xml.NewDecoder(r), b: b})
}

// xmlCounter passes raw tokens on to a Decoder (which checks that they
// nest and resolves name spaces), counting elements and depth.
type xmlCounter struct {
	d     *xml.Decoder
	b     *xmlBudget
	depth int
}

func (c *xmlCounter) Token() (xml.Token, error) {
	tok, err := c.d.RawToken()
	switch tok.(type) {
	case xml.StartElement:
		c.depth++
		c.b.elements++
		if c.depth > c.b.lim.MaxXMLDepth {
			return nil, overLimit("MaxXMLDepth", "XML elements nested more than %d deep", c.b.lim.MaxXMLDepth)
		}
		if c.b.elements > c.b.lim.MaxElements {
			return nil, overLimit("MaxElements", "more than %d XML elements", c.b.lim.MaxElements)
		}
	case xml.EndElement:
		c.depth--
	}
	return tok, err
}
