package rollout

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseLadder(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		raw     string
		want    Ladder
		wantErr []string
	}{
		{name: "default", raw: "[0,10,25,50,100]", want: Ladder{0, 10, 25, 50, 100}},
		{name: "two rungs", raw: "[0, 100]", want: Ladder{0, 100}},
		{name: "not json", raw: "0,10,100", wantErr: []string{`cutover:phases "0,10,100" is not a valid ladder: must be a JSON array of integers`}},
		{name: "fraction", raw: "[0,12.5,100]", wantErr: []string{"must be a JSON array of integers"}},
		{name: "one rung", raw: "[100]", wantErr: []string{"needs at least the rungs 0 and 100"}},
		{
			name: "every problem at once",
			raw:  "[5,50,40,90]",
			wantErr: []string{
				"the first rung must be 0, got 5",
				"the last rung must be 100, got 90",
				"rungs must strictly increase, got 40 after 50",
			},
		},
		{name: "duplicate", raw: "[0,50,50,100]", wantErr: []string{"got 50 after 50"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseLadder(tc.raw)
			if len(tc.wantErr) > 0 {
				require.Error(t, err)
				for _, w := range tc.wantErr {
					assert.Contains(t, err.Error(), w)
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestLadderMoves(t *testing.T) {
	t.Parallel()
	l := DefaultLadder()
	cases := []struct {
		percent          int
		index            int
		next, prev       int
		hasNext, hasPrev bool
		render           string
	}{
		{percent: 0, index: 0, next: 10, hasNext: true, render: "[0] 10 25 50 100"},
		{percent: 25, index: 2, next: 50, hasNext: true, prev: 10, hasPrev: true, render: "0 10 [25] 50 100"},
		{percent: 100, index: 4, prev: 50, hasPrev: true, render: "0 10 25 50 [100]"},
		{percent: 30, index: -1, render: "0 10 25 50 100"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.index, l.Index(tc.percent), "index of %d", tc.percent)
		next, ok := l.Next(tc.percent)
		assert.Equal(t, tc.hasNext, ok, "has next of %d", tc.percent)
		assert.Equal(t, tc.next, next, "next of %d", tc.percent)
		prev, ok := l.Previous(tc.percent)
		assert.Equal(t, tc.hasPrev, ok, "has previous of %d", tc.percent)
		assert.Equal(t, tc.prev, prev, "previous of %d", tc.percent)
		assert.Equal(t, tc.render, l.Render(tc.percent))
	}

	// DefaultLadder hands out a fresh slice every time.
	l[0] = 99
	assert.Equal(t, 0, DefaultLadder()[0])
}

func TestIntFromAny(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   any
		want int
		ok   bool
	}{
		{in: float64(25), want: 25, ok: true},
		{in: 50, want: 50, ok: true},
		{in: int64(10), want: 10, ok: true},
		{in: json.Number("100"), want: 100, ok: true},
		{in: " 10 ", want: 10, ok: true},
		{in: 25.5, ok: false},
		{in: "ten", ok: false},
		{in: nil, ok: false},
		{in: true, ok: false},
	}
	for _, tc := range cases {
		got, ok := intFromAny(tc.in)
		assert.Equal(t, tc.ok, ok, "%#v", tc.in)
		assert.Equal(t, tc.want, got, "%#v", tc.in)
	}
}
