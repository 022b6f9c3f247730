package traffic

import (
	"fmt"
	"slices"
)

// Weights turns the AWS share of API traffic into the two Route53 weights: AWS gets percent
// and Heroku gets the rest. Percent must lie in 0..100; inside that range the weights always
// sum to 100, so the pair can never be 0/0 (which Route53 would treat as an even split).
func Weights(percent int) (aws, heroku int, err error) {
	if percent < 0 || percent > 100 {
		return 0, 0, fmt.Errorf("awsTrafficPercent %d is out of range: must be between 0 and 100", percent)
	}
	return percent, 100 - percent, nil
}

// CheckMove is the phase guard. It decides whether the stack may go from the deployed phase
// to target on the given ladder.
//
//   - target must be a rung of the ladder;
//   - deployed == nil means the stack has never recorded a phase: any rung up to the first
//     non-zero rung is allowed, because a brand-new stack has no traffic history to protect;
//   - a forward move may not pass over a rung unless allowSkip is set: each step is meant to
//     be observed before the next one;
//   - a move down (rollback) may go to any lower rung at once, because getting traffic back
//     to the known-good side must never be slowed down by the guard.
//
// Rungs between deployed and target are counted by value, so a deployed phase that is no
// longer on the ladder (the ladder was edited) is still judged sensibly.
func CheckMove(ladder []int, deployed *int, target int, allowSkip bool) error {
	if err := checkLadder(ladder); err != nil {
		return err
	}
	if !slices.Contains(ladder, target) {
		return fmt.Errorf("awsTrafficPercent %d is not a rung of phases %v: pick one of those values", target, ladder)
	}
	if deployed == nil {
		first := firstNonZero(ladder)
		if target <= first || allowSkip {
			return nil
		}
		return fmt.Errorf("awsTrafficPercent %d on a stack with no deployed phase: a new stack may start at most at %d, the first non-zero rung of %v (allowPhaseSkip is false; set allowPhaseSkip=true to start higher)",
			target, first, ladder)
	}
	from := *deployed
	if target <= from {
		return nil
	}
	var skipped []int
	for _, rung := range ladder {
		if rung > from && rung < target {
			skipped = append(skipped, rung)
		}
	}
	if len(skipped) == 0 || allowSkip {
		return nil
	}
	return fmt.Errorf("awsTrafficPercent %d -> %d skips rung(s) %v of phases %v: forward moves go one rung at a time (allowPhaseSkip is false; set allowPhaseSkip=true to jump, or move to %d first)",
		from, target, skipped, ladder, skipped[0])
}

// checkLadder refuses ladders that CheckMove cannot reason about. The config layer validates
// the same rules with its own messages; this keeps CheckMove safe on its own.
func checkLadder(ladder []int) error {
	if len(ladder) == 0 {
		return fmt.Errorf("phases is empty: must be a strictly increasing list within 0..100, e.g. [0 10 25 50 100]")
	}
	for i, rung := range ladder {
		if rung < 0 || rung > 100 {
			return fmt.Errorf("phases %v has rung %d out of range: every rung must be between 0 and 100", ladder, rung)
		}
		if i > 0 && rung <= ladder[i-1] {
			return fmt.Errorf("phases %v is not strictly increasing at %d: rungs must rise from 0 to 100", ladder, rung)
		}
	}
	return nil
}

// firstNonZero is the highest phase a new stack may start at without allowPhaseSkip. A ladder
// holding only 0 has no such rung; then only 0 is reachable.
func firstNonZero(ladder []int) int {
	for _, rung := range ladder {
		if rung > 0 {
			return rung
		}
	}
	return 0
}
