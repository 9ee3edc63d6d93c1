"""Console screens, one module per area; each parses a form, calls a service or selector,
renders."""
