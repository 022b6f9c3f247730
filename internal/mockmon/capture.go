package mockmon

import (
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// captureWait bounds how long Get waits for an apply that has not run yet.
const captureWait = 10 * time.Second

// Captured holds the value an output resolved to, to be read after the run returns (never
// asserted on inside the apply).
type Captured[T any] struct {
	once  sync.Once
	done  chan struct{}
	value T
}

// Capture records the value out resolves to. T must be out's element type (string for a
// StringOutput, map[string]string for a StringMapOutput, ...).
func Capture[T any](out pulumi.Output) *Captured[T] {
	c := &Captured[T]{done: make(chan struct{})}
	out.ApplyT(func(v T) T {
		c.once.Do(func() {
			c.value = v
			close(c.done)
		})
		return v
	})
	return c
}

// Get returns the resolved value and fails t when the output never resolved. It waits a little:
// an output built from plain values (pulumi.StringMap{...}.ToStringMapOutput()) is not tracked by
// the run, so its apply may still be pending when RunErr returns.
func (c *Captured[T]) Get(t TB) T {
	t.Helper()
	var zero T
	if c == nil || c.done == nil {
		t.Fatalf("output never captured")
		return zero
	}
	select {
	case <-c.done:
		return c.value
	case <-time.After(captureWait):
		t.Fatalf("output never resolved")
		return zero
	}
}
