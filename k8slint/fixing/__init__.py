"""``k8slint fix``: apply the edits that findings carry, keeping everything else in the files byte for byte."""

from k8slint.fixing.run import FileOutcome, FixReport, fix_paths

__all__ = ["FileOutcome", "FixReport", "fix_paths"]
