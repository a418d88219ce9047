"""Chat (Slack, and Mattermost speaking Slack's formats): declare and follow incidents from
a channel. `verify` trusts requests, `identities` links chat users to accounts, `commands`
and `inbound` act on what chat sends, `thread` queues the incident's thread, `sender` posts
it."""
