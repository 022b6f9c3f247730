package network

import (
	"encoding/json"
	"fmt"
)

// flowLogsService is the only principal allowed to assume the flow-log delivery role.
const flowLogsService = "vpc-flow-logs.amazonaws.com"

// flowLogWriteActions are the calls the flow-log service makes to deliver records into an existing
// log group; CreateLogGroup is deliberately absent because the group is managed here.
var flowLogWriteActions = []string{
	"logs:CreateLogStream",
	"logs:PutLogEvents",
	"logs:DescribeLogStreams",
}

type policyDocument struct {
	Version   string            `json:"Version"`
	Statement []policyStatement `json:"Statement"`
}

type policyStatement struct {
	Sid       string           `json:"Sid,omitempty"`
	Effect    string           `json:"Effect"`
	Principal *policyPrincipal `json:"Principal,omitempty"`
	Action    []string         `json:"Action"`
	Resource  []string         `json:"Resource,omitempty"`
}

type policyPrincipal struct {
	Service string `json:"Service"`
}

// flowLogTrustPolicy is the assume-role document of the flow-log role: only the VPC flow logs
// service may assume it.
func flowLogTrustPolicy() (string, error) {
	return marshalPolicy(policyDocument{
		Version: "2012-10-17",
		Statement: []policyStatement{{
			Sid:       "VpcFlowLogsAssume",
			Effect:    "Allow",
			Principal: &policyPrincipal{Service: flowLogsService},
			Action:    []string{"sts:AssumeRole"},
		}},
	})
}

// flowLogWritePolicy lets the flow-log role write into one log group only: the streams of the group
// whose ARN is given (the ":*" suffix covers its log streams), never "*".
func flowLogWritePolicy(logGroupARN string) (string, error) {
	return marshalPolicy(policyDocument{
		Version: "2012-10-17",
		Statement: []policyStatement{{
			Sid:      "DeliverFlowLogs",
			Effect:   "Allow",
			Action:   append([]string(nil), flowLogWriteActions...),
			Resource: []string{logGroupARN + ":*"},
		}},
	})
}

func marshalPolicy(doc policyDocument) (string, error) {
	b, err := json.Marshal(doc)
	if err != nil {
		return "", fmt.Errorf("marshal IAM policy: %w", err)
	}
	return string(b), nil
}
