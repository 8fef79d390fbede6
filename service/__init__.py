"""The example service: hand-written implementations of the team_api handler Protocols."""
