package dyno

import (
	"sort"
)

// Size is one Heroku dyno type expressed as Kubernetes resources.
type Size struct {
	// Name is Heroku's dyno type name, lower case, e.g. "standard-2x".
	Name string
	// MemoryMiB is the dyno's published memory quota in MiB.
	MemoryMiB int
	// CPUMilli is an approximation of the dyno's compute share in Kubernetes
	// millicores (see the table comment for how it is derived).
	CPUMilli int
	// Dedicated reports whether Heroku runs the dyno on dedicated compute
	// (performance, private and shield tiers) rather than shared hosts.
	Dedicated bool
	// Family is the Heroku tier: eco, basic, standard, performance, private or shield.
	Family string
}

// Families.
const (
	FamilyEco         = "eco"
	FamilyBasic       = "basic"
	FamilyStandard    = "standard"
	FamilyPerformance = "performance"
	FamilyPrivate     = "private"
	FamilyShield      = "shield"
)

// Memory quotas in MiB, shared by the performance, private and shield tiers
// for the same size suffix.
const (
	mem512MB = 512
	mem1GB   = 1024
	mem2_5GB = 2560
	mem14GB  = 14 * 1024
	mem30GB  = 30 * 1024
	mem62GB  = 62 * 1024
	mem126GB = 126 * 1024
)

// sizes is the one table of dyno types.
//
// Memory: Heroku Dev Center, "Dyno Types" (devcenter.heroku.com/articles/dyno-types,
// revision of June 2024): Eco/Basic/Standard-1X 512 MB; Standard-2X 1 GB;
// Private/Shield-S 1 GB; Performance/Private/Shield-M 2.5 GB, -L 14 GB,
// -L-RAM 30 GB, -XL 62 GB, -2XL 126 GB. "Dyno Memory Behavior" lists the same
// quotas, and `memory.limit_in_bytes` inside a dyno reports 536870912 for
// standard-1x and 2684354560 for performance-m, i.e. Heroku's "GB" is GiB,
// so the figures are taken as MiB multiples of 1024.
//
// CPU: Heroku does not publish cores for every size; it publishes a relative
// "compute" figure (eco/basic/standard-1x 1x-4x, standard-2x 2x-8x, S and M
// 12x, L 50x, L-RAM 24x, XL 50x, 2XL 100x). CPUMilli is an approximation of
// that compute share mapped to Kubernetes millicores: performance-m (12x) is
// taken as 2 vCPU, and the other dedicated sizes scale from it (24x -> 4,
// 50x -> 8, 100x -> 16 vCPU). Shared-host sizes get the share they are
// guaranteed rather than their burst ceiling: 1x -> 250m, 2x -> 500m. Treat
// these as starting requests to be tuned from real usage, not as equivalences.
var sizes = []Size{
	{Name: "eco", MemoryMiB: mem512MB, CPUMilli: 250, Dedicated: false, Family: FamilyEco},
	{Name: "basic", MemoryMiB: mem512MB, CPUMilli: 250, Dedicated: false, Family: FamilyBasic},
	{Name: "standard-1x", MemoryMiB: mem512MB, CPUMilli: 250, Dedicated: false, Family: FamilyStandard},
	{Name: "standard-2x", MemoryMiB: mem1GB, CPUMilli: 500, Dedicated: false, Family: FamilyStandard},

	{Name: "performance-m", MemoryMiB: mem2_5GB, CPUMilli: 2000, Dedicated: true, Family: FamilyPerformance},
	{Name: "performance-l", MemoryMiB: mem14GB, CPUMilli: 8000, Dedicated: true, Family: FamilyPerformance},
	{Name: "performance-l-ram", MemoryMiB: mem30GB, CPUMilli: 4000, Dedicated: true, Family: FamilyPerformance},
	{Name: "performance-xl", MemoryMiB: mem62GB, CPUMilli: 8000, Dedicated: true, Family: FamilyPerformance},
	{Name: "performance-2xl", MemoryMiB: mem126GB, CPUMilli: 16000, Dedicated: true, Family: FamilyPerformance},

	{Name: "private-s", MemoryMiB: mem1GB, CPUMilli: 2000, Dedicated: true, Family: FamilyPrivate},
	{Name: "private-m", MemoryMiB: mem2_5GB, CPUMilli: 2000, Dedicated: true, Family: FamilyPrivate},
	{Name: "private-l", MemoryMiB: mem14GB, CPUMilli: 8000, Dedicated: true, Family: FamilyPrivate},
	{Name: "private-l-ram", MemoryMiB: mem30GB, CPUMilli: 4000, Dedicated: true, Family: FamilyPrivate},
	{Name: "private-xl", MemoryMiB: mem62GB, CPUMilli: 8000, Dedicated: true, Family: FamilyPrivate},
	{Name: "private-2xl", MemoryMiB: mem126GB, CPUMilli: 16000, Dedicated: true, Family: FamilyPrivate},

	{Name: "shield-s", MemoryMiB: mem1GB, CPUMilli: 2000, Dedicated: true, Family: FamilyShield},
	{Name: "shield-m", MemoryMiB: mem2_5GB, CPUMilli: 2000, Dedicated: true, Family: FamilyShield},
	{Name: "shield-l", MemoryMiB: mem14GB, CPUMilli: 8000, Dedicated: true, Family: FamilyShield},
	{Name: "shield-l-ram", MemoryMiB: mem30GB, CPUMilli: 4000, Dedicated: true, Family: FamilyShield},
	{Name: "shield-xl", MemoryMiB: mem62GB, CPUMilli: 8000, Dedicated: true, Family: FamilyShield},
	{Name: "shield-2xl", MemoryMiB: mem126GB, CPUMilli: 16000, Dedicated: true, Family: FamilyShield},
}

// byName indexes sizes; built once because the table is static.
var byName = func() map[string]Size {
	m := make(map[string]Size, len(sizes))
	for _, s := range sizes {
		m[s.Name] = s
	}
	return m
}()

// Lookup returns the size of a Heroku dyno type. Names are case-sensitive and
// lower case as the Heroku CLI prints them ("standard-1x", not "Standard-1X"),
// so a config typo is reported instead of silently normalised.
func Lookup(dynoType string) (Size, bool) {
	s, ok := byName[dynoType]
	return s, ok
}

// Names returns every known dyno type, sorted, for "allowed: ..." messages.
func Names() []string {
	names := make([]string, 0, len(sizes))
	for _, s := range sizes {
		names = append(names, s.Name)
	}
	sort.Strings(names)
	return names
}
