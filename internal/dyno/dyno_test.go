package dyno

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// TestSizesGolden pins the whole table: every service sized from a dyno type
// gets its requests from here, so any edit shows up as a golden diff in
// review (and as a Deployment update for every such service).
func TestSizesGolden(t *testing.T) {
	var b strings.Builder
	fmt.Fprintf(&b, "%-18s %9s %8s %9s %s\n", "name", "memoryMiB", "cpuMilli", "dedicated", "family")
	for _, n := range Names() {
		s, _ := Lookup(n)
		fmt.Fprintf(&b, "%-18s %9d %8d %9v %s\n", s.Name, s.MemoryMiB, s.CPUMilli, s.Dedicated, s.Family)
	}
	got := b.String()
	path := filepath.Join("testdata", "sizes.golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/dyno/ -update to create it)", err)
	}
	if string(want) != got {
		t.Fatalf("dyno table changed; review and refresh with -update.\nwant:\n%s\ngot:\n%s", want, got)
	}
}

func TestLookup(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name          string
		dyno          string
		wantOK        bool
		wantMemoryMiB int
		wantCPUMilli  int
		wantDedicated bool
		wantFamily    string
	}{
		{name: "eco", dyno: "eco", wantOK: true, wantMemoryMiB: 512, wantCPUMilli: 250, wantFamily: FamilyEco},
		{name: "basic", dyno: "basic", wantOK: true, wantMemoryMiB: 512, wantCPUMilli: 250, wantFamily: FamilyBasic},
		{name: "standard-1x", dyno: "standard-1x", wantOK: true, wantMemoryMiB: 512, wantCPUMilli: 250, wantFamily: FamilyStandard},
		{name: "standard-2x", dyno: "standard-2x", wantOK: true, wantMemoryMiB: 1024, wantCPUMilli: 500, wantFamily: FamilyStandard},
		{name: "performance-m", dyno: "performance-m", wantOK: true, wantMemoryMiB: 2560, wantCPUMilli: 2000, wantDedicated: true, wantFamily: FamilyPerformance},
		{name: "performance-l", dyno: "performance-l", wantOK: true, wantMemoryMiB: 14336, wantCPUMilli: 8000, wantDedicated: true, wantFamily: FamilyPerformance},
		{name: "performance-l-ram", dyno: "performance-l-ram", wantOK: true, wantMemoryMiB: 30720, wantCPUMilli: 4000, wantDedicated: true, wantFamily: FamilyPerformance},
		{name: "performance-xl", dyno: "performance-xl", wantOK: true, wantMemoryMiB: 63488, wantCPUMilli: 8000, wantDedicated: true, wantFamily: FamilyPerformance},
		{name: "performance-2xl", dyno: "performance-2xl", wantOK: true, wantMemoryMiB: 129024, wantCPUMilli: 16000, wantDedicated: true, wantFamily: FamilyPerformance},
		{name: "private-s", dyno: "private-s", wantOK: true, wantMemoryMiB: 1024, wantCPUMilli: 2000, wantDedicated: true, wantFamily: FamilyPrivate},
		{name: "private-m", dyno: "private-m", wantOK: true, wantMemoryMiB: 2560, wantCPUMilli: 2000, wantDedicated: true, wantFamily: FamilyPrivate},
		{name: "private-l", dyno: "private-l", wantOK: true, wantMemoryMiB: 14336, wantCPUMilli: 8000, wantDedicated: true, wantFamily: FamilyPrivate},
		{name: "private-l-ram", dyno: "private-l-ram", wantOK: true, wantMemoryMiB: 30720, wantCPUMilli: 4000, wantDedicated: true, wantFamily: FamilyPrivate},
		{name: "private-xl", dyno: "private-xl", wantOK: true, wantMemoryMiB: 63488, wantCPUMilli: 8000, wantDedicated: true, wantFamily: FamilyPrivate},
		{name: "private-2xl", dyno: "private-2xl", wantOK: true, wantMemoryMiB: 129024, wantCPUMilli: 16000, wantDedicated: true, wantFamily: FamilyPrivate},
		{name: "shield-s", dyno: "shield-s", wantOK: true, wantMemoryMiB: 1024, wantCPUMilli: 2000, wantDedicated: true, wantFamily: FamilyShield},
		{name: "shield-m", dyno: "shield-m", wantOK: true, wantMemoryMiB: 2560, wantCPUMilli: 2000, wantDedicated: true, wantFamily: FamilyShield},
		{name: "shield-l", dyno: "shield-l", wantOK: true, wantMemoryMiB: 14336, wantCPUMilli: 8000, wantDedicated: true, wantFamily: FamilyShield},
		{name: "shield-l-ram", dyno: "shield-l-ram", wantOK: true, wantMemoryMiB: 30720, wantCPUMilli: 4000, wantDedicated: true, wantFamily: FamilyShield},
		{name: "shield-xl", dyno: "shield-xl", wantOK: true, wantMemoryMiB: 63488, wantCPUMilli: 8000, wantDedicated: true, wantFamily: FamilyShield},
		{name: "shield-2xl", dyno: "shield-2xl", wantOK: true, wantMemoryMiB: 129024, wantCPUMilli: 16000, wantDedicated: true, wantFamily: FamilyShield},
		{name: "case sensitive", dyno: "Standard-1X", wantOK: false},
		{name: "legacy hobby retired", dyno: "hobby", wantOK: false},
		{name: "empty", dyno: "", wantOK: false},
		{name: "padded", dyno: " standard-1x", wantOK: false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := Lookup(tc.dyno)
			if ok != tc.wantOK {
				t.Fatalf("Lookup(%q) ok = %v, want %v", tc.dyno, ok, tc.wantOK)
			}
			if !ok {
				if got != (Size{}) {
					t.Fatalf("Lookup(%q) = %+v, want zero Size", tc.dyno, got)
				}
				return
			}
			want := Size{Name: tc.dyno, MemoryMiB: tc.wantMemoryMiB, CPUMilli: tc.wantCPUMilli, Dedicated: tc.wantDedicated, Family: tc.wantFamily}
			if got != want {
				t.Fatalf("Lookup(%q) = %+v, want %+v", tc.dyno, got, want)
			}
		})
	}
}

