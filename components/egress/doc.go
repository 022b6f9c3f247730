// Package egress builds the static egress IPs of the platform: one Elastic IP per availability
// zone (protected and retained on delete, because customers allow-list these addresses), or the
// adoption of existing allocation IDs, plus the published allow-list that merges the AWS addresses
// with Heroku's egress IPs while both platforms serve traffic.
package egress
