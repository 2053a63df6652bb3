"""Domain rules of complaint_mgmt as plain Python.

Nothing in this package imports frappe: inputs and outputs are plain data, and every
policy (hours, thresholds, amounts) arrives as an argument. The DocType controllers load
the policy, call the engine and persist the result.
"""