func TestNames(t *testing.T) {
	t.Parallel()
	names := Names()
	if len(names) != 21 {
		t.Fatalf("Names() has %d entries, want 21: %v", len(names), names)
	}
	if !sort.StringsAreSorted(names) {
		t.Fatalf("Names() not sorted: %v", names)
	}
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			t.Fatalf("duplicate dyno name %q", n)
		}
		seen[n] = true
		if _, ok := Lookup(n); !ok {
			t.Fatalf("Names() lists %q but Lookup does not know it", n)
		}
		if n != strings.ToLower(n) {
			t.Fatalf("dyno name %q is not lower case", n)
		}
	}
	// Callers may keep the slice; mutating it must not change the table.
	names[0] = "mutated"
	if Names()[0] == "mutated" {
		t.Fatal("Names() returns shared storage")
	}
}

// TestTableInvariants guards the table against edits that break assumptions
// made by the service component (positive sizes, family prefix, dedicated tiers).
func TestTableInvariants(t *testing.T) {
	t.Parallel()
	for _, s := range sizes {
		if s.MemoryMiB <= 0 || s.CPUMilli <= 0 {
			t.Errorf("%s: non-positive size %+v", s.Name, s)
		}
		if s.Name != s.Family && !strings.HasPrefix(s.Name, s.Family+"-") {
			t.Errorf("%s: family %q does not match name", s.Name, s.Family)
		}
		wantDedicated := s.Family == FamilyPerformance || s.Family == FamilyPrivate || s.Family == FamilyShield
		if s.Dedicated != wantDedicated {
			t.Errorf("%s: Dedicated = %v, want %v", s.Name, s.Dedicated, wantDedicated)
		}
	}
}
