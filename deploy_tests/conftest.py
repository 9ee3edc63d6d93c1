"""`make test-deploy`: the production topology on this machine (not part of `make test`)."""
