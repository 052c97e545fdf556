"""Troubleshooting: explain error output (``k8slint diagnose``) and inspect the
local environment (``k8slint doctor``).

The flow is: text -> :mod:`normalise` -> :mod:`match` against the knowledge
base (:mod:`knowledge`, data in ``rules/troubleshooting/``) -> optional lint
findings (:mod:`link`) -> :mod:`render`.
"""
