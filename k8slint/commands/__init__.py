"""Click commands, one module per command group; cli.py imports them lazily."""
