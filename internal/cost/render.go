package cost

import (
	"fmt"
	"io"
	"strings"
)

// WriteText prints the estimate as a compact table for `cutover plan`'s human output: one row
// per line (side, item, quantity and unit, unit price, monthly), the totals, the unknown items
// and the notes. The first write error stops the output (the caller owns w and its errors).
func (e Estimate) WriteText(w io.Writer) {
	tw := &textWriter{w: w}
	tw.printf("Cost estimate (monthly, %s, list prices of %s, %s)\n", e.Currency, e.PriceTableDate, e.Region)

	header := []string{"side", "item", "quantity", "unit", "unit price", "monthly"}
	rows := make([][]string, 0, len(e.Lines))
	for _, l := range e.Lines {
		price := num(l.UnitPrice)
		if l.Unpriced {
			price = "unknown"
		}
		rows = append(rows, []string{l.Side, l.Item, num(l.Quantity), l.Unit, price, money(l.Monthly)})
	}
	widths := make([]int, len(header))
	for _, r := range append([][]string{header}, rows...) {
		for i, cell := range r {
			widths[i] = max(widths[i], len(cell))
		}
	}
	// Text columns align left, figures right.
	row := func(r []string) {
		tw.printf("  %-*s  %-*s  %*s %-*s  %*s  %*s\n", widths[0], r[0], widths[1], r[1], widths[2], r[2],
			widths[3], r[3], widths[4], r[4], widths[5], r[5])
	}
	row(header)
	for _, r := range rows {
		row(r)
	}

	both := cents(e.AWSMonthly + e.HerokuMonthly)
	tw.printf("  Total: AWS %s + Heroku now %s = %s a month\n", money(e.AWSMonthly), money(e.HerokuMonthly), money(both))
	if e.MonthlySaving >= 0 {
		tw.printf("  Saving: %s a month against Heroku before the move (%s)\n", money(e.MonthlySaving), money(e.HerokuReferenceMonthly))
	} else {
		tw.printf("  Overlap: %s a month more than Heroku before the move (%s) while both platforms run\n",
			money(-e.MonthlySaving), money(e.HerokuReferenceMonthly))
	}
	if len(e.Unknown) > 0 {
		tw.printf("  No price (counted as 0):\n")
		for _, u := range e.Unknown {
			tw.printf("    - %s\n", u)
		}
	}
	if len(e.Notes) > 0 {
		tw.printf("  Notes:\n")
		for _, n := range e.Notes {
			tw.printf("    - %s\n", n)
		}
	}
}

// money prints an amount with two decimals and thousands separators (1,584.34; -12.50).
func money(x float64) string {
	s := fmt.Sprintf("%.2f", x)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return sign + b.String() + "." + frac
}

// textWriter keeps the first write error and drops later writes.
type textWriter struct {
	w   io.Writer
	err error
}

func (t *textWriter) printf(format string, args ...any) {
	if t.err != nil {
		return
	}
	_, t.err = fmt.Fprintf(t.w, format, args...)
}
