"""apigen: contract-first API toolkit."""
