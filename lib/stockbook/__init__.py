"""stockbook."""
