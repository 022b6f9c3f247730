// Package traffic builds the Route53 weighted pair that moves API traffic from Heroku to AWS
// one phase at a time.
//
// Two CNAME records share the API hostname, type and TTL and differ only in their set
// identifier ("heroku", "aws"), their target and their weight. Each record carries a health
// check aimed at its own side, so Route53 drops a failing side from the answer and, at
// 100 percent, still falls back to the weight-0 Heroku member when AWS is unhealthy.
//
// The phase is a plain integer known at plan time. Every other input of every child is
// independent of it, so moving between rungs changes exactly the two records' weights and
// nothing is created, replaced or deleted. The pure functions Weights and CheckMove hold the
// arithmetic and the phase guard so that the program, the CLI and the policy pack agree.
package traffic
